package dev.llmobs.export;

/**
 * What one flush did at one destination. Every span handed to it is in exactly one of sent, kept, dropped,
 * unconfirmed and in flight; what an earlier flush left in flight is counted by the flush that reads its answer. Immutable; the SDK turns it into the public {@code FlushResult}.
 */
public final class Report {
  public final String destination;
  public final int spansSent, evaluationsSent, spansKept, evaluationsKept, spansDropped, evaluationsDropped,
      spansUnconfirmed, evaluationsUnconfirmed, spansTruncated;
  /** Spans written, their answer left for the next flush ({@code LLMOBS_FLUSH_ACK=next}): counted then. */
  public final int spansInFlight;
  public final long durationNanos;
  /** Anything a user should hear of: drops, truncation, events kept or unconfirmed, a sick destination. */
  public final boolean notable;

  Report(String destination, int spansSent, int evaluationsSent, int spansKept, int evaluationsKept,
      int spansDropped, int evaluationsDropped, int spansUnconfirmed, int evaluationsUnconfirmed, int spansTruncated,
      int spansInFlight, long durationNanos, boolean notable) {
    this.spansInFlight = spansInFlight;
    this.destination = destination;
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
    this.notable = notable;
  }
}
