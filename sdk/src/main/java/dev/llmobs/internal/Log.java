package dev.llmobs.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * One-line log messages on stderr, which Lambda ships to CloudWatch. No logging framework: JUL's LogManager and
 * SLF4J bindings cost cold-start time and could clash with the user's logging set-up.
 *
 * <p>Level from {@code LLMOBS_LOG_LEVEL} ({@code debug}, {@code info}, {@code warn}, {@code off}); default
 * {@code info}. Every line, at every level, passes through {@link #redact}: no substring of 8 characters or more
 * of a secret (the API key, an OTLP header value) nor of its Base64 form is ever printed, whatever a peer echoed
 * back or an exception carried.
 */
public final class Log {
  public static final int DEBUG = 0, INFO = 1, WARN = 2, OFF = 3;
  /** The shortest run of a secret's characters that is removed from a line. */
  static final int MIN_SECRET_RUN = 8;

  private static volatile int level = parse(System.getenv("LLMOBS_LOG_LEVEL"));
  private static volatile String[] secrets = new String[0]; // lower case
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

  /**
   * Installs a configuration's log settings, replacing the previous ones: the level (null = the default,
   * {@code info}) and the secrets that no line may show (the API key, OTLP header values).
   */
  public static void configure(String levelName, java.util.List<String> secretValues) {
    level = parse(levelName);
    java.util.List<String> all = new java.util.ArrayList<>();
    for (String secret : secretValues) {
      if (secret == null || secret.isEmpty()) continue;
      all.add(lower(secret));
      all.add(lower(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))));
    }
    secrets = all.toArray(new String[0]);
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
      out.accept("[llmobs] " + lvl + " " + redact(msg, secrets));
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }

  /**
   * {@code text} with every run of {@link #MIN_SECRET_RUN} or more characters that also stands in one of
   * {@code secrets} (lower case; compared ignoring case) replaced by {@code ***}. A secret shorter than the run is
   * removed wherever it stands whole.
   */
  static String redact(String text, String[] secrets) {
    if (text == null || secrets.length == 0) return text;
    String lower = lower(text);
    StringBuilder b = null;
    int copied = 0;
    for (int i = 0; i < text.length(); ) {
      int run = 0;
      for (String s : secrets) run = Math.max(run, longestRunAt(lower, i, s));
      if (run > 0) {
        if (b == null) b = new StringBuilder(text.length());
        b.append(text, copied, i).append("***");
        i += run;
        copied = i;
      } else {
        i++;
      }
    }
    if (b == null) return text;
    return b.append(text, copied, text.length()).toString();
  }

  /** The length of the longest substring of {@code secret} that starts at {@code i} in {@code text}, if long enough. */
  private static int longestRunAt(String text, int i, String secret) {
    int need = Math.min(MIN_SECRET_RUN, secret.length());
    int best = 0;
    char c = text.charAt(i);
    for (int j = secret.indexOf(c); j >= 0; j = secret.indexOf(c, j + 1)) {
      int n = 0;
      while (i + n < text.length() && j + n < secret.length() && text.charAt(i + n) == secret.charAt(j + n)) n++;
      if (n > best) best = n;
    }
    return best >= need ? best : 0;
  }

  /** Lower case char by char, so that indexes in the result are indexes in {@code s}. */
  private static String lower(String s) {
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) c[i] = Character.toLowerCase(c[i]);
    return new String(c);
  }
}
