package dev.llmobs.export;

import dev.llmobs.internal.Log;
import java.util.concurrent.TimeUnit;

/**
 * Stops a sick destination from taxing every invocation. After {@link #FAILURES} flushes in a row in which it refused
 * connections, did not answer in time, or answered 5xx/429, later flushes keep their events (within the usual bounds)
 * and return at once; every {@link #PROBE_EVERY} flushes, or {@link #PROBE_SECONDS} after the last probe, one asks
 * whether it answers at all, with a small share of its budget and no event at risk. An answer closes the breaker,
 * and what was kept leaves first, in order. Thread-safe.
 */
final class Breaker {
  static final int FAILURES = 3;
  static final int PROBE_EVERY = 8;
  static final long PROBE_SECONDS = 5;
  /** A probe's share of the time a flush has: a slow destination costs a probing invocation little. */
  static final int PROBE_SHARE = 16;

  private final String destination;
  private int failures, skipped; // guarded by this
  private boolean open; // guarded by this
  private long lastProbeNanos; // guarded by this

  Breaker(String destination) {
    this.destination = destination;
  }

  /** What a flush may do now. */
  enum Verdict { SEND, PROBE, SKIP }

  synchronized Verdict verdict(long now) {
    if (!open) return Verdict.SEND;
    if (++skipped >= PROBE_EVERY || now - lastProbeNanos >= TimeUnit.SECONDS.toNanos(PROBE_SECONDS)) {
      skipped = 0;
      lastProbeNanos = now;
      return Verdict.PROBE;
    }
    return Verdict.SKIP;
  }

  /** The deadline of a probe started at {@code now} within a flush ending at {@code deadline}. */
  static long probeDeadline(long now, long deadline) {
    return now + Math.max(0, deadline - now) / PROBE_SHARE;
  }

  /** How a flush that tried to send went. */
  synchronized void record(boolean sick, long now) {
    if (!sick) {
      if (open) Log.info(destination + " answers again: sending what was kept");
      failures = 0;
      open = false;
      return;
    }
    if (++failures >= FAILURES && !open) {
      open = true;
      lastProbeNanos = now;
      skipped = 0;
      Log.warn(destination + " failed " + failures + " flushes in a row: events are kept (within the buffer's"
          + " bounds) and flushes return at once, asking from time to time whether it answers again");
    }
  }
}
