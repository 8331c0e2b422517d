package dev.llmobs.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SDK's settings, read once from a map of environment variables. Immutable; tests pass a map, never the real
 * environment. Every variable is listed in the README's configuration table.
 */
public final class Config {
  /** Where spans go in Datadog's format; {@code NONE} when they go only over OTLP. */

  public static final int DEFAULT_PAYLOAD_BYTES = 5 << 20; // 5,242,880: the intake's request cap
  public static final int EXTENSION_PAYLOAD_BYTES = 2 << 20; // 2,097,152: the Lambda extension's proxy cap
  public static final int DEFAULT_EVENT_BYTES = 5_000_000;
  static final String EXTENSION_PATH = "/opt/extensions/datadog-agent";

  public final boolean enabled;
  public final String mlApp;
  public final String service, env, version;
  public final List<String> globalTags;
  /** Where spans go in Datadog's format, and how that was decided. */
  public final DatadogRoute datadog;
  public final int eventBytes;
  public final int maxBufferedSpans;
  /** Spans open at once ({@code LLMOBS_MAX_OPEN_SPANS}): beyond, the oldest are finished as not closed. */
  public final int maxOpenSpans;
  /** Bound in bytes of spans waiting for a flush, and of events kept for retry ({@code LLMOBS_BUFFER_MAX_BYTES}). */
  public final long maxRetainedBytes;
  public final long flushTimeoutMillis;
  /**
   * {@code LLMOBS_FLUSH_ACK}: {@code wait} (the default) reads each request's answer before the flush returns;
   * {@code next} writes the last batch to an agent or collector on this machine and reads its answer at the next flush.
   */
  public final boolean carryAnswers;
  public final boolean captureIo;
  /** {@code DD_LLMOBS_SAMPLE_RATE}: the share of traces kept, decided at each root; 1.0 keeps all. */
  public final double sampleRate;
  /** {@code LLMOBS_BEDROCK_ENABLED}: automatic spans for Amazon Bedrock calls. */
  public final boolean bedrockEnabled;
  /** {@code LLMOBS_LANGCHAIN4J_ENABLED}: LangChain4j AI Services traced with no code, when our module is present. */
  public final boolean langchain4jEnabled;
  /** {@code LLMOBS_LOG_LEVEL}, applied when this configuration is installed; null = the default, {@code info}. */
  public final String logLevel;
  /** Under SnapStart ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) every id comes from {@code SecureRandom}. */
  public final boolean snapStart;
  /** OTLP export, or null when {@code LLMOBS_EXPORTER} does not name {@code otlp}. */
  public final OtlpSettings otlp;

  private Config(Map<String, String> e, boolean extensionPresent) {
    enabled = bool(e, "DD_LLMOBS_ENABLED", true);
    service = trimToNull(e.get("DD_SERVICE"));
    env = trimToNull(e.get("DD_ENV"));
    version = trimToNull(e.get("DD_VERSION"));
    String app = firstNonBlank(e.get("DD_LLMOBS_ML_APP"), service, e.get("AWS_LAMBDA_FUNCTION_NAME"));
    mlApp = app == null ? "unnamed-ml-app" : normalizeMlApp(app);
    globalTags = parseTags(e.get("DD_TAGS"));
    flushTimeoutMillis = flushTimeoutMillis(e);
    String ack = lower(trimToNull(e.get("LLMOBS_FLUSH_ACK")));
    if (ack != null && !ack.equals("wait") && !ack.equals("next")) {
      Log.warn("LLMOBS_FLUSH_ACK=" + ack + " is not wait or next; using wait");
    }
    carryAnswers = "next".equals(ack);
    maxBufferedSpans = (int) Math.max(1, longValue(e, "LLMOBS_BUFFER_MAX_SPANS", 1000));
    maxOpenSpans = (int) clamp(longValue(e, "LLMOBS_MAX_OPEN_SPANS", 10_000), 1, Integer.MAX_VALUE);
    maxRetainedBytes = Math.max(1, longValue(e, "LLMOBS_BUFFER_MAX_BYTES", 32L << 20));
    captureIo = bool(e, "LLMOBS_CAPTURE_IO", true);
    sampleRate = rate(e, "DD_LLMOBS_SAMPLE_RATE");
    bedrockEnabled = bool(e, "LLMOBS_BEDROCK_ENABLED", true);
    langchain4jEnabled = bool(e, "LLMOBS_LANGCHAIN4J_ENABLED", true);
    logLevel = trimToNull(e.get("LLMOBS_LOG_LEVEL"));
    snapStart = "snap-start".equals(trimToNull(e.get("AWS_LAMBDA_INITIALIZATION_TYPE")))
        || trimToNull(e.get("AWS_LAMBDA_MICROVM_IMAGE_ARN")) != null;

    // LLMOBS_EXPORTER: a comma-separated list; otlp may stand beside one Datadog route (e.g. agent,otlp).
    // datadog-otlp: OTLP to Datadog's own OTLP intake for LLM Observability (its headers, its evaluation API).
    String explicit = null;
    boolean withOtlp = false, otlpOnly = false, datadogOtlp = false;
    String exporters = lower(trimToNull(e.get("LLMOBS_EXPORTER")));
    if (exporters != null) {
      for (String x : exporters.split(",")) {
        x = x.trim();
        if (x.equals("otlp")) withOtlp = true;
        else if (x.equals("datadog-otlp")) withOtlp = datadogOtlp = true;
        else if (!x.isEmpty()) explicit = explicit == null ? x : explicit;
      }
      otlpOnly = withOtlp && explicit == null;
    }
    datadog = new DatadogRoute(e, extensionPresent, explicit, otlpOnly);
    otlp = withOtlp ? new OtlpSettings(e, firstNonBlank(service, e.get("AWS_LAMBDA_FUNCTION_NAME")),
        datadogOtlp ? datadog : null) : null;
    eventBytes = (int) clamp(longValue(e, "DD_LLMOBS_EVENT_SIZE_BYTES", DEFAULT_EVENT_BYTES), 512, Integer.MAX_VALUE - 16);
  }

