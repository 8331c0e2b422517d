package dev.llmobs.export;

import dev.llmobs.export.http.HttpPoster;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.DatadogRoute;
import dev.llmobs.internal.Log;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent route when it was detected rather than asked for: before the first send, asks the agent's
 * {@code GET /info}, once, within the flush's budget and on the connection later requests reuse, and uses the EVP
 * proxy only if one of the listed endpoints contains {@code evp_proxy/v2} (Datadog's Python rule, which the wire
 * format makes a MUST: the Lambda extension lists only concrete routes). Without the proxy (an extension older than
 * v77) or without an answer, spans go agentless when an API key is set; otherwise they are kept, and the user is told
 * once, rather than handed to an agent that would silently drop them.
 */
final class DiscoveringSink implements Sink {
  private final Config config;
  private final HttpPoster poster;
  private final URI info;
  private volatile Sink chosen; // null until decided
  private boolean told; // guarded by this
  private boolean silent; // guarded by this: the last /info got no answer

  DiscoveringSink(Config config, HttpPoster poster) {
    this.config = config;
    this.poster = poster;
    this.info = URI.create(config.datadog.agentUrl + "/info");
  }

  @Override public Outcome send(Kind kind, List<byte[]> events, long deadlineNanos) {
    return send(kind, events, deadlineNanos, false);
  }

  @Override public Outcome settle(Object ticket, List<byte[]> events, long deadlineNanos) {
    Sink s = chosen; // a ticket exists only once a route was chosen
    return s != null ? s.settle(ticket, events, deadlineNanos) : new Outcome(0, List.of(), 0, events.size(), true);
  }

  @Override public Outcome send(Kind kind, List<byte[]> events, long deadlineNanos, boolean carry) {
    if (events.isEmpty()) return Outcome.NOTHING;
    Sink s;
    boolean sick;
    synchronized (this) {
      s = decide(deadlineNanos);
      sick = silent;
    }
    if (s == null) return new Outcome(0, new ArrayList<>(events), 0, 0, sick); // kept: nowhere safe to send yet
    return s.send(kind, events, deadlineNanos, carry);
  }

  private synchronized Sink decide(long deadline) {
    if (chosen != null) return chosen;
    if (deadline - System.nanoTime() < HttpSink.MIN_ATTEMPT_NANOS) return null; // ask when there is time
    return decideFrom(poster.get(info, deadline));
  }

  /** Decides the route from the agent's answer to {@code /info}; null: nowhere safe to send yet. Guarded by this. */
  private Sink decideFrom(HttpPoster.Result r) {
    silent = r.status < 0;
    boolean answered = r.fate == HttpPoster.Fate.ACCEPTED;
    if (answered && hasEvpProxy(r.body)) {
      Log.debug("the agent at " + config.datadog.agentUrl + " offers the EVP proxy: spans go through it");
      return chosen = HttpSink.datadog(config, DatadogRoute.Route.AGENT, poster);
    }
    String why = answered ? "the agent at " + config.datadog.agentUrl + " offers no EVP proxy (a Datadog Lambda extension older"
        + " than v77?)" : "the agent at " + config.datadog.agentUrl + " did not answer /info (" + r + ")";
    if (config.datadog.apiKey() != null) {
      Log.info(why + ": sending spans agentless, with DD_API_KEY");
      return chosen = HttpSink.datadog(config, DatadogRoute.Route.AGENTLESS, poster);
    }
    if (!told) {
      told = true;
      Log.warn(why + ", and DD_API_KEY is not set: spans are kept, not sent. Upgrade the extension, or set"
          + " DD_LLMOBS_AGENTLESS_ENABLED=true with DD_API_KEY");
    }
    return null; // asked again at the next flush
  }

  /** Python's rule: any string in {@code endpoints} that contains {@code evp_proxy/v2}. */
  static boolean hasEvpProxy(String infoBody) {
    int endpoints = infoBody.indexOf("\"endpoints\"");
    if (endpoints < 0) return false;
    int open = infoBody.indexOf('[', endpoints), close = infoBody.indexOf(']', open + 1);
    return open >= 0 && close > open && infoBody.substring(open, close).contains("evp_proxy/v2");
  }

  /**
   * At Init the agent may not listen yet (the Datadog extension starts beside the function): its route is decided now
   * only if it answers; otherwise, silently, at the first flush.
   */
  @Override public void prepare(long deadlineNanos) {
    synchronized (this) {
      if (chosen != null) return;
      HttpPoster.Result r = poster.get(info, deadlineNanos);
      if (r.fate == HttpPoster.Fate.ACCEPTED) decideFrom(r);
    }
  }

  @Override public boolean answers(long deadlineNanos) {
    Sink s = chosen;
    return s != null ? s.answers(deadlineNanos) : poster.get(info, deadlineNanos).status >= 0;
  }

  @Override public int maxRequestBytes() {
    Sink s = chosen;
    return s != null ? s.maxRequestBytes() : config.datadog.payloadBytes;
  }

  @Override public int maxSpanBytes() {
    Sink s = chosen;
    return s != null ? s.maxSpanBytes() : config.datadog.payloadBytes - 2;
  }

  @Override public void closeIdle() {
    poster.closeIdle();
  }
}
