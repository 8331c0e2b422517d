package dev.llmobs.export;

import dev.llmobs.export.http.HttpPoster;
import dev.llmobs.export.otlp.OtlpEncoder;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.DatadogRoute;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.OtlpSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends events over HTTP: to the Datadog intake (agentless, with the API key), to the Datadog agent or Lambda
 * extension's EVP proxy (no key in the process), or to an OTLP/HTTP endpoint. Each stream (spans, evaluations) has
 * its {@link Endpoint}: URL, headers and the request envelope around its events. Packs events into bodies no
 * larger than the destination's cap.
 *
 * <p>What happens to a request decides what happens to its events ({@link HttpPoster.Fate}): accepted, they are
 * sent; refused for good, dropped with one clear log line per status code per process; provably not taken (no
 * connection, not completely written, 429, 503...), tried again while the budget allows, then handed back for the
 * next flush; written but never answered, counted as unconfirmed and never sent again, so that the intake cannot
 * receive a span twice.
 */
final class HttpSink implements Sink {
  /** Below this much budget a request is not started: it could only time out. */
  static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final int MAX_ATTEMPTS = 3;

  /** Where one stream of events goes: URL, headers, and how a request wraps its events. */
  static final class Endpoint {
    final URI url;
    final String[] headers; // name, value, name, value...
    final Framing framing;

    Endpoint(String url, String[] headers, Framing framing) {
      this.url = URI.create(url);
      this.headers = headers;
      this.framing = framing;
    }
  }

  private final Endpoint spans, evaluations;
  /** Spans go to a host on this machine: only then may a flush leave their answer for the next ({@code carry}). */
  private final boolean spansLocal;
  private final int maxRequestBytes;
  private final HttpPoster poster;
  private final String refusalHint;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  HttpSink(Endpoint spans, Endpoint evaluations, int maxRequestBytes, HttpPoster poster, String refusalHint) {
    this.spans = spans;
    this.spansLocal = HttpPoster.isLocal(spans.url);
    this.evaluations = evaluations;
    this.maxRequestBytes = maxRequestBytes;
    this.poster = poster;
    this.refusalHint = refusalHint;
  }

  /** The Datadog route the configuration names (agentless or the agent/extension's EVP proxy). */
  static HttpSink datadog(Config config, HttpPoster poster) {
    return datadog(config, config.datadog.route, poster);
  }

  /** A Datadog route, agentless or the EVP proxy, as {@code route} says (route discovery may switch). */
  static HttpSink datadog(Config config, DatadogRoute.Route route, HttpPoster poster) {
    String[] spanHeaders, evalHeaders;
    if (route == DatadogRoute.Route.AGENTLESS) {
      spanHeaders = new String[] {"Content-Type", "application/json", "DD-API-KEY", config.datadog.apiKey()};
      evalHeaders = spanHeaders;
    } else {
      spanHeaders = new String[] {"Content-Type", "application/json", "X-Datadog-EVP-Subdomain", "llmobs-intake"};
      evalHeaders = new String[] {"Content-Type", "application/json", "X-Datadog-EVP-Subdomain", "api"};
    }
    return new HttpSink(new Endpoint(config.datadog.spansUrl(route), spanHeaders, Framing.json(Kind.SPANS.head, Kind.SPANS.tail)),
        new Endpoint(config.datadog.evaluationsUrl(route), evalHeaders, Framing.json(Kind.EVALUATIONS.head, Kind.EVALUATIONS.tail)),
        config.datadog.payloadBytes, poster, " (check DD_API_KEY and DD_SITE)");
  }

  /**
   * OTLP/HTTP, protobuf or JSON as configured for each signal: spans to {@code /v1/traces}, evaluations to
   * {@code /v1/logs}, in {@code otlp}'s envelopes.
   */
  static HttpSink otlp(Config config, OtlpEncoder otlp, HttpPoster poster) {
    OtlpSettings o = config.otlp;
    return new HttpSink(
        new Endpoint(o.tracesUrl, withType(o.tracesProtobuf, o.tracesHeaders), otlp.tracesFraming()),
        new Endpoint(o.logsUrl, withType(o.logsProtobuf, o.logsHeaders), otlp.logsFraming()), o.payloadBytes, poster,
        " (check OTEL_EXPORTER_OTLP_HEADERS)");
  }