  /** Reads the settings from {@code env}; a present Datadog extension is detected on the file system. */
  public static Config fromEnv(Map<String, String> env) {
    return new Config(env, new java.io.File(EXTENSION_PATH).exists());
  }

  /** As {@link #fromEnv(Map)}, with the extension's presence given; for tests. */
  public static Config fromEnv(Map<String, String> env, boolean extensionPresent) {
    return new Config(env, extensionPresent);
  }

  /** What the log must never show: the API key and every OTLP header value. */
  public List<String> secrets() {
    List<String> out = new ArrayList<>();
    if (datadog.apiKey() != null) out.add(datadog.apiKey());
    if (otlp != null) out.addAll(otlp.secrets());
    return out;
  }

  /** Describes where spans go, without the API key or any header value. */
  public String describeRoute() {
    if (otlp == null) return datadog.describe();
    return datadog.route == DatadogRoute.Route.NONE ? otlp.describe() : datadog.describe() + " and " + otlp.describe();
  }

  @Override public String toString() {
    return "Config{enabled=" + enabled + ", mlApp=" + mlApp + ", route=" + datadog.route + ", apiKey="
        + (datadog.apiKey() == null ? "unset" : "set") + "}";
  }

  /**
   * Applies Datadog's ml_app naming rule: lower case; letters, digits, {@code _ - : . /}; at most 193 characters;
   * no doubled or trailing underscores.
   */
  public static String normalizeMlApp(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 193));
    for (int i = 0; i < s.length() && b.length() < 193; i++) {
      char c = Character.toLowerCase(s.charAt(i));
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '.' || c == '/';
      char out = ok ? c : '_';
      if (out == '_' && b.length() > 0 && b.charAt(b.length() - 1) == '_') continue;
      b.append(out);
    }
    while (b.length() > 0 && b.charAt(b.length() - 1) == '_') b.setLength(b.length() - 1);
    return b.length() == 0 ? "unnamed-ml-app" : b.toString();
  }

  /** Tag keys the SDK sets itself; a {@code DD_TAGS} entry may not duplicate them on the wire. */
  public static final java.util.Set<String> RESERVED_TAGS = java.util.Set.of("ml_app", "session_id", "service", "env",
      "version", "source", "language", "error", "error_type", "ddtrace.version");

  static List<String> parseTags(String s) {
    if (s == null || s.isBlank()) return Collections.emptyList();
    List<String> out = new ArrayList<>();
    for (String t : s.split("[,\\s]+")) {
      if (t.isEmpty()) continue;
      String tag = t.indexOf(':') < 0 ? t + ":" : t;
      String key = tag.substring(0, tag.indexOf(':'));
      if (RESERVED_TAGS.contains(key)) {
        Log.warn("DD_TAGS entry '" + key + ":...' is ignored: " + key + " is set by the SDK (DD_SERVICE, DD_ENV, DD_VERSION"
            + " and DD_LLMOBS_ML_APP set those)");
        continue;
      }
      out.add(tag);
    }
    return Collections.unmodifiableList(out);
  }

  /** {@code LLMOBS_FLUSH_TIMEOUT_MS}: the cap of a flush's budget, and of the wrapper's whole flush step. */
  public static long flushTimeoutMillis(Map<String, String> e) {
    return Math.max(1, longValue(e, "LLMOBS_FLUSH_TIMEOUT_MS", 2000));
  }

  /** A boolean setting ({@code true/false}, {@code 1/0}, {@code yes/no}); anything else warns and gives {@code dflt}. */
  public static boolean bool(Map<String, String> e, String key, boolean dflt) {
    String v = lower(trimToNull(e.get(key)));
    if (v == null) return dflt;
    if (v.equals("true") || v.equals("1") || v.equals("yes")) return true;
    if (v.equals("false") || v.equals("0") || v.equals("no")) return false;
    Log.warn(key + "=" + v + " is not a boolean; using " + dflt);
    return dflt;
  }

  private static double rate(Map<String, String> e, String key) {
    String v = trimToNull(e.get(key));
    if (v == null) return 1.0;
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && d <= 1) return d;
    } catch (NumberFormatException ex) {
      // said below
    }
    Log.warn(key + "=" + v + " is not a number from 0 to 1; keeping every trace (1.0)");
    return 1.0;
  }

  /** A whole-number setting; anything else warns and gives {@code dflt}. */
  public static long longValue(Map<String, String> e, String key, long dflt) {
    String v = trimToNull(e.get(key));
    if (v == null) return dflt;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException ex) {
      Log.warn(key + "=" + v + " is not a whole number; using " + dflt);
      return dflt;
    }
  }

  static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) return v.trim();
    }
    return null;
  }

  /** The trimmed value, or null when absent or blank. */
  public static String trimToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  static String stripSlash(String s) {
    return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
