package dev.llmobs.internal;

/**
 * Loads and initializes classes before their first use: at Init, so that a function's first invocation does not pay
 * for reading them from the jar, verifying and initializing them (about 0.3 ms a class in a fresh JVM). The lists come
 * from what a first invocation was seen loading ({@code -Xlog:class+load} under {@code LayerColdStart}); a name
 * that no longer exists is skipped, and tests check that every listed name does. Never throws.
 */
public final class Preload {
  private Preload() {}

  /**
   * Loads and initializes {@code names} (binary names) with {@code anchor}'s class loader, stopping at
   * {@code deadlineNanos}. Returns how many were loaded.
   */
  public static int classes(Class<?> anchor, long deadlineNanos, String... names) {
    ClassLoader loader = anchor.getClassLoader();
    int loaded = 0;
    for (String name : names) {
      if (System.nanoTime() - deadlineNanos >= 0) break;
      try {
        Class.forName(name, true, loader);
        loaded++;
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
      }
    }
    return loaded;
  }
}
