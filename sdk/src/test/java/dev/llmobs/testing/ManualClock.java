package dev.llmobs.testing;

import dev.llmobs.internal.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand. */
public final class ManualClock implements Clock {
  private final AtomicLong epoch = new AtomicLong(1_763_745_000_000_000_000L);
  private final AtomicLong nano = new AtomicLong(1_000_000L);

  @Override public long epochNanos() {
    return epoch.get();
  }

  @Override public long nanoTime() {
    return nano.get();
  }

  public void advanceNanos(long n) {
    epoch.addAndGet(n);
    nano.addAndGet(n);
  }
}
