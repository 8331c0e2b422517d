package dev.llmobs.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** OTLP/HTTP export settings, from the standard {@code OTEL_*} variables. Immutable. */
public final class OtlpSettings {
  /** Where spans go ({@code /v1/traces}) and evaluations go ({@code /v1/logs}, as evaluation events). */
  public final String tracesUrl, logsUrl;
  /** Extra request headers (name, value, ...) for traces and for logs; their values are secrets to the log. */
  public final String[] tracesHeaders, logsHeaders;
  /** Resource attributes from {@code OTEL_RESOURCE_ATTRIBUTES}, then {@code service.name}; in order. */
  public final Map<String, String> resourceAttributes;
  /** {@code OTEL_SEMCONV_STABILITY_OPT_IN} contains {@code gen_ai_latest_experimental}. */
  public final boolean latestGenAiOnly;
  /**
   * Whether traces and logs go as {@code http/protobuf} (the OTLP exporter specification's default) or
   * {@code http/json}: {@code OTEL_EXPORTER_OTLP_TRACES_PROTOCOL} / {@code _LOGS_PROTOCOL}, else
   * {@code OTEL_EXPORTER_OTLP_PROTOCOL}.
   */
  public final boolean tracesProtobuf, logsProtobuf;
  /**
   * Spans go to Datadog's OTLP intake for LLM Observability ({@code LLMOBS_EXPORTER=datadog-otlp}): with its
   * {@code dd-api-key} and {@code dd-otlp-source=llmobs} headers, and evaluations to Datadog's evaluation API.
   */
  public final boolean datadogIntake;
  /** Largest request body ({@code LLMOBS_OTLP_PAYLOAD_SIZE_BYTES}, default 4 MiB: collectors' usual cap). */
  public final int payloadBytes;

  /** The header that tells Datadog's OTLP intake the spans are LLM Observability's. */
  static final String SOURCE_HEADER = "dd-otlp-source";

