package dev.llmobs;

import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Calls whose spans end on another thread (Bedrock streams end in the HTTP client's event loop; a LangChain4j token
 * stream where its consumer runs), registered with the trace they belong to. When an invocation ends, the awaited
 * ones get a bounded wait to end by themselves; whatever is still open then is ended as it is, marked incomplete,
 * so that its span goes with this invocation and its bookkeeping is freed, rather than kept for a next invocation
 * that may never come.
 */
final class PendingCalls {
  private final Object lock = new Object();
  private final Map<Object, Entry> open = new IdentityHashMap<>(); // guarded by lock

  private static final class Entry {
    final String traceId;
    final boolean awaited;
    final Runnable forceEnd;

    Entry(String traceId, boolean awaited, Runnable forceEnd) {
      this.traceId = traceId;
      this.awaited = awaited;
      this.forceEnd = forceEnd;
    }
  }

  void opened(Object call, String traceId, boolean awaited, Runnable forceEnd) {
    synchronized (lock) {
      open.put(call, new Entry(traceId, awaited, forceEnd));
    }
  }

  void ended(Object call) {
    synchronized (lock) {
      if (open.remove(call) != null) lock.notifyAll();
    }
  }

  /**
   * Waits until no awaited call of {@code traceId} is open or {@code deadlineNanos} passes, then force-ends every
   * call of the trace still open. Returns how many were forced.
   */
  int endTrace(String traceId, long deadlineNanos) {
    List<Runnable> forced = new ArrayList<>();
    synchronized (lock) {
      if (open.isEmpty()) return 0;
      while (hasAwaited(traceId)) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) break;
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      for (Iterator<Entry> it = open.values().iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (e.traceId.equals(traceId)) {
          forced.add(e.forceEnd);
          it.remove();
        }
      }
    }
    for (Runnable r : forced) {
      try {
        r.run();
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
      }
    }
    if (!forced.isEmpty()) Log.info(forced.size() + " call(s) still open when the invocation ended: sent as incomplete");
    return forced.size();
  }

  private boolean hasAwaited(String traceId) {
    for (Entry e : open.values()) if (e.awaited && e.traceId.equals(traceId)) return true;
    return false;
  }
}
