package dev.llmobs.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How late this machine wakes a thread up, measured while a timed test runs: a bound on how long a call may take is
 * the SDK's promise plus this, so that a busy machine (both cores taken by other work) does not fail a test whose code
 * kept its word. A thread parks for 5 ms again and again and records the worst overshoot; closed, it stops.
 */
public final class Lateness implements AutoCloseable {
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private final AtomicLong worstNanos = new AtomicLong();
  private volatile boolean running = true;
  private final Thread probe;

  private Lateness() {
    probe = new Thread(this::run, "lateness-probe");
    probe.setDaemon(true);
    probe.start();
  }

  /** Starts measuring. */
  public static Lateness watch() {
    return new Lateness();
  }

  private void run() {
    while (running) {
      long t0 = System.nanoTime();
      LockSupport.parkNanos(PERIOD_NANOS);
      long late = System.nanoTime() - t0 - PERIOD_NANOS;
      worstNanos.accumulateAndGet(late, Math::max);
    }
  }

  /** The worst overshoot of a 5 ms timed wait seen so far, in milliseconds. */
  public long worstMillis() {
    return TimeUnit.NANOSECONDS.toMillis(worstNanos.get());
  }

  @Override public void close() {
    running = false;
    LockSupport.unpark(probe);
    try {
      probe.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