  OtlpSettings(Map<String, String> e, String serviceFallback, DatadogRoute datadogIntake) {
    this.datadogIntake = datadogIntake != null;
    // Datadog's OTLP intake is https://otlp.<site>/v1/traces; an endpoint the user names still wins.
    String defaultBase = datadogIntake != null ? "https://otlp." + datadogIntake.site : "http://localhost:4318";
    String base = Config.stripSlash(Config.firstNonBlank(e.get("OTEL_EXPORTER_OTLP_ENDPOINT"), defaultBase));
    tracesUrl = Config.firstNonBlank(e.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), base + "/v1/traces");
    logsUrl = Config.firstNonBlank(e.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"), base + "/v1/logs");
    String[] common = parseHeaders("OTEL_EXPORTER_OTLP_HEADERS", e.get("OTEL_EXPORTER_OTLP_HEADERS"));
    String[] traces = merge(common, parseHeaders("OTEL_EXPORTER_OTLP_TRACES_HEADERS", e.get("OTEL_EXPORTER_OTLP_TRACES_HEADERS")));
    if (datadogIntake != null) {
      String key = datadogIntake.apiKey();
      if (key == null) Log.warn("LLMOBS_EXPORTER=datadog-otlp needs DD_API_KEY: Datadog's OTLP intake will refuse the spans");
      traces = merge(traces, key == null ? new String[] {SOURCE_HEADER, "llmobs"}
          : new String[] {"dd-api-key", key, SOURCE_HEADER, "llmobs"});
    }
    tracesHeaders = traces;
    logsHeaders = merge(common, parseHeaders("OTEL_EXPORTER_OTLP_LOGS_HEADERS", e.get("OTEL_EXPORTER_OTLP_LOGS_HEADERS")));
    Map<String, String> attrs = new java.util.LinkedHashMap<>();
    String[] parsed = parseHeaders("OTEL_RESOURCE_ATTRIBUTES", e.get("OTEL_RESOURCE_ATTRIBUTES"));
    for (int i = 0; i + 1 < parsed.length; i += 2) attrs.put(parsed[i], parsed[i + 1]);
    String service = Config.firstNonBlank(e.get("OTEL_SERVICE_NAME"), attrs.get("service.name"), serviceFallback);
    if (service != null) attrs.put("service.name", service);
    String function = Config.trimToNull(e.get("AWS_LAMBDA_FUNCTION_NAME"));
    if (function != null) { // the FaaS and cloud resource conventions; what the user set wins
      attrs.putIfAbsent("cloud.provider", "aws");
      attrs.putIfAbsent("cloud.platform", "aws_lambda");
      putIfPresent(attrs, "cloud.region", e.get("AWS_REGION"));
      attrs.putIfAbsent("faas.name", function);
      putIfPresent(attrs, "faas.version", e.get("AWS_LAMBDA_FUNCTION_VERSION"));
      putIfPresent(attrs, "faas.instance", e.get("AWS_LAMBDA_LOG_STREAM_NAME"));
      String mb = Config.trimToNull(e.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
      if (mb != null && mb.chars().allMatch(Character::isDigit)) {
        attrs.putIfAbsent("faas.max_memory", Long.toString(Long.parseLong(mb) * 1024 * 1024));
      }
    }
    resourceAttributes = Collections.unmodifiableMap(attrs);
    String optIn = e.get("OTEL_SEMCONV_STABILITY_OPT_IN");
    boolean latest = false;
    if (optIn != null) for (String v : optIn.split(",")) latest |= v.trim().equals("gen_ai_latest_experimental");
    latestGenAiOnly = latest;
    String protocol = e.get("OTEL_EXPORTER_OTLP_PROTOCOL");
    boolean tracesProto = protobuf("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", Config.firstNonBlank(e.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"), protocol));
    if (datadogIntake != null && !tracesProto) {
      Log.warn("Datadog's OTLP intake takes http/protobuf only: spans go as http/protobuf");
      tracesProto = true;
    }
    tracesProtobuf = tracesProto;
    logsProtobuf = protobuf("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", Config.firstNonBlank(e.get("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL"), protocol));
    payloadBytes = (int) Config.clamp(Config.longValue(e, "LLMOBS_OTLP_PAYLOAD_SIZE_BYTES", 4 << 20), 1024, Integer.MAX_VALUE - 16);
  }

  /** {@code http/json} or (default, and for anything we do not speak, said once) {@code http/protobuf}. */
  private static boolean protobuf(String variable, String value) {
    String v = Config.trimToNull(value);
    if (v == null || v.equals("http/protobuf")) return true;
    if (v.equals("http/json")) return false;
    Log.warn(variable + " (or OTEL_EXPORTER_OTLP_PROTOCOL) is '" + v + "': llmobs-lambda speaks http/protobuf and "
        + "http/json; using http/protobuf");
    return true;
  }

  private static void putIfPresent(Map<String, String> attrs, String key, String value) {
    if (Config.trimToNull(value) != null) attrs.putIfAbsent(key, value.trim());
  }

  /** Every header value but the source header's, for the log's redaction. */
  List<String> secrets() {
    List<String> out = new ArrayList<>();
    for (String[] h : new String[][] {tracesHeaders, logsHeaders}) {
      for (int i = 1; i < h.length; i += 2) {
        // Datadog's source header says "llmobs", no secret: hidden, it hid that word in every log line.
        if (!h[i - 1].equalsIgnoreCase(SOURCE_HEADER)) out.add(h[i]);
      }
    }
    return out;
  }

  private static String[] merge(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * {@code key=value,key=value}, values percent-decoded, as the OTel specification defines these variables.
   * A malformed entry is skipped with one warning that names the variable, never its value.
   */
  static String[] parseHeaders(String variable, String s) {
    if (s == null || s.isBlank()) return new String[0];
    List<String> out = new ArrayList<>();
    for (String entry : s.split(",")) {
      int eq = entry.indexOf('=');
      String key = eq <= 0 ? "" : entry.substring(0, eq).trim();
      if (key.isEmpty()) {
        if (!entry.isBlank()) Log.warn(variable + " has an entry that is not key=value; it is skipped");
        continue;
      }
      try {
        out.add(java.net.URLDecoder.decode(key, java.nio.charset.StandardCharsets.UTF_8));
        out.add(java.net.URLDecoder.decode(entry.substring(eq + 1).trim(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException ex) {
        out.remove(out.size() - 1);
        Log.warn(variable + " has an entry whose value is not percent-encoded correctly; it is skipped");
      }
    }
    return out.toArray(new String[0]);
  }

  /** Where OTLP goes, without header values. */
  String describe() {
    if (datadogIntake) return "Datadog's OTLP intake " + tracesUrl + " (protobuf; evaluations to Datadog's evaluation API)";
    return "OTLP/HTTP " + (tracesProtobuf ? "protobuf " : "JSON ") + tracesUrl + " (evaluations " + logsUrl
        + (logsProtobuf == tracesProtobuf ? "" : logsProtobuf ? ", protobuf" : ", JSON") + ")";
  }
}
