package dev.llmobs.internal;

import java.util.List;

/**
 * Where encoded events go. Synchronous: {@link #send} returns when the events were delivered, refused, or the
 * deadline came. It never throws.
 */
public interface Sink {
  /** The two streams of the wire format, with the envelope a request wraps around its events. */
  enum Kind {
    SPANS("[", "]"),
    EVALUATIONS("{\"data\":{\"type\":\"evaluation_metric\",\"attributes\":{\"metrics\":[", "]}}}");

    final byte[] head, tail;

    Kind(String head, String tail) {
      this.head = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      this.tail = tail.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /**
   * Sends span events (each a complete element of the span request array) or evaluation metrics (each a metric
   * object), packing them into as few requests as the limits allow.
   */
  Outcome send(Kind kind, List<byte[]> events, long deadlineNanos);

  /** The largest request body this sink may send; events are sized against it. */
  int maxRequestBytes();

  /** Releases pooled connections (before a SnapStart snapshot). */
  default void closeIdle() {}

  /** What happened to a batch. */
  final class Outcome {
    public final int sent;
    /** Events to try again at the next flush: the deadline came, or the intake asked us to come back later. */
    public final List<byte[]> retry;
    /** Events the intake refused for good (4xx other than 429), or that can never fit in a request. */
    public final int dropped;

    public Outcome(int sent, List<byte[]> retry, int dropped) {
      this.sent = sent;
      this.retry = retry;
      this.dropped = dropped;
    }
  }
}
