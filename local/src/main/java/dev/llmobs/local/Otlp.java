package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP/HTTP requests (JSON or protobuf, read by {@link OtlpWire}) turned back into the LLM Observability span and
 * evaluation shape the viewer and the trace printer use: the GenAI conventions' attributes and our {@code llmobs.*}
 * ones mapped the way our exporter wrote them, so a span looks the same whichever route it took. What has no place
 * there stays a tag.
 */
final class Otlp {
  private Otlp() {}

  // ---- requests -------------------------------------------------------------------------------------------------

  static List<Map<String, Object>> spans(byte[] body) throws IOException {
    List<OtlpWire.RawSpan> raw = OtlpWire.spans(body);
    List<Map<String, Object>> out = new ArrayList<>();
    for (OtlpWire.RawSpan s : raw) out.add(toLlmObs(s));
    return out;
  }

  static List<Map<String, Object>> evaluations(byte[] body) throws IOException {
    List<OtlpWire.RawLog> raw = OtlpWire.logs(body);
    List<Map<String, Object>> out = new ArrayList<>();
    for (OtlpWire.RawLog l : raw) {
      if (l.eventName != null && !l.eventName.equals("gen_ai.evaluation.result")) continue;
      out.add(toEvaluation(l));
    }
    return out;
  }

  // ---- mapping -------------------------------------------------------------------------------------------------

  /** One OTLP span as an LLM Observability span: the inverse of our exporter's mapping (see the README's table). */
  static Map<String, Object> toLlmObs(OtlpWire.RawSpan s) {
    Map<String, Object> a = s.attributes;
    Map<String, Object> span = new LinkedHashMap<>();
    span.put("trace_id", s.traceId);
    span.put("span_id", decimal(s.spanId));
    span.put("parent_id", s.parentSpanId.isEmpty() ? "undefined" : decimal(s.parentSpanId));
    String kind = kindOf(a);
    span.put("name", ourName(kind, s.name, a));
    span.put("start_ns", s.start);
    span.put("duration", Math.max(0, s.end - s.start));
    span.put("status", s.statusCode == 2 ? "error" : "ok");
    Object session = a.get("gen_ai.conversation.id");
    if (session != null) span.put("session_id", session);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("span", Map.of("kind", kind));
    Object model = a.containsKey("gen_ai.response.model") ? a.get("gen_ai.response.model") : a.get("gen_ai.request.model");
    if (model != null) meta.put("model_name", model);
    if (a.get("gen_ai.provider.name") != null) meta.put("model_provider", a.get("gen_ai.provider.name"));
    Map<String, Object> input = new LinkedHashMap<>(), output = new LinkedHashMap<>();
    Map<String, Object> metadata = new LinkedHashMap<>(), metrics = new LinkedHashMap<>();
    List<String> tags = new ArrayList<>();
    if (a.get("llmobs.ml_app") != null) tags.add("ml_app:" + a.get("llmobs.ml_app"));
    if (session != null) tags.add("session_id:" + session);
    if (a.get("faas.invocation_id") != null) tags.add("request_id:" + a.get("faas.invocation_id"));
    if (a.get("faas.coldstart") != null) tags.add("cold_start:" + a.get("faas.coldstart"));
    if (a.get("cloud.resource_id") != null) tags.add("function_arn:" + a.get("cloud.resource_id"));

    Object system = a.get("gen_ai.system_instructions");
    List<Object> inMessages = messages(a.get("gen_ai.input.messages"));
    if (inMessages != null) {
      List<Object> all = new ArrayList<>(systemMessages(system));
      all.addAll(inMessages);
      input.put("messages", all);
    }
    List<Object> outMessages = messages(a.get("gen_ai.output.messages"));
    if (outMessages != null) output.put("messages", outMessages);
    putJson(input, "prompt", a.get("llmobs.prompt"));
    putText(input, "value", a.get("gen_ai.tool.call.arguments"));
    putText(output, "value", a.get("gen_ai.tool.call.result"));
    if (!"tool".equals(kind)) putText(input, "value", a.get("llmobs.input"));
    putText(output, "value", a.get("llmobs.output"));
    if (!input.containsKey("value")) putText(input, "value", a.get("gen_ai.retrieval.query.text"));
    putJson(input, "documents", a.get("llmobs.input.documents"));
    putJson(output, "documents", a.get("llmobs.output.documents"));
    putJson(meta, "tool_definitions", a.get("gen_ai.tool.definitions"));

    for (Map.Entry<String, Object> e : a.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      if (k.startsWith("llmobs.metadata.")) metadata.put(k.substring("llmobs.metadata.".length()), v);
      else if (k.startsWith("llmobs.metric.")) metrics.put(k.substring("llmobs.metric.".length()), v);
      else if (k.startsWith("llmobs.tag.")) tags.add(k.substring("llmobs.tag.".length()) + ":" + v);
      else if (k.equals("gen_ai.usage.input_tokens")) metrics.put("input_tokens", v);
      else if (k.equals("gen_ai.usage.output_tokens")) metrics.put("output_tokens", v);
      else if (k.startsWith("gen_ai.request.") && !k.equals("gen_ai.request.model")) {
        metadata.put(k.substring("gen_ai.request.".length()), v);
      } else if (k.equals("gen_ai.response.finish_reasons") && v instanceof List && !((List<?>) v).isEmpty()) {
        metadata.put("finish_reason", ((List<?>) v).get(0));
      } else if (k.equals("server.address") || k.equals("server.port")) {
        tags.add(k + ":" + v);
      }
    }
    if (!input.isEmpty()) meta.put("input", input);
    if (!output.isEmpty()) meta.put("output", output);
    if (!metadata.isEmpty()) meta.put("metadata", metadata);
    for (Map<String, Object> ev : s.events) {
      if (!"exception".equals(ev.get("name"))) continue;
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("type", ev.get("exception.type"));
      error.put("message", ev.get("exception.message"));
      if (ev.get("exception.stacktrace") != null) error.put("stack", ev.get("exception.stacktrace"));
      meta.put("error", error);
    }
    if (s.statusCode == 2 && !meta.containsKey("error")) {
      meta.put("error", Map.of("type", String.valueOf(a.getOrDefault("error.type", "error")),
          "message", s.statusMessage == null ? "" : s.statusMessage));
    }
    span.put("meta", meta);
    span.put("metrics", metrics);
    tags.add("error:" + (s.statusCode == 2 ? 1 : 0));
    tags.add("source:otlp");
    span.put("tags", tags);
    return span;
  }

