package dev.llmobs;

import dev.llmobs.internal.Throwables;
import java.io.PrintWriter;
import java.io.StringWriter;

/** What a span records of an exception: its message and its stack trace, bounded, whatever the exception does. */
final class Errors {
  static final int MAX_STACK_CHARS = 32 * 1024;

  private Errors() {}

  /** The message, or "" when there is none or reading it throws. */
  static String message(Throwable t) {
    try {
      String m = t.getMessage();
      return m == null ? "" : m;
    } catch (Throwable e) {
      Throwables.propagateIfFatal(e);
      return "";
    }
  }

  /** The printed stack trace, cut to {@link #MAX_STACK_CHARS} (said once); null when printing it throws. */
  static String stackTrace(Throwable t) {
    try {
      StringWriter w = new StringWriter(1024);
      t.printStackTrace(new PrintWriter(w));
      String s = w.toString();
      if (s.length() <= MAX_STACK_CHARS) return s;
      Usage.rejected("stack", "a stack trace of " + s.length() + " characters was cut to " + MAX_STACK_CHARS);
      return s.substring(0, MAX_STACK_CHARS) + "\n\t... [truncated " + (s.length() - MAX_STACK_CHARS) + " characters]";
    } catch (Throwable e) {
      Throwables.propagateIfFatal(e);
      return null;
    }
  }
}