  /**
   * Datadog's OTLP intake for LLM Observability: spans as OTLP/protobuf with its {@code dd-api-key} and
   * {@code dd-otlp-source} headers; evaluations to Datadog's evaluation API, as Datadog asks for OpenTelemetry spans.
   */
  static HttpSink datadogOtlp(Config config, OtlpEncoder otlp, HttpPoster poster) {
    OtlpSettings o = config.otlp;
    String[] evalHeaders = config.datadog.apiKey() == null ? new String[] {"Content-Type", "application/json"}
        : new String[] {"Content-Type", "application/json", "DD-API-KEY", config.datadog.apiKey()};
    return new HttpSink(new Endpoint(o.tracesUrl, withType(true, o.tracesHeaders), otlp.tracesFraming()),
        new Endpoint(config.datadog.evaluationsUrl(dev.llmobs.internal.DatadogRoute.Route.AGENTLESS), evalHeaders,
            Framing.json(Kind.EVALUATIONS.head, Kind.EVALUATIONS.tail)),
        o.payloadBytes, poster, " (check DD_API_KEY and DD_SITE)");
  }

  private static String[] withType(boolean protobuf, String[] headers) {
    String[] out = new String[headers.length + 2];
    out[0] = "Content-Type";
    out[1] = protobuf ? "application/x-protobuf" : "application/json";
    System.arraycopy(headers, 0, out, 2, headers.length);
    return out;
  }

  @Override public int maxRequestBytes() {
    return maxRequestBytes;
  }

  @Override public int maxSpanBytes() {
    int room = maxRequestBytes - spans.framing.overhead();
    return room - (spans.framing.size(room, true) - room); // the event's own framing (a tag and a length) too
  }

  @Override public void closeIdle() {
    poster.closeIdle();
  }

  @Override public Outcome send(Kind kind, List<byte[]> events, long deadlineNanos) {
    return send(kind, events, deadlineNanos, false);
  }

  /**
   * With {@code carry}, the last batch of spans to a host on this machine is written and its answer left for
   * {@link #settle}: the flush does not wait for it (see RATIONALE, "Why an answer may be read at the next flush").
   */
  @Override public Outcome send(Kind kind, List<byte[]> events, long deadlineNanos, boolean carry) {
    boolean isSpans = kind == Kind.SPANS;
    Endpoint endpoint = isSpans ? spans : evaluations;
    int room = maxRequestBytes - endpoint.framing.overhead();
    int sent = 0, dropped = 0, unconfirmed = 0, failed = 0, answered = 0;
    boolean unreachable = false; // no connection: the remaining batches are not tried in this flush
    List<byte[]> retry = new ArrayList<>(), carried = null;
    Object ticket = null;
    int i = 0;
    while (i < events.size()) {
      // Pack events [i, j) into one body.
      int j = i, bytes = 0;
      while (j < events.size()) {
        int add = endpoint.framing.size(events.get(j).length, j == i);
        if (bytes + add > room) break;
        bytes += add;
        j++;
      }
      if (j == i) { // a single event larger than any request: cannot ever be sent
        dropped++;
        Log.warn("dropped one " + (isSpans ? "span" : "evaluation") + " of " + events.get(i).length
            + " bytes: larger than the " + maxRequestBytes + "-byte request limit");
        i++;
        continue;
      }
      List<byte[]> batch = events.subList(i, j);
      i = j;
      if (unreachable || deadlineNanos - System.nanoTime() < MIN_ATTEMPT_NANOS) {
        retry.addAll(batch);
        continue;
      }
      byte[] body = endpoint.framing.pack(batch);
      HttpPoster.Result r = carry && isSpans && i == events.size() && spansLocal
          ? judged(poster.write(endpoint.url, endpoint.headers, body, deadlineNanos), endpoint.url)
          : post(endpoint, body, deadlineNanos);
      if (r.fate == HttpPoster.Fate.WRITTEN) {
        carried = new ArrayList<>(batch);
        ticket = r.ticket;
        continue;
      }
      switch (r.fate) {
        case ACCEPTED: sent += batch.size(); break;
        case REFUSED: dropped += batch.size(); break;
        case UNKNOWN: unconfirmed += batch.size(); break;
        default: retry.addAll(batch);
      }
      if (r.fate == HttpPoster.Fate.ACCEPTED || r.fate == HttpPoster.Fate.REFUSED) answered++;
      else failed++;
      unreachable = r.status < 0 && r.fate == HttpPoster.Fate.NOT_TAKEN;
    }
    Outcome out = new Outcome(sent, retry, dropped, unconfirmed, failed > 0 && answered == 0);
    return carried == null ? out : out.carrying(carried, ticket);
  }

