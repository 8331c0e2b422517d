package dev.llmobs.internal;

import java.util.function.Consumer;

/**
 * One-line log messages on stderr, which Lambda ships to CloudWatch. No logging framework: JUL's LogManager and
 * SLF4J bindings cost cold-start time and could clash with the user's logging set-up.
 *
 * <p>Level from {@code LLMOBS_LOG_LEVEL} ({@code debug}, {@code info}, {@code warn}, {@code off}); default
 * {@code info}. Nothing here ever prints a secret: callers pass messages without one.
 */
public final class Log {
  public static final int DEBUG = 0, INFO = 1, WARN = 2, OFF = 3;

  private static volatile int level = parse(System.getenv("LLMOBS_LOG_LEVEL"));
  private static volatile Consumer<String> out = new Consumer<String>() { // not a lambda: no indy bootstrap at start
    @Override public void accept(String line) {
      System.err.println(line);
    }
  };

  private Log() {}

  static int parse(String s) {
    if (s == null) return INFO;
    switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "debug": case "trace": return DEBUG;
      case "warn": case "warning": case "error": return WARN;
      case "off": case "none": return OFF;
      default: return INFO;
    }
  }

  public static void setLevel(String s) {
    level = parse(s);
  }

  /** Redirects output; for tests. Returns the previous consumer. */
  public static Consumer<String> redirect(Consumer<String> consumer) {
    Consumer<String> previous = out;
    out = consumer;
    return previous;
  }

  public static boolean isDebug() {
    return level <= DEBUG;
  }

  public static void debug(String msg) {
    if (level <= DEBUG) emit("DEBUG", msg);
  }

  public static void info(String msg) {
    if (level <= INFO) emit("INFO", msg);
  }

  public static void warn(String msg) {
    if (level <= WARN) emit("WARN", msg);
  }

  private static void emit(String lvl, String msg) {
    try {
      out.accept("[llmobs] " + lvl + " " + msg);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }
}
