package dev.llmobs.export.datadog;

import dev.llmobs.Evaluation;
import dev.llmobs.SpanContext;
import dev.llmobs.internal.json.JsonWriter;

/**
 * Writes an evaluation as one metric of the v2 evaluation request ({@code datadog-llmobs-wire-format.md}, section
 * 7). The recorder has already checked it and filled in its ml_app and timestamp.
 */
final class EvaluationEncoder {
  private final String tracerVersion;

  EvaluationEncoder(String tracerVersion) {
    this.tracerVersion = tracerVersion;
  }

  byte[] encode(Evaluation e) {
    String type = e.metricType().wireName();
    JsonWriter w = new JsonWriter(256);
    w.raw("{\"event_kind\":\"evaluation\",\"ml_app\":").string(e.mlApp());
    w.raw(",\"timestamp_ms\":").number(e.timestampMillis());
    SpanContext span = e.joinedSpan();
    if (span != null) {
      w.raw(",\"join_on\":{\"span\":{\"span_id\":").string(span.spanId())
          .raw(",\"trace_id\":").string(span.traceId()).raw("}}");
    } else {
      w.raw(",\"join_on\":{\"tag\":{\"key\":").string(e.joinTagKey())
          .raw(",\"value\":").string(e.joinTagValue()).raw("}}");
    }
    w.raw(",\"metric_type\":\"").raw(type).raw('"');
    w.raw(",\"label\":").string(e.label());
    w.raw(",\"").raw(type).raw("_value\":").value(e.value());
    w.raw(",\"tags\":[").string("ddtrace.version:" + tracerVersion).raw(',').string("ml_app:" + e.mlApp());
    for (String t : e.tags()) w.raw(',').string(t);
    w.raw(']');
    w.raw(",\"eval_scope\":").raw(e.isTraceScope() ? "\"trace\"" : "\"span\"");
    if (e.assessment() != null) w.raw(",\"assessment\":").string(e.assessment());
    if (e.reasoning() != null) w.raw(",\"reasoning\":").string(e.reasoning());
    if (e.metadata() != null) w.raw(",\"metadata\":").value(e.metadata());
    w.raw('}');
    return w.toByteArray();
  }
}
