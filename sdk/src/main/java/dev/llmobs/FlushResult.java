package dev.llmobs;

/** What one {@link LLMObs#flush} did. Immutable. */
public final class FlushResult {
  static final FlushResult EMPTY = new FlushResult(0, 0, 0, 0, 0, 0, 0, 0);

  private final int spansSent, evaluationsSent, spansKept, evaluationsKept, spansDropped, evaluationsDropped,
      spansTruncated;
  private final long durationNanos;

  FlushResult(int spansSent, int evaluationsSent, int spansKept, int evaluationsKept, int spansDropped,
      int evaluationsDropped, int spansTruncated, long durationNanos) {
    this.spansSent = spansSent;
    this.evaluationsSent = evaluationsSent;
    this.spansKept = spansKept;
    this.evaluationsKept = evaluationsKept;
    this.spansDropped = spansDropped;
    this.evaluationsDropped = evaluationsDropped;
    this.spansTruncated = spansTruncated;
    this.durationNanos = durationNanos;
  }

  /** Spans delivered (accepted by the intake, or written to stdout or the file). */
  public int spansSent() { return spansSent; }

  public int evaluationsSent() { return evaluationsSent; }

  /** Spans not delivered in time or refused for now (429, 5xx, network), kept for the next flush. */
  public int spansKept() { return spansKept; }

  public int evaluationsKept() { return evaluationsKept; }

  /** Spans lost since the last flush: buffer overflow, refused by the intake, or too large even when cut. */
  public int spansDropped() { return spansDropped; }

  public int evaluationsDropped() { return evaluationsDropped; }

  /** Spans whose input and output were replaced by a marker because the span exceeded the size limit. */
  public int spansTruncated() { return spansTruncated; }

  /** How long the flush took, encoding included. */
  public long durationNanos() { return durationNanos; }

  @Override public String toString() {
    return "FlushResult{sent " + spansSent + " spans, " + evaluationsSent + " evaluations; kept " + spansKept + "+"
        + evaluationsKept + "; dropped " + spansDropped + "+" + evaluationsDropped + "; truncated " + spansTruncated
        + "; " + (durationNanos / 1000) / 1000.0 + " ms}";
  }
}
