package dev.llmobs;

/**
 * What one {@link LLMObs#flush} did. Immutable. Every span handed to a flush is in exactly one of sent, kept,
 * dropped and unconfirmed.
 */
public final class FlushResult {
  static final FlushResult EMPTY = new FlushResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final int spansSent, evaluationsSent, spansKept, evaluationsKept, spansDropped, evaluationsDropped,
      spansUnconfirmed, evaluationsUnconfirmed, spansTruncated;
  private final long durationNanos;

  /** Made by the exporter. */
  public FlushResult(int spansSent, int evaluationsSent, int spansKept, int evaluationsKept, int spansDropped,
      int evaluationsDropped, int spansUnconfirmed, int evaluationsUnconfirmed, int spansTruncated,
      long durationNanos) {
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
  }

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

  /** How long the flush took, encoding included. */
  public long durationNanos() { return durationNanos; }

  FlushResult plus(FlushResult o) {
    return new FlushResult(spansSent + o.spansSent, evaluationsSent + o.evaluationsSent, o.spansKept,
        o.evaluationsKept, spansDropped + o.spansDropped, evaluationsDropped + o.evaluationsDropped,
        spansUnconfirmed + o.spansUnconfirmed, evaluationsUnconfirmed + o.evaluationsUnconfirmed,
        spansTruncated + o.spansTruncated, durationNanos + o.durationNanos);
  }

  @Override public String toString() {
    return "FlushResult{sent " + spansSent + " spans, " + evaluationsSent + " evaluations; kept for retry "
        + spansKept + "+" + evaluationsKept + "; dropped " + spansDropped + "+" + evaluationsDropped
        + "; unconfirmed " + spansUnconfirmed + "+" + evaluationsUnconfirmed + "; truncated " + spansTruncated
        + "; " + (durationNanos / 1000) / 1000.0 + " ms}";
  }
}
