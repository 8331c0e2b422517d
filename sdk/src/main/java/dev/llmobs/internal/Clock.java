package dev.llmobs.internal;

/** Wall and monotonic time; replaced in tests so that none depends on the real clock. */
public interface Clock {
  Clock SYSTEM = new Clock() {
    @Override public long epochNanos() {
      java.time.Instant now = java.time.Instant.now();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override public long nanoTime() {
      return System.nanoTime();
    }
  };

  long epochNanos();

  long nanoTime();
}
