package dev.llmobs;

import java.util.ArrayList;
import java.util.List;

/**
 * The spans of one trace, buffered until the trace's root finishes; then the whole trace is queued for export at
 * once. One buffer per trace, so concurrent invocations (Lambda Managed Instances) never share one.
 */
final class Trace {
  final String hexId;
  /** Whether this trace is kept (decided once, at its root) and the rate it was decided at. */
  final boolean sampled;
  final double sampleRate;
  private List<RealSpan> finished = new ArrayList<>(4); // null once the root finished
  private int dropped;

  /** A new trace, kept or not by {@code rate}, decided from its id: the same id gives the same decision anywhere. */
  Trace(long high, long low, double rate) {
    this.hexId = dev.llmobs.internal.Ids.traceIdHex(high, low);
    this.sampleRate = rate;
    this.sampled = rate >= 1 || (low >>> 11) * 0x1.0p-53 < rate;
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

  /**
   * Records a finished span. Returns the spans now ready to export (the whole trace when {@code isRoot}, the span
   * alone when the root finished earlier), or null while the trace is still open.
   */
  synchronized List<RealSpan> onFinish(RealSpan span, boolean isRoot, int maxSpans) {
    if (finished == null) return List.of(span);
    if (!isRoot) {
      if (finished.size() >= maxSpans) {
        finished.remove(0); // oldest first
        dropped++;
      }
      finished.add(span);
      return null;
    }
    List<RealSpan> all = finished;
    finished = null;
    all.add(span);
    return all;
  }

  /** Spans dropped because the trace outgrew the buffer; reset by the call. */
  synchronized int takeDropped() {
    int d = dropped;
    dropped = 0;
    return d;
  }
}
