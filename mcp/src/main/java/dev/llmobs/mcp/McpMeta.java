package dev.llmobs.mcp;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanBuilder;
import dev.llmobs.SpanContext;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.TracerHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace context in a request's {@code params._meta}, placed where both readers look: {@code traceparent} and
 * {@code tracestate} at the top of {@code _meta} (OpenTelemetry's MCP conventions), and Datadog's headers under
 * {@code _meta._dd_trace_context} (dd-trace-py's MCP integration). Our LLM Observability parent travels in both (the
 * {@code dd} member of {@code tracestate}, {@code x-datadog-tags}). Whatever another tracer put there is kept: its
 * entries are the starting point our context is merged into.
 */
final class McpMeta {
  static final String META = "_meta";
  static final String DD = "_dd_trace_context";

  private McpMeta() {}

  /** A copy of {@code params} with {@code span}'s context written into its {@code _meta}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> inject(Map<String, Object> params, LLMObsSpan span) {
    Map<String, Object> out = new LinkedHashMap<>(params);
    Object m = out.get(META);
    Map<String, Object> meta = m instanceof Map ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();

    Map<String, String> dd = new LinkedHashMap<>();
    if (meta.get(DD) instanceof Map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) meta.get(DD)).entrySet()) {
        if (e.getValue() != null) dd.put(e.getKey(), e.getValue().toString());
      }
    }
    if (!dd.containsKey("traceparent") && meta.get("traceparent") instanceof String) {
      dd.put("traceparent", (String) meta.get("traceparent"));
      if (meta.get("tracestate") instanceof String) dd.put("tracestate", (String) meta.get("tracestate"));
    }
    LLMObs.inject(span, dd);
    meta.put(DD, dd);

    Map<String, String> w3c = new LinkedHashMap<>();
    if (meta.get("traceparent") instanceof String) w3c.put("traceparent", (String) meta.get("traceparent"));
    if (meta.get("tracestate") instanceof String) w3c.put("tracestate", (String) meta.get("tracestate"));
    LLMObs.inject(span, w3c);
    meta.put("traceparent", w3c.get("traceparent"));
    meta.put("tracestate", w3c.get("tracestate"));
    out.put(META, meta);
    return out;
  }

  /**
   * A span of a server serving a request: the server's own ml_app (not the caller's propagated one), and the
   * caller's span from {@code meta} as its parent, unless this process already continues the caller's trace (a
   * Lambda invocation whose HTTP headers carried it): then the span nests where it runs.
   */
  static SpanBuilder serverSpan(SpanKind kind, String name, Map<String, Object> meta) {
    SpanContext caller = extract(meta);
    LLMObsSpan current = LLMObs.currentSpan();
    SpanBuilder builder = LLMObs.span(kind, name);
    String ours = TracerHandle.current().mlApp();
    if (ours != null) builder.mlApp(ours);
    if (caller != null && (!current.isRecording() || !current.context().traceId().equals(caller.traceId()))) {
      builder.parent(caller);
    }
    return builder;
  }

  /** The caller's context carried by a request's {@code _meta} (Datadog's headers first, then W3C), or null. */
  @SuppressWarnings("unchecked")
  static SpanContext extract(Map<String, Object> meta) {
    if (meta == null) return null;
    Map<String, String> headers = new LinkedHashMap<>();
    Object dd = meta.get(DD);
    if (dd instanceof Map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) dd).entrySet()) {
        if (e.getValue() != null) headers.put(e.getKey(), e.getValue().toString());
      }
    }
    if (headers.isEmpty() && meta.get("traceparent") != null) {
      headers.put("traceparent", meta.get("traceparent").toString());
      if (meta.get("tracestate") != null) headers.put("tracestate", meta.get("tracestate").toString());
    }
    return headers.isEmpty() ? null : LLMObs.extract(headers);
  }
}
