package dev.llmobs;

import java.util.List;

/**
 * What one {@link LLMObs#flush} did. Immutable. Every span handed to a flush is in exactly one of sent, kept,
 * dropped and unconfirmed, for each destination: with two destinations (Datadog and OTLP), the counts here are the
 * first one's, and {@link #destinations()} has each.
 */
public final class FlushResult {
  static final FlushResult EMPTY = new FlushResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "");

  private final int spansSent, evaluationsSent, spansKept, evaluationsKept, spansDropped, evaluationsDropped,
      spansUnconfirmed, evaluationsUnconfirmed, spansTruncated;
  private final long durationNanos;
  private final String destination;
  private final List<FlushResult> destinations;

  /** One destination's counts. */
  FlushResult(int spansSent, int evaluationsSent, int spansKept, int evaluationsKept, int spansDropped,
      int evaluationsDropped, int spansUnconfirmed, int evaluationsUnconfirmed, int spansTruncated,
      long durationNanos, String destination) {
    this(spansSent, evaluationsSent, spansKept, evaluationsKept, spansDropped, evaluationsDropped, spansUnconfirmed,
        evaluationsUnconfirmed, spansTruncated, durationNanos, destination, null);
  }

  /** The first destination's counts, the flush's whole duration, and every destination's result. */
  FlushResult(int spansSent, int evaluationsSent, int spansKept, int evaluationsKept, int spansDropped,
      int evaluationsDropped, int spansUnconfirmed, int evaluationsUnconfirmed, int spansTruncated,
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
    this.durationNanos = durationNanos;
    this.destination = destination;
    this.destinations = destinations != null ? destinations : List.of(this);
  }

  /** Where these counts went: {@code datadog} (intake, agent, stdout or file) or {@code otlp}. */
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

  /** Spans whose input and output were replaced by a marker because the span exceeded the size limit. */
  public int spansTruncated() { return spansTruncated; }

  /** How long the flush took, the span processor's work and encoding included. */
  public long durationNanos() { return durationNanos; }

  @Override public String toString() {
    return "FlushResult{sent " + spansSent + " spans, " + evaluationsSent + " evaluations; kept for retry "
        + spansKept + "+" + evaluationsKept + "; dropped " + spansDropped + "+" + evaluationsDropped
        + "; unconfirmed " + spansUnconfirmed + "+" + evaluationsUnconfirmed + "; truncated " + spansTruncated
        + "; " + (durationNanos / 1000) / 1000.0 + " ms}";
  }
}
