package dev.llmobs.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Calls whose spans end on another thread (Bedrock streams end in the HTTP client's event loop), registered with the
 * trace they belong to. Before an invocation flushes, the Lambda wrapper waits, boundedly, for its trace's calls to
 * end; those still open then are ended as they are, marked incomplete, so their spans go with this invocation rather
 * than with a next one that may never come.
 */
public final class PendingCalls {
  private static final Object LOCK = new Object();
  private static final Map<Object, Entry> OPEN = new IdentityHashMap<>(); // guarded by LOCK

  private static final class Entry {
    final String traceId;
    final Runnable forceEnd;

    Entry(String traceId, Runnable forceEnd) {
      this.traceId = traceId;
      this.forceEnd = forceEnd;
    }
  }

  private PendingCalls() {}

  /** Registers an open call; {@code forceEnd} ends its span with what it has. */
  public static void opened(Object call, String traceId, Runnable forceEnd) {
    synchronized (LOCK) {
      OPEN.put(call, new Entry(traceId, forceEnd));
    }
  }

  /** The call ended by itself. */
  public static void ended(Object call) {
    synchronized (LOCK) {
      if (OPEN.remove(call) != null) LOCK.notifyAll();
    }
  }

  /**
   * Waits until no call of {@code traceId} is open or {@code deadlineNanos} passes, then force-ends what is still
   * open. Returns how many were forced.
   */
  public static int awaitTrace(String traceId, long deadlineNanos) {
    List<Runnable> forced = new ArrayList<>();
    synchronized (LOCK) {
      while (hasOpen(traceId)) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) break;
        try {
          TimeUnit.NANOSECONDS.timedWait(LOCK, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      for (java.util.Iterator<Entry> it = OPEN.values().iterator(); it.hasNext(); ) {
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
    if (!forced.isEmpty()) Log.info(forced.size() + " call(s) still streaming when the invocation ended: sent as incomplete");
    return forced.size();
  }

  private static boolean hasOpen(String traceId) {
    for (Entry e : OPEN.values()) if (e.traceId.equals(traceId)) return true;
    return false;
  }
}
