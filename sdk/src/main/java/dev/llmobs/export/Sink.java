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

  /**
   * As {@link #send}; with {@code carry}, a sink may write the last batch and leave its answer to be read by
   * {@link #settle} at the next flush ({@link Outcome#carried}). Sinks that cannot do so send as usual.
   */
  default Outcome send(Kind kind, List<byte[]> events, long deadlineNanos, boolean carry) {
    return send(kind, events, deadlineNanos);
  }

  /** What became of {@code events}, a batch whose answer {@code ticket} awaits; never throws. */
  default Outcome settle(Object ticket, List<byte[]> events, long deadlineNanos) {
    return new Outcome(0, List.of(), 0, events.size(), false);
  }

  /** The largest request body this sink may send; events are sized against it. */
  int maxRequestBytes();

  /** The largest span event that fits in a request by itself, its envelope included. */
  default int maxSpanBytes() {
    return maxRequestBytes() - 2; // Datadog's JSON array: "[" and "]"
  }

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

  /**
   * What happened to a batch: every event given to {@link #send} is in exactly one of the four counts, or carried
   * (written, its answer to be read later).
   */
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
    /** Events of a batch written whose answer is left for {@link Sink#settle}, or empty; and its ticket. */
    public final List<byte[]> carried;
    public final Object ticket;

    public Outcome(int sent, List<byte[]> retry, int dropped, int unconfirmed, boolean sick) {
      this(sent, retry, dropped, unconfirmed, sick, List.of(), null);
    }

    private Outcome(int sent, List<byte[]> retry, int dropped, int unconfirmed, boolean sick, List<byte[]> carried,
        Object ticket) {
      this.sent = sent;
      this.retry = retry;
      this.dropped = dropped;
      this.unconfirmed = unconfirmed;
      this.sick = sick;
      this.carried = carried;
      this.ticket = ticket;
    }

    /** This outcome, with {@code events} written and their answer left for later. */
    Outcome carrying(List<byte[]> events, Object ticket) {
      return new Outcome(sent, retry, dropped, unconfirmed, sick, events, ticket);
    }
  }
}
