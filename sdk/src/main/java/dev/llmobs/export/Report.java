package dev.llmobs.export;

/**
 * What one flush did at one destination: its counts, by the indexes below. Every span handed to it is in exactly one
 * of sent, kept, dropped, unconfirmed and in flight; what an earlier flush left in flight is counted by the flush that
 * reads its answer. Immutable; the SDK turns it into the public {@code FlushResult}.
 */
public final class Report {
  public static final int SPANS_SENT = 0, EVALUATIONS_SENT = 1, SPANS_KEPT = 2, EVALUATIONS_KEPT = 3,
      SPANS_DROPPED = 4, EVALUATIONS_DROPPED = 5, SPANS_UNCONFIRMED = 6, EVALUATIONS_UNCONFIRMED = 7,
      SPANS_TRUNCATED = 8, SPANS_IN_FLIGHT = 9, COUNTS = 10;

  public final String destination;
  private final int[] counts;
  public final long durationNanos;
  /** Anything a user should hear of: drops, truncation, events kept or unconfirmed. */
  public final boolean notable;

  Report(String destination, int[] counts, long durationNanos, boolean notable) {
    this.destination = destination;
    this.counts = counts.clone();
    this.durationNanos = durationNanos;
    this.notable = notable;
  }

  /** One of the counts: {@link #SPANS_SENT} and the others above. */
  public int count(int which) {
    return counts[which];
  }
}
