package dev.llmobs.bedrock;

import dev.llmobs.LLMObsSpan;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import java.util.List;
import java.util.Map;

/**
 * Bedrock Guardrails: {@code ApplyGuardrail} is a {@code task} span (the content checked in, what the guardrail let
 * out, its action, assessments and usage); a Converse call with {@code guardrailConfig} keeps the guardrail's action
 * and trace on its {@code llm} span. An intervention is tagged ({@code bedrock.guardrail_action:guardrail_intervened}),
 * never an error: the call did what it was asked.
 */
final class Guardrails {
  private Guardrails() {}

  static void applyRequest(CallRecord r, Map<String, Object> req) {
    synchronized (r) {
      r.inputText = ModelCall.clip(texts(Json.list(req, "content"), true));
      r.meta("guardrail_id", Json.str(req, "guardrailIdentifier"));
      r.meta("guardrail_version", Json.str(req, "guardrailVersion"));
      r.meta("source", Json.str(req, "source"));
      r.meta("output_scope", Json.str(req, "outputScope"));
    }
  }

  static void applyResponse(CallRecord r, Map<String, Object> res) {
    String action = Json.str(res, "action");
    synchronized (r) {
      String out = texts(Json.list(res, "outputs"), false);
      r.outputText = ModelCall.clip(out.isEmpty() && "NONE".equals(action) ? r.inputText : out);
      r.meta("action", action);
      r.meta("action_reason", Json.str(res, "actionReason"));
      if (dev.llmobs.internal.TracerHandle.current().captureIo()) r.meta("assessments", Json.raw(res, "assessments"));
      r.meta("guardrail_coverage", Json.raw(res, "guardrailCoverage"));
    }
    Map<String, Object> usage = Json.obj(res, "usage");
    if (usage != null) {
      for (Map.Entry<String, Object> e : usage.entrySet()) {
        if (e.getValue() instanceof Number) r.span.metric(snake(e.getKey()), ((Number) e.getValue()).doubleValue());
      }
    }
    tag(r.span, action);
  }

  /** A guardrail that intervened is visible and filterable, and is not an error: the call succeeded. */
  static void tag(LLMObsSpan span, String action) {
    if (action != null && !action.equals("NONE")) span.tag("bedrock.guardrail_action", action.toLowerCase(java.util.Locale.ROOT));
  }

  /** Converse's guardrail: the configuration asked for, and what the response's trace says it did. */
  static void converseRequest(CallRecord r, Object guardrailConfig) {
    if (guardrailConfig != null) r.meta("guardrail_config", guardrailConfig);
  }

  static void converseResponse(CallRecord r, String stopReason, Object trace) {
    Map<String, Object> guardrail = Json.obj(trace, "guardrail");
    if (guardrail != null && dev.llmobs.internal.TracerHandle.current().captureIo()) r.meta("guardrail_trace", guardrail);
    if ("guardrail_intervened".equals(stopReason)) tag(r.span, "GUARDRAIL_INTERVENED");
  }

  /** The text blocks of guardrail content ({@code {"text": {"text": ...}}} in, {@code {"text": ...}} out). */
  private static String texts(List<?> blocks, boolean nested) {
    StringBuilder b = new StringBuilder();
    if (blocks == null) return "";
    for (Object block : blocks) {
      String t = nested ? Json.str(Json.obj(block, "text"), "text") : Json.str(block, "text");
      if (t == null && nested && Json.has(block, "image")) t = "([IMAGE DETECTED])";
      if (t == null) continue;
      if (b.length() > 0) b.append('\n');
      b.append(t);
    }
    return b.toString();
  }

  /** {@code topicPolicyUnits} as {@code topic_policy_units}: our metrics' spelling. */
  static String snake(String camel) {
    StringBuilder b = new StringBuilder(camel.length() + 4);
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) b.append('_').append(Character.toLowerCase(c));
      else b.append(c);
    }
    return b.toString();
  }
}
