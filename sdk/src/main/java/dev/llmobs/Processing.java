package dev.llmobs;

import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The span processor's stage of export: between the recorder's queue and the exporter, on the flushing thread, with
 * its own share of the flush's budget. Spans it had no time for wait here, in order, for the next flush, and leave
 * only once a whole trace is processed, so that a span the processor drops never leaves a child pointing at it: the
 * child takes the nearest kept ancestor as its parent.
 *
 * <p>A processor call cannot be interrupted, so none is started when the time left could not cover the last call's
 * time, except the first of each flush: a processor slower than the whole budget still makes progress, and a flush
 * overruns its budget by at most one call.
 */
final class Processing {
  /** Dropped spans remembered for their children still to come (spans finishing after their root). */
  private static final int REMEMBERED_DROPS = 4096;

  private final SpanProcessor processor;
  private final int maxWaiting;
  private final Object lock = new Object();
  // Guarded by lock.
  private final ArrayDeque<FinishedSpan> waiting = new ArrayDeque<>(); // not yet processed, oldest first
  private final List<FinishedSpan> held = new ArrayList<>(); // processed, their trace not yet whole
  private volatile long lastCallNanos;
  private boolean busy; // a flush is running the processor
  private final Map<Long, Long> droppedParents = new LinkedHashMap<Long, Long>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > REMEMBERED_DROPS;
    }
  };

  Processing(SpanProcessor processor, int maxWaiting) {
    this.processor = processor;
    this.maxWaiting = maxWaiting;
  }

  /** What one run did: spans ready to send, how many the processor dropped, how many wait for the next run. */
  static final class Run {
    final List<FinishedSpan> spans;
    final int dropped, waiting;

    Run(List<FinishedSpan> spans, int dropped, int waiting) {
      this.spans = spans;
      this.dropped = dropped;
      this.waiting = waiting;
    }
  }

  /** Forgets every span not yet processed (the processor is being replaced); returns how many. */
  int discard() {
    synchronized (lock) {
      int n = waiting.size() + held.size();
      waiting.clear();
      held.clear();
      return n;
    }
  }

  boolean hasWaiting() {
    synchronized (lock) {
      return !waiting.isEmpty() || !held.isEmpty();
    }
  }

  /**
   * Processes what waits, then {@code fresh}, oldest first, until {@code deadlineNanos}. One flush processes at a
   * time (the processor is the user's and need not be thread-safe); a concurrent flush leaves its spans waiting and
   * does not wait itself.
   */
  Run run(List<FinishedSpan> fresh, long deadlineNanos) {
    int dropped = 0;
    List<FinishedSpan> out;
    synchronized (lock) {
      waiting.addAll(fresh);
      while (waiting.size() > maxWaiting) { // bounded like the recorder's queue: the oldest go first
        waiting.pollFirst();
        dropped++;
      }
      if (dropped > 0) Log.warn("the span processor is behind: dropped the " + dropped + " oldest unprocessed spans");
      if (busy) return new Run(List.of(), dropped, waiting.size() + held.size());
      busy = true;
      out = new ArrayList<>(held);
      held.clear();
    }
    int droppedByProcessor = 0;
    try {
      for (boolean first = true; ; first = false) {
        FinishedSpan s;
        synchronized (lock) {
          long left = deadlineNanos - System.nanoTime();
          if (waiting.isEmpty() || left <= 0 || (!first && left < lastCallNanos)) break;
          s = waiting.pollFirst();
        }
        FinishedSpan result = call(s); // outside the lock: a concurrent flush only adds to the queue
        if (result != null) {
          out.add(result);
          continue;
        }
        droppedByProcessor++;
        synchronized (lock) {
          droppedParents.put(s.spanIdValue(), s.parentIdValue());
        }
      }
    } finally {
      synchronized (lock) {
        busy = false;
      }
    }
    if (droppedByProcessor > 0) Log.debug("the span processor dropped " + droppedByProcessor + " span(s)");
    synchronized (lock) {
      return new Run(release(out), dropped + droppedByProcessor, waiting.size() + held.size());
    }
  }

  private FinishedSpan call(FinishedSpan s) {
    long start = System.nanoTime();
    try {
      return processor.process(s);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.report("processor", "the span processor threw " + t + " on span '" + s.name() + "': the span is sent as it was");
      return s;
    } finally {
      lastCallNanos = System.nanoTime() - start;
    }
  }

  /**
   * The processed spans whose trace has nothing left waiting, re-parented past dropped ancestors; the others are held
   * for a later run. Guarded by lock.
   */
  private List<FinishedSpan> release(List<FinishedSpan> processed) {
    Set<String> unfinished = new HashSet<>();
    for (FinishedSpan s : waiting) unfinished.add(s.traceId());
    List<FinishedSpan> out = new ArrayList<>(processed.size());
    for (FinishedSpan s : processed) {
      if (unfinished.contains(s.traceId())) {
        held.add(s);
        continue;
      }
      long parent = s.parentIdValue(), kept = parent;
      for (int hops = 0; droppedParents.containsKey(kept) && hops < REMEMBERED_DROPS; hops++) kept = droppedParents.get(kept);
      out.add(kept == parent ? s : s.withParentId(kept));
    }
    return out;
  }
}
