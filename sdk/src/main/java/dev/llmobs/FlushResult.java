package dev.llmobs;

import java.util.List;

/**
 * What one {@link LLMObs#flush} did. Immutable. Every span handed to a flush is in exactly one of sent, kept,
 * dropped, unconfirmed and in flight, for each destination: with two destinations (Datadog and OTLP), the counts here
 * add up both (a span counts once for each, so a destination that fails beside a healthy one shows here), the
 * destination is {@code datadog+otlp}, and {@link #destinations()} has each. Spans in flight (only with {@code LLMOBS_FLUSH_ACK=next})
 * were written to an agent on this machine whose answer the next flush reads, and counts in its result.
 */
public final class FlushResult {
  static final FlushResult EMPTY = new FlushResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", null);

  private final int spansSent, evaluationsSent, spansKept, evaluationsKept, spansDropped, evaluationsDropped,
      spansUnconfirmed, evaluationsUnconfirmed, spansTruncated, spansInFlight;
  private final long durationNanos;
  private final String destination;
  private final List<FlushResult> destinations;

  /** One destination's counts, or (with {@code destinations}) the first one's and every destination's result. */
  FlushResult(int spansSent, int evaluationsSent, int spansKept, int evaluationsKept, int spansDropped,
      int evaluationsDropped, int spansUnconfirmed, int evaluationsUnconfirmed, int spansTruncated, int spansInFlight,
      long durationNanos, String destination, List<FlushResult> destinations) {
    this.spansSent = spansSent;
    this.evaluationsSent = evaluationsSent;
    this.spansKept = spansKept;
    this.evaluationsKept = evaluationsKept;
    this.spansDropped = spansDropped;
    this.evaluationsDropped = evaluationsDropped;
    this.spansUnconfirmed = spansUnconfirmed;
    this.evaluationsUnconfirmed = evaluationsUnconfirmed;
    this.spansTruncated = spansTruncated;
    this.spansInFlight = spansInFlight;
    this.durationNanos = durationNanos;
    this.destination = destination;
    this.destinations = destinations != null ? destinations : List.of(this);
  }

  /** Where these counts went: {@code datadog} (intake, agent, stdout or file), {@code otlp}, or both joined by {@code +}. */
  public String destination() { return destination; }

  /** The result of each destination of this flush, in configuration order (one element with one destination). */
  public List<FlushResult> destinations() { return destinations; }

  /** Spans delivered (acknowledged by the intake, or written to stdout or the file). */
  public int spansSent() { return spansSent; }

  public int evaluationsSent() { return evaluationsSent; }

  /**
   * Spans the intake provably did not take (not reached, request not completely written, 429, 503...), kept for the
   * next flush.
   */
  public int spansKept() { return spansKept; }

  public int evaluationsKept() { return evaluationsKept; }

  /** Spans lost since the last flush: buffer overflow, refused by the intake, or too large even when cut. */
  public int spansDropped() { return spansDropped; }

  public int evaluationsDropped() { return evaluationsDropped; }

  /**
   * Spans sent but never acknowledged (no answer in time, a reset, a reply that is not HTTP): the intake may or may
   * not have them. They are not sent again, so that no span arrives twice.
   */
  public int spansUnconfirmed() { return spansUnconfirmed; }

  public int evaluationsUnconfirmed() { return evaluationsUnconfirmed; }

  /**
   * Spans written to an agent or collector on this machine whose answer is read by the next flush
   * ({@code LLMOBS_FLUSH_ACK=next}), which counts them as sent, kept, dropped or unconfirmed. Always 0 by default.
   */
  public int spansInFlight() { return spansInFlight; }

  /** Spans whose input and output were replaced by a marker because the span exceeded the size limit. */
  public int spansTruncated() { return spansTruncated; }

  /** How long the flush took, the span processor's work and encoding included. */
  public long durationNanos() { return durationNanos; }

  @Override public String toString() {
    return "FlushResult{sent " + spansSent + " spans, " + evaluationsSent + " evaluations; kept for retry "
        + spansKept + "+" + evaluationsKept + "; dropped " + spansDropped + "+" + evaluationsDropped
        + "; unconfirmed " + spansUnconfirmed + "+" + evaluationsUnconfirmed + "; truncated " + spansTruncated
        + (spansInFlight > 0 ? "; in flight " + spansInFlight : "")
        + "; " + (durationNanos / 1000) / 1000.0 + " ms"
        + (destinations.size() > 1 ? "; " + eachDestination() : "") + "}";
  }

  private String eachDestination() {
    StringBuilder b = new StringBuilder();
    for (FlushResult d : destinations) {
      if (b.length() > 0) b.append(", ");
      b.append(d.destination).append(": sent ").append(d.spansSent).append(", kept ").append(d.spansKept)
          .append(", dropped ").append(d.spansDropped).append(", unconfirmed ").append(d.spansUnconfirmed);
    }
    return b.toString();
  }
}
