package dev.llmobs.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends events to the Datadog intake (agentless, with the API key) or to the Datadog agent or Lambda extension's
 * EVP proxy (no key in the process). Packs events into request bodies no larger than the route's cap.
 *
 * <p>Responses: 2xx is delivered. 429, 5xx and network errors are retried while the budget allows, then the
 * events are handed back for the next flush. Any other 4xx drops that batch, with one clear log line per status
 * code per process (a wrong API key would otherwise log on every invocation).
 */
public final class HttpSink implements Sink {
  /** Below this much budget a request is not started: it could only time out. */
  static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final int MAX_ATTEMPTS = 3;

  private final URI spansUrl, evaluationsUrl;
  private final String[] spanHeaders, evalHeaders;
  private final int maxRequestBytes;
  private final HttpPoster poster;
  private final Set<Integer> reportedStatuses = ConcurrentHashMap.newKeySet();
  private final String apiKey; // only to scrub it from anything we log

  public HttpSink(Config config, String userAgent) {
    this.spansUrl = URI.create(config.spansUrl());
    this.evaluationsUrl = URI.create(config.evaluationsUrl());
    this.maxRequestBytes = config.payloadBytes;
    this.poster = new HttpPoster(userAgent);
    this.apiKey = config.apiKey();
    if (config.route == Config.Route.AGENTLESS) {
      spanHeaders = new String[] {"Content-Type", "application/json", "DD-API-KEY", config.apiKey()};
      evalHeaders = spanHeaders;
    } else {
      spanHeaders = new String[] {"Content-Type", "application/json", "X-Datadog-EVP-Subdomain", "llmobs-intake"};
      evalHeaders = new String[] {"Content-Type", "application/json", "X-Datadog-EVP-Subdomain", "api"};
    }
  }

  @Override public int maxRequestBytes() {
    return maxRequestBytes;
  }

  @Override public void closeIdle() {
    poster.closeIdle();
  }

  @Override public Outcome send(Kind kind, List<byte[]> events, long deadlineNanos) {
    boolean spans = kind == Kind.SPANS;
    byte[] head = kind.head, tail = kind.tail;
    int room = maxRequestBytes - head.length - tail.length;
    int sent = 0, dropped = 0;
    List<byte[]> retry = new ArrayList<>();
    int i = 0;
    while (i < events.size()) {
      // Pack events [i, j) into one body.
      int j = i, bytes = 0;
      while (j < events.size()) {
        int add = events.get(j).length + (j > i ? 1 : 0);
        if (bytes + add > room) break;
        bytes += add;
        j++;
      }
      if (j == i) { // a single event larger than any request: cannot ever be sent
        dropped++;
        Log.warn("dropped one " + (spans ? "span" : "evaluation") + " of " + events.get(i).length
            + " bytes: larger than the " + maxRequestBytes + "-byte request limit");
        i++;
        continue;
      }
      List<byte[]> batch = events.subList(i, j);
      i = j;
      if (deadlineNanos - System.nanoTime() < MIN_ATTEMPT_NANOS) {
        retry.addAll(batch);
        continue;
      }
      byte[] body = pack(head, batch, tail, bytes);
      switch (post(spans, body, deadlineNanos)) {
        case DELIVERED: sent += batch.size(); break;
        case REFUSED: dropped += batch.size(); break;
        default: retry.addAll(batch);
      }
    }
    return new Outcome(sent, retry, dropped);
  }

  private static byte[] pack(byte[] head, List<byte[]> batch, byte[] tail, int bytes) {
    byte[] body = new byte[head.length + bytes + tail.length];
    int p = 0;
    System.arraycopy(head, 0, body, p, head.length);
    p += head.length;
    for (int k = 0; k < batch.size(); k++) {
      if (k > 0) body[p++] = ',';
      byte[] e = batch.get(k);
      System.arraycopy(e, 0, body, p, e.length);
      p += e.length;
    }
    System.arraycopy(tail, 0, body, p, tail.length);
    return body;
  }

  private enum Result { DELIVERED, REFUSED, LATER }

  private Result post(boolean spans, byte[] body, long deadlineNanos) {
    URI url = spans ? spansUrl : evaluationsUrl;
    String[] headers = spans ? spanHeaders : evalHeaders;
    String lastProblem = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        long backoff = TimeUnit.MILLISECONDS.toNanos(10L << (2 * (attempt - 2))); // 10 ms, 40 ms
        if (deadlineNanos - System.nanoTime() < backoff + MIN_ATTEMPT_NANOS) break;
        pause(backoff);
      }
      try {
        HttpPoster.Response r = poster.post(url, headers, body, deadlineNanos);
        if (r.status >= 200 && r.status < 300) return Result.DELIVERED;
        if (r.status == 429 || r.status >= 500) {
          lastProblem = "HTTP " + r.status;
          continue;
        }
        reportRefusal(r.status, r.bodyStart, url);
        return Result.REFUSED;
      } catch (IOException | RuntimeException e) {
        lastProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (apiKey != null && lastProblem.contains(apiKey)) lastProblem = lastProblem.replace(apiKey, "***");
      }
    }
    Log.debug("intake " + url.getHost() + " not reached (" + lastProblem + "); keeping the batch for the next flush");
    return Result.LATER;
  }

  private void reportRefusal(int status, String body, URI url) {
    String hint = status == 403 || status == 401 ? " (check DD_API_KEY and DD_SITE)"
        : status == 413 ? " (request too large: lower DD_LLMOBS_PAYLOAD_SIZE_BYTES)" : "";
    String msg = url.getHost() + " refused a batch with HTTP " + status + hint + "; it is dropped. Response: "
        + body.replace('\n', ' ').replace('\r', ' ');
    if (apiKey != null) msg = msg.replace(apiKey, "***");
    if (reportedStatuses.add(status)) Log.warn(msg);
    else Log.debug(msg);
  }

  private static void pause(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