  /** The fate of a batch whose answer {@link #send} left behind, read now, before {@code deadlineNanos}. */
  @Override public Outcome settle(Object ticket, List<byte[]> events, long deadlineNanos) {
    HttpPoster.Result r = judged(poster.answer(ticket, deadlineNanos), spans.url);
    int n = events.size();
    switch (r.fate) {
      case ACCEPTED: return new Outcome(n, List.of(), 0, 0, false);
      case REFUSED: return new Outcome(0, List.of(), n, 0, false);
      case NOT_TAKEN: return new Outcome(0, new ArrayList<>(events), 0, 0, true);
      default: return new Outcome(0, List.of(), 0, n, true); // written, never answered in time: never sent again
    }
  }

  @Override public void prepare(long deadlineNanos) {
    poster.prepare(spans.url, deadlineNanos);
  }

  @Override public boolean answers(long deadlineNanos) {
    return poster.get(spans.url, deadlineNanos).status >= 0; // any status line: it is up and answering in time
  }

  /**
   * Posts one body; an answer that says it was not processed (429, 503...) is tried again while the budget allows.
   * A failed connection is not: a refused one would only be refused again, and the sleeps would be billed.
   */
  private HttpPoster.Result post(Endpoint endpoint, byte[] body, long deadlineNanos) {
    URI url = endpoint.url;
    String[] headers = endpoint.headers;
    HttpPoster.Result r = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        long backoff = TimeUnit.MILLISECONDS.toNanos(10L << (2 * (attempt - 2))); // 10 ms, 40 ms
        if (deadlineNanos - System.nanoTime() < backoff + MIN_ATTEMPT_NANOS) break;
        pause(backoff);
      }
      r = poster.post(url, headers, body, deadlineNanos);
      if (r.fate != HttpPoster.Fate.NOT_TAKEN || r.status < 0) break;
    }
    return judged(r, url);
  }

  /** Says what became of a batch, once per kind of problem; returns {@code r}. */
  private HttpPoster.Result judged(HttpPoster.Result r, URI url) {
    switch (r.fate) {
      case WRITTEN:
      case ACCEPTED:
        break;
      case REFUSED:
        String hint = r.status == 403 || r.status == 401 ? refusalHint
            : r.status == 413 ? " (request too large: lower DD_LLMOBS_PAYLOAD_SIZE_BYTES)" : "";
        report("refused " + r.status, url.getHost() + " refused a batch with HTTP " + r.status + hint
            + "; it is dropped. Response: " + r.problem);
        break;
      case UNKNOWN:
        report("unknown", url.getHost() + " took a batch but did not say whether it has it (" + r
            + "); it is not sent again, so that no span arrives twice");
        break;
      default:
        Log.debug("intake " + url.getHost() + " did not take a batch (" + r + "); keeping it for the next flush");
    }
    return r;
  }

  /** One WARN line per kind of problem per process, DEBUG after that: a wrong key must not log every invocation. */
  private void report(String what, String message) {
    if (reported.add(what)) Log.warn(message);
    else Log.debug(message);
  }

  private static void pause(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
