package dev.llmobs.export.datadog;

import dev.llmobs.Evaluation;
import dev.llmobs.SpanContext;
import dev.llmobs.internal.json.JsonWriter;

/**
 * Writes an evaluation as one metric of the v2 evaluation request ({@code datadog-llmobs-wire-format.md}, section
 * 7). The recorder has already checked it and filled in its ml_app and timestamp. For spans that reached Datadog as
 * OpenTelemetry spans, Datadog asks for the tag {@code source:otel} and both ids as decimal strings.
 */
public final class EvaluationEncoder {
  private final String tracerVersion;
  private final boolean otelSpans;

  EvaluationEncoder(String tracerVersion) {
    this(tracerVersion, false);
  }

  /** With {@code otelSpans}, for the evaluations of spans sent to Datadog's OTLP intake. */
  public EvaluationEncoder(String tracerVersion, boolean otelSpans) {
    this.tracerVersion = tracerVersion;
    this.otelSpans = otelSpans;
  }

  public byte[] encode(Evaluation e) {
    if (e.isFeedback()) return feedback(e);
    JsonWriter w = new JsonWriter(256);
    w.raw("{\"event_kind\":\"evaluation\",\"ml_app\":").string(e.mlApp());
    w.raw(",\"timestamp_ms\":").number(e.timestampMillis());
    SpanContext span = e.joinedSpan();
    if (span != null) {
      w.raw(",\"join_on\":{\"span\":{\"span_id\":").string(span.spanId())
          .raw(",\"trace_id\":").string(traceId(span.traceId())).raw("}}");
    } else {
      w.raw(",\"join_on\":{\"tag\":{\"key\":").string(e.joinTagKey())
          .raw(",\"value\":").string(e.joinTagValue()).raw("}}");
    }
    metric(e, w);
    tags(e, w);
    w.raw(",\"eval_scope\":").raw(e.isTraceScope() ? "\"trace\"" : "\"span\"");
    if (e.assessment() != null) w.raw(",\"assessment\":").string(e.assessment());
    if (e.reasoning() != null) w.raw(",\"reasoning\":").string(e.reasoning());
    if (e.metadata() != null) w.raw(",\"metadata\":").value(e.metadata());
    w.raw('}');
    return w.toByteArray();
  }

  /**
   * End-user feedback: {@code event_kind: feedback}, exactly one target field instead of {@code join_on}, and who
   * submitted it (Datadog's evaluation API, "End-user feedback").
   */
  private byte[] feedback(Evaluation e) {
    String field = e.feedbackTargetField(), id = e.feedbackTargetId();
    if (field.equals("trace_id")) id = traceId(id);
    JsonWriter w = new JsonWriter(256);
    w.raw("{\"event_kind\":\"feedback\",\"").raw(field).raw("\":").string(id);
    w.raw(",\"ml_app\":").string(e.mlApp());
    w.raw(",\"timestamp_ms\":").number(e.timestampMillis());
    metric(e, w);
    w.raw(",\"submitter\":{\"id\":").string(e.submitterId());
    if (e.submitterType() != null) w.raw(",\"type\":").string(e.submitterType());
    w.raw('}');
    tags(e, w);
    if (e.assessment() != null) w.raw(",\"assessment\":").string(e.assessment());
    w.raw('}');
    return w.toByteArray();
  }

  /** The metric's type, label and value, as evaluations and feedback both carry them. */
  private static void metric(Evaluation e, JsonWriter w) {
    String type = e.metricType().wireName();
    w.raw(",\"metric_type\":\"").raw(type).raw('"');
    w.raw(",\"label\":").string(e.label());
    w.raw(",\"").raw(type).raw("_value\":").value(e.value());
  }

  private void tags(Evaluation e, JsonWriter w) {
    w.raw(",\"tags\":[").string("ddtrace.version:" + tracerVersion).raw(',').string("ml_app:" + e.mlApp());
    if (otelSpans) w.raw(',').string("source:otel");
    for (String t : e.tags()) w.raw(',').string(t);
    w.raw(']');
  }

  /** A trace id as the join names it: our hex, or for OpenTelemetry spans the decimal Datadog asks for. */
  private String traceId(String hex) {
    return otelSpans ? new java.math.BigInteger(hex, 16).toString() : hex;
  }
}
