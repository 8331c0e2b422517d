package dev.llmobs;

import java.util.ArrayList;
import java.util.List;

/**
 * The spans of one trace, buffered until the trace's root finishes; then the whole trace is queued for export at
 * once. One buffer per trace, so concurrent invocations (Lambda Managed Instances) never share one.
 */
final class Trace {
  final String hexId;
  private List<RealSpan> finished = new ArrayList<>(4); // null once the root finished
  private int dropped;

  Trace(long high, long low) {
    this.hexId = dev.llmobs.internal.Ids.traceIdHex(high, low);
  }

  /** Trace of a span continued from another process. */
  static Trace fromHex(String hex) {
    long high = Long.parseUnsignedLong(hex.substring(0, 16), 16);
    long low = Long.parseUnsignedLong(hex.substring(16, 32), 16);
    return new Trace(high, low);
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
