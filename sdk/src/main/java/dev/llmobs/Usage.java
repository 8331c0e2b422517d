package dev.llmobs;

import dev.llmobs.internal.Log;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports a misuse of the API without throwing: a WARN line the first time a kind of misuse happens, DEBUG lines
 * with the caller's stack after that, so a bug in a hot loop does not flood the function's logs.
 */
final class Usage {
  private static final Set<String> seen = ConcurrentHashMap.newKeySet();
  static final AtomicLong rejected = new AtomicLong();

  private Usage() {}

  /** Forgets which misuses were reported and the count of refused annotations: a new configuration starts clean. */
  static void reset() {
    seen.clear();
    rejected.set(0);
  }

  /** The annotations refused since the last call. */
  static long takeRejected() {
    return rejected.getAndSet(0);
  }

  /** Something the user sent was ignored or replaced: counted in the flush summary too. */
  static void rejected(String kind, String message) {
    rejected.incrementAndGet();
    report(kind, message);
  }

  static void report(String kind, String message) {
    if (seen.add(kind)) {
      Log.warn(message + " (further occurrences are logged at debug level)");
    } else if (Log.isDebug()) {
      StackTraceElement[] st = new Throwable().getStackTrace();
      StringBuilder where = new StringBuilder();
      for (int i = 2; i < Math.min(st.length, 6); i++) where.append(" at ").append(st[i]);
      Log.debug(message + where);
    }
  }
}
