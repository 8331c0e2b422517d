package dev.llmobs.export;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where encoded events go: the seam between the exporter and a destination (the Datadog intake, the agent, stdout,
 * a file, a test's memory). Synchronous: {@link #send} returns when every event was delivered, refused, left in
 * doubt, or handed back because the deadline came. It never throws.
 */
public interface Sink {
  /** The two streams of the wire format, with the envelope a request wraps around its events. */
  enum Kind {
    SPANS("[", "]"),
    EVALUATIONS("{\"data\":{\"type\":\"evaluation_metric\",\"attributes\":{\"metrics\":[", "]}}}");

    final byte[] head, tail;

    Kind(String head, String tail) {
      this.head = head.getBytes(StandardCharsets.US_ASCII);
      this.tail = tail.getBytes(StandardCharsets.US_ASCII);
    }

    /** A complete request body holding {@code events}, in this stream's Datadog envelope. */
    public byte[] body(List<byte[]> events) {
      return pack(head, events, tail);
    }

    /** {@code head}, the events separated by commas, {@code tail}: one request body. */
    static byte[] pack(byte[] head, List<byte[]> events, byte[] tail) {
      int size = head.length + tail.length + Math.max(0, events.size() - 1);
      for (byte[] e : events) size += e.length;
      byte[] body = new byte[size];
      int p = 0;
      System.arraycopy(head, 0, body, p, head.length);
      p += head.length;
      for (int k = 0; k < events.size(); k++) {
        if (k > 0) body[p++] = ',';
        byte[] e = events.get(k);
        System.arraycopy(e, 0, body, p, e.length);
        p += e.length;
      }
      System.arraycopy(tail, 0, body, p, tail.length);
      return body;
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

  /** At Init: what the first send would otherwise do first, within {@code deadlineNanos}, sending nothing. */
  default void prepare(long deadlineNanos) {}

  /**
   * Whether the destination answers at all before {@code deadlineNanos}, risking no event: asked while it is
   * known to be sick, instead of sending. A sink that cannot be sick (stdout, a file) always answers.
   */
  default boolean answers(long deadlineNanos) {
    return true;
  }

  /** What happened to a batch: every event given to {@link #send} is in exactly one of the four counts. */
  final class Outcome {
    static final Outcome NOTHING = new Outcome(0, List.of(), 0, 0, false);

    /** Events the destination acknowledged. */
    public final int sent;
    /**
     * Events the destination provably does not have (no connection, request not completely written, 429/503...):
     * the exporter keeps them for the next flush.
     */
    public final List<byte[]> retry;
    /** Events refused for good (a 4xx other than 408/429), or that can never fit in a request. */
    public final int dropped;
    /** Events written but never acknowledged (no answer in time, reset, garbage): never sent again. */
    public final int unconfirmed;
    /**
     * The destination looked sick: a request found no connection, no timely answer, or a 5xx/429, and none got a
     * real answer. Events not attempted because too little time was left say nothing of its health.
     */
    public final boolean sick;

    public Outcome(int sent, List<byte[]> retry, int dropped, int unconfirmed, boolean sick) {
      this.sent = sent;
      this.retry = retry;
      this.dropped = dropped;
      this.unconfirmed = unconfirmed;
      this.sick = sick;
    }
  }
}
