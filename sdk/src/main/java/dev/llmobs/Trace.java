package dev.llmobs;

/**
 * The identity of a trace and its sampling decision: immutable. Its spans wait for export in the
 * {@link Recorder}'s buffer for this trace, not here.
 */
final class Trace {
  final String hexId;
  /** Whether this trace is kept (decided once, at its root) and the rate it was decided at. */
  final boolean sampled;
  final double sampleRate;

  /** A new trace, kept or not by {@code rate}, decided from its id: the same id gives the same decision anywhere. */
  Trace(long high, long low, double rate) {
    this(dev.llmobs.internal.Ids.traceIdHex(high, low), rate >= 1 || (low >>> 11) * 0x1.0p-53 < rate, rate);
  }

  private Trace(String hexId, boolean sampled, double rate) {
    this.hexId = hexId;
    this.sampled = sampled;
    this.sampleRate = rate;
  }

  /** Trace of a span continued from another process: the caller's decision stands when it sent one. */
  static Trace fromHex(String hex, SpanContext remote, double rate) {
    long high = Long.parseUnsignedLong(hex.substring(0, 16), 16);
    long low = Long.parseUnsignedLong(hex.substring(16, 32), 16);
    if (remote != null && remote.sampled != null) {
      return new Trace(dev.llmobs.internal.Ids.traceIdHex(high, low), remote.sampled,
          Double.isNaN(remote.sampleRate) ? rate : remote.sampleRate);
    }
    return new Trace(high, low, rate);
  }
}