  private static String kindOf(Map<String, Object> a) {
    Object ours = a.get("llmobs.span.kind");
    if (ours != null) return ours.toString();
    Object op = a.get("gen_ai.operation.name");
    if (op == null) return "task";
    switch (op.toString()) {
      case "chat": case "text_completion": case "generate_content": return "llm";
      case "embeddings": return "embedding";
      case "execute_tool": return "tool";
      case "invoke_agent": case "create_agent": return "agent";
      case "invoke_workflow": return "workflow";
      case "retrieval": return "retrieval";
      default: return "task";
    }
  }

  /** The name our exporter turned into "operation name": taken back where the conventions kept it. */
  private static String ourName(String kind, String otlpName, Map<String, Object> a) {
    Object name = null;
    switch (kind) {
      case "tool": name = a.get("gen_ai.tool.name"); break;
      case "agent": name = a.get("gen_ai.agent.name"); break;
      case "workflow": if (a.get("faas.invocation_id") == null) name = a.get("gen_ai.workflow.name"); break;
      default:
    }
    return name != null ? name.toString() : otlpName;
  }

  /** The conventions' messages (role and typed parts) as Datadog's (role, content, tool calls, tool results). */
  @SuppressWarnings("unchecked")
  private static List<Object> messages(Object json) {
    if (!(json instanceof String)) return null;
    List<Object> out = new ArrayList<>();
    try {
      for (Object o : JSON.std.listFrom((String) json)) {
        Map<String, Object> m = (Map<String, Object>) o;
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("role", m.get("role"));
        StringBuilder text = new StringBuilder();
        List<Object> calls = new ArrayList<>(), results = new ArrayList<>();
        for (Object p : OtlpWire.list(m.get("parts"))) {
          Map<String, Object> part = (Map<String, Object>) p;
          String type = String.valueOf(part.get("type"));
          if (type.equals("text")) {
            if (text.length() > 0) text.append('\n');
            text.append(part.get("content"));
          } else if (type.equals("tool_call")) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", part.get("name"));
            if (part.get("id") != null) c.put("tool_id", part.get("id"));
            c.put("arguments", part.get("arguments"));
            c.put("type", "function");
            calls.add(c);
          } else if (type.equals("tool_call_response")) {
            Map<String, Object> r = new LinkedHashMap<>();
            if (part.get("id") != null) r.put("tool_id", part.get("id"));
            r.put("result", String.valueOf(part.get("response")));
            r.put("type", "function");
            results.add(r);
          }
        }
        msg.put("content", text.toString());
        if (!calls.isEmpty()) msg.put("tool_calls", calls);
        if (!results.isEmpty()) msg.put("tool_results", results);
        out.add(msg);
      }
    } catch (IOException | RuntimeException e) {
      return null; // not the conventions' shape: left as it came, among the attributes
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> systemMessages(Object json) {
    List<Object> out = new ArrayList<>();
    if (!(json instanceof String)) return out;
    try {
      for (Object o : JSON.std.listFrom((String) json)) {
        Object content = ((Map<String, Object>) o).get("content");
        out.add(Map.of("role", "system", "content", String.valueOf(content)));
      }
    } catch (IOException | RuntimeException ignored) {
      // not the conventions' shape
    }
    return out;
  }

  static Map<String, Object> toEvaluation(OtlpWire.RawLog l) {
    Map<String, Object> a = l.attributes;
    Map<String, Object> e = new LinkedHashMap<>();
    String type = String.valueOf(a.getOrDefault("llmobs.evaluation.metric_type", "score"));
    e.put("label", a.get("gen_ai.evaluation.name"));
    e.put("metric_type", type);
    e.put("timestamp_ms", l.time / 1_000_000);
    switch (type) {
      case "score": e.put("score_value", a.get("gen_ai.evaluation.score.value")); break;
      case "boolean": e.put("boolean_value", "true".equals(a.get("gen_ai.evaluation.score.label"))); break;
      case "json": e.put("json_value", a.get("llmobs.evaluation.json_value")); break;
      case "text": e.put("text_value", a.get("gen_ai.evaluation.explanation")); break;
      default: e.put(type + "_value", a.get("gen_ai.evaluation.score.label"));
    }
    if (a.get("llmobs.evaluation.assessment") != null) e.put("assessment", a.get("llmobs.evaluation.assessment"));
    if (a.get("gen_ai.evaluation.explanation") != null && !type.equals("text")) {
      e.put("reasoning", a.get("gen_ai.evaluation.explanation"));
    }
    if (a.get("llmobs.ml_app") != null) e.put("ml_app", a.get("llmobs.ml_app"));
    Map<String, Object> join = new LinkedHashMap<>();
    if (!l.spanId.isEmpty()) {
      join.put("span", Map.of("trace_id", l.traceId, "span_id", decimal(l.spanId)));
    } else if (a.get("llmobs.join.tag.key") != null) {
      join.put("tag", Map.of("key", a.get("llmobs.join.tag.key"), "value", a.get("llmobs.join.tag.value")));
    } else if (!l.traceId.isEmpty()) {
      join.put("trace", Map.of("trace_id", l.traceId));
    }
    e.put("join_on", join);
    List<String> tags = new ArrayList<>();
    for (Map.Entry<String, Object> t : a.entrySet()) {
      if (t.getKey().startsWith("llmobs.tag.")) tags.add(t.getKey().substring("llmobs.tag.".length()) + ":" + t.getValue());
    }
    e.put("tags", tags);
    return e;
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private static void putText(Map<String, Object> into, String key, Object v) {
    if (v != null && !into.containsKey(key)) into.put(key, v.toString());
  }

  private static void putJson(Map<String, Object> into, String key, Object v) {
    if (!(v instanceof String)) return;
    try {
      into.put(key, JSON.std.anyFrom((String) v));
    } catch (IOException e) {
      into.put(key, v);
    }
  }

  /** An OTLP span id (16 hex digits) as Datadog writes span ids: unsigned decimal. */
  private static String decimal(String hex) {
    try {
      return Long.toUnsignedString(Long.parseUnsignedLong(hex, 16));
    } catch (NumberFormatException e) {
      return hex;
    }
  }
}
