package dev.llmobs.export.otlp;

import dev.llmobs.Evaluation;
import dev.llmobs.FinishedSpan;
import dev.llmobs.SpanContext;
import dev.llmobs.SpanKind;
import dev.llmobs.export.Encoder;
import dev.llmobs.export.Framing;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.Ids;
import dev.llmobs.internal.OtlpSettings;
import dev.llmobs.internal.json.JsonWriter;
import java.util.List;
import java.util.Map;

/**
 * OTLP/HTTP JSON with OpenTelemetry's GenAI semantic conventions, pinned to v1.41.0 of
 * {@code open-telemetry/semantic-conventions} ({@code docs/gen-ai/}): each finished span as one element of
 * {@code ExportTraceServiceRequest.resourceSpans[0].scopeSpans[0].spans}, each evaluation as one
 * {@code gen_ai.evaluation.result} event in {@code ExportLogsServiceRequest}, parented to the evaluated span.
 *
 * <p>OTLP/JSON rules followed: trace and span ids as lower-case hex, 64-bit integers as strings, enums as numbers,
 * attribute values as {@code AnyValue}. The mapping of span kinds and fields is in the README ("OTLP export").
 */
public final class OtlpEncoder implements Encoder {
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0";
  private static final int KIND_INTERNAL = 1, KIND_SERVER = 2, KIND_CLIENT = 3;
  private static final int STATUS_ERROR = 2;

  private final OtlpSettings otlp;
  private final Framing tracesFraming, logsFraming;
  private static final byte[] TAIL = "]}]}]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  public OtlpEncoder(Config config, String tracerVersion) {
    this.otlp = config.otlp;
    // JSON: the resource and scope written once, as the text every request starts with.
    JsonWriter resource = new JsonWriter(512);
    resource.raw("{\"resource\":{\"attributes\":[");
    resource(new OtlpAttributes.Json(resource), tracerVersion);
    resource.raw("]},");
    String scope = "{\"scope\":{\"name\":\"dev.llmobs\",\"version\":" + new JsonWriter(32).string(tracerVersion)
        + "},\"schemaUrl\":\"" + SCHEMA_URL + "\",";
    byte[] res = resource.toByteArray();
    // Protobuf: the Resource and InstrumentationScope messages, for the framing to nest the events in.
    Proto resourceMessage = new Proto(512);
    resource(new OtlpAttributes.Protobuf(resourceMessage, 1), tracerVersion);
    Proto scopeMessage = new Proto(32).string(1, "dev.llmobs").string(2, tracerVersion);
    tracesFraming = otlp.tracesProtobuf
        ? new ProtoFraming(resourceMessage.toByteArray(), scopeMessage.toByteArray(), SCHEMA_URL)
        : Framing.json(concat("{\"resourceSpans\":[", res, "\"scopeSpans\":[" + scope + "\"spans\":["), TAIL);
    logsFraming = otlp.logsProtobuf
        ? new ProtoFraming(resourceMessage.toByteArray(), scopeMessage.toByteArray(), SCHEMA_URL)
        : Framing.json(concat("{\"resourceLogs\":[", res, "\"scopeLogs\":[" + scope + "\"logRecords\":["), TAIL);
  }

  private void resource(OtlpAttributes a, String tracerVersion) {
    for (Map.Entry<String, String> e : otlp.resourceAttributes.entrySet()) {
      if (e.getKey().equals("faas.max_memory")) a.integer(e.getKey(), parseLongOr(e.getValue(), 0));
      else a.string(e.getKey(), e.getValue());
    }
    a.string("telemetry.sdk.name", "llmobs-lambda").string("telemetry.sdk.language", "java")
        .string("telemetry.sdk.version", tracerVersion);
  }

  /** How a traces request wraps its spans: the resource and scope, in the configured encoding. */
  public Framing tracesFraming() {
    return tracesFraming;
  }

  /** How a logs request wraps its evaluation records. */
  public Framing logsFraming() {
    return logsFraming;
  }

  private static byte[] concat(String a, byte[] b, String c) {
    JsonWriter w = new JsonWriter(a.length() + b.length + c.length());
    return w.raw(a).raw(b).raw(c).toByteArray();
  }

  // ---- spans --------------------------------------------------------------------------------------------------

  @Override public void span(FinishedSpan s, JsonWriter w, boolean dropIo) {
    w.reset();
    SpanKind kind = s.kind();
    boolean lambdaRoot = s.parentId() == null && tag(s, "request_id") != null;
    String model = s.modelName();
    String operation = operation(kind);
    String name;
    int spanKind;
    switch (kind) {
      case LLM: case EMBEDDING:
        name = model == null ? operation : operation + " " + model;
        spanKind = KIND_CLIENT;
        break;
      case TASK:
        name = s.name();
        spanKind = KIND_INTERNAL;
        break;
      case RETRIEVAL: { // a request to a retrieval service, named by its data source where known
        String source = dataSource(s);
        name = operation + " " + (source != null ? source : s.name());
        spanKind = KIND_CLIENT;
        break;
      }
      default:
        name = operation + " " + s.name();
        spanKind = KIND_INTERNAL;
    }
    if (lambdaRoot) { // the invocation, per the FaaS conventions: a server span named after the function
      name = s.name();
      spanKind = KIND_SERVER;
    }
    long end = s.startEpochNanos() + Math.max(0, s.durationNanos());
    if (otlp.tracesProtobuf) { // Span, as opentelemetry/proto/trace/v1/trace.proto numbers its fields
      Proto p = new Proto(1024);
      p.bytes(1, Proto.hex(s.traceId())).bytes(2, Proto.hex(hex(s.spanId())));
      if (s.parentId() != null) p.bytes(4, Proto.hex(hex(s.parentId())));
      p.string(5, name).uint(6, spanKind).fixed64(7, s.startEpochNanos()).fixed64(8, end);
      attributes(s, operation, model, lambdaRoot, dropIo, new OtlpAttributes.Protobuf(p, 9));
      if (s.errorType() != null) {
        Proto event = new Proto(256).fixed64(1, end).string(2, "exception");
        exception(s, new OtlpAttributes.Protobuf(event, 3));
        p.message(11, event).message(15, new Proto(64).string(2, s.errorMessage()).uint(3, STATUS_ERROR));
      }
      w.raw(p.toByteArray());
      return;
    }
    w.raw("{\"traceId\":\"").raw(s.traceId()).raw('"');
    w.raw(",\"spanId\":\"").raw(hex(s.spanId())).raw('"');
    if (s.parentId() != null) w.raw(",\"parentSpanId\":\"").raw(hex(s.parentId())).raw('"');
    w.raw(",\"name\":").string(name);
    w.raw(",\"kind\":").number(spanKind);
    w.raw(",\"startTimeUnixNano\":\"").number(s.startEpochNanos()).raw('"');
    w.raw(",\"endTimeUnixNano\":\"").number(end).raw('"');
    w.raw(",\"attributes\":[");
    attributes(s, operation, model, lambdaRoot, dropIo, new OtlpAttributes.Json(w));
    w.raw(']');
    if (s.errorType() != null) {
      w.raw(",\"events\":[{\"timeUnixNano\":\"").number(end).raw("\",\"name\":\"exception\",\"attributes\":[");
      exception(s, new OtlpAttributes.Json(w));
      w.raw("]}]");
      w.raw(",\"status\":{\"code\":").number(STATUS_ERROR).raw(",\"message\":").string(s.errorMessage()).raw('}');
    }
    w.raw('}');
  }

  /** The span's attributes, the same in either encoding: the GenAI conventions' and ours. */
  private void attributes(FinishedSpan s, String operation, String model, boolean lambdaRoot, boolean dropIo,
      OtlpAttributes a) {
    SpanKind kind = s.kind();
    if (operation != null) a.string("gen_ai.operation.name", operation);
    a.string("llmobs.span.kind", kind.wireName());
    a.string("llmobs.ml_app", s.mlApp());
    if (s.sessionId() != null) a.string("gen_ai.conversation.id", s.sessionId());
    switch (kind) {
      case LLM: case EMBEDDING:
        String provider = provider(s.modelProvider());
        a.string("gen_ai.provider.name", provider);
        if (!otlp.latestGenAiOnly) a.string("gen_ai.system", provider); // v1.36.0's name, until opted out
        if (model != null) a.string("gen_ai.request.model", model);
        break;
      case TOOL:
        a.string("gen_ai.tool.name", s.name());
        String callId = tag(s, "tool_call_id");
        if (callId != null) a.string("gen_ai.tool.call.id", callId);
        break;
      case AGENT:
        a.string("gen_ai.agent.name", s.name());
        a.string("gen_ai.provider.name", provider(s.modelProvider())); // required on invoke_agent spans
        break;
      case RETRIEVAL:
        String source = dataSource(s);
        if (source != null) a.string("gen_ai.data_source.id", source);
        if (s.modelProvider() != null) a.string("gen_ai.provider.name", provider(s.modelProvider()));
        break;
      case WORKFLOW:
        a.string("gen_ai.workflow.name", s.name());
        break;
      default:
    }
    if (lambdaRoot) faas(s, a);
    metrics(s, a);
    metadata(s, a);
    for (int i = 0; i < s.tagCount(); i++) {
      String key = s.tagKey(i);
      if ((lambdaRoot && key.equals("request_id")) || (kind == SpanKind.TOOL && key.equals("tool_call_id"))) continue;
      if (key.equals("server.address")) { // the conventions' own attributes of a client span
        a.string("server.address", s.tagValue(i));
      } else if (key.equals("server.port")) {
        long port = parseLongOr(s.tagValue(i), -1);
        if (port > 0) a.integer("server.port", port);
      } else {
        a.string("llmobs.tag." + key, s.tagValue(i));
      }
    }
    if (dropIo) a.stringArray("llmobs.collection_errors", List.of("dropped_io"));
    else OtlpContent.write(s, a);
    if (s.errorType() != null) a.string("error.type", s.errorType());
  }

  private static void exception(FinishedSpan s, OtlpAttributes exception) {
    exception.string("exception.type", s.errorType()).string("exception.message", s.errorMessage());
    if (s.errorStack() != null && !s.errorStack().isEmpty()) exception.string("exception.stacktrace", s.errorStack());
  }

  /** A retrieval's data source, as its integration records it (a Bedrock knowledge base id), or null. */
  private static String dataSource(FinishedSpan s) {
    Object kb = s.metadata().get("knowledge_base_id");
    return kb instanceof String ? (String) kb : null;
  }

  /** The GenAI operation of a span kind, or null for {@code task}, which the conventions do not name. */
  static String operation(SpanKind kind) {
    switch (kind) {
      case LLM: return "chat";
      case EMBEDDING: return "embeddings";
      case TOOL: return "execute_tool";
      case AGENT: return "invoke_agent";
      case WORKFLOW: return "invoke_workflow";
      case RETRIEVAL: return "retrieval";
      default: return null;
    }
  }

  /** Our provider names (Datadog's) to the conventions' well-known {@code gen_ai.provider.name} values. */
  static String provider(String ours) {
    if (ours == null) return "custom";
    switch (ours) {
      case "amazon_bedrock": case "bedrock": return "aws.bedrock";
      case "azure_openai": return "azure.ai.openai";
      case "vertexai": case "vertex_ai": return "gcp.vertex_ai";
      case "gemini": case "google": return "gcp.gemini";
      case "mistral": return "mistral_ai";
      default: return ours;
    }
  }

  /** The root span of a traced Lambda invocation, per the FaaS and cloud conventions. */
  private static void faas(FinishedSpan s, OtlpAttributes a) {
    a.string("faas.trigger", "other");
    a.string("faas.invocation_id", tag(s, "request_id"));
    String cold = tag(s, "cold_start");
    if (cold != null) a.bool("faas.coldstart", cold.equals("true"));
    String arn = tag(s, "function_arn");
    if (arn != null) a.string("cloud.resource_id", arn).string("aws.lambda.invoked_arn", arn);
    String account = tag(s, "account_id");
    if (account != null) a.string("cloud.account.id", account);
  }

  private static void metrics(FinishedSpan s, OtlpAttributes a) {
    for (int i = 0; i < s.metricCount(); i++) {
      String key = s.metricKey(i);
      double v = s.metricValue(i);
      switch (key) {
        case "input_tokens": a.integer("gen_ai.usage.input_tokens", (long) v); break;
        case "output_tokens": // an embedding generates no tokens: the conventions give it none
          if (s.kind() != SpanKind.EMBEDDING) a.integer("gen_ai.usage.output_tokens", (long) v);
          break;
        default: a.dbl("llmobs.metric." + key, v);
      }
    }
  }

  private static void metadata(FinishedSpan s, OtlpAttributes a) {
    for (Map.Entry<String, Object> e : s.metadata().entrySet()) {
      String key = e.getKey();
      Object v = e.getValue();
      if (v instanceof Number) {
        double d = ((Number) v).doubleValue();
        switch (key) {
          case "temperature": a.dbl("gen_ai.request.temperature", d); continue;
          case "top_p": a.dbl("gen_ai.request.top_p", d); continue;
          case "top_k": a.dbl("gen_ai.request.top_k", d); continue;
          case "max_tokens": a.integer("gen_ai.request.max_tokens", (long) d); continue;
          default:
        }
      } else if (v instanceof String && (key.equals("stop_reason") || key.equals("finish_reason"))) {
        a.stringArray("gen_ai.response.finish_reasons", List.of(OtlpContent.finishReason((String) v)));
        continue;
      }
      String k = "llmobs.metadata." + key;
      if (v == null) continue;
      if (v instanceof Boolean) a.bool(k, (Boolean) v);
      else if (v instanceof Number) a.dbl(k, ((Number) v).doubleValue());
      else a.string(k, v.toString()); // a string, or a container's JSON text
    }
  }

  // ---- evaluations ----------------------------------------------------------------------------------------------

  /** No OTLP backend joins an evaluation to a span by tag: the exporter names the span it sent with that tag. */
  @Override public boolean resolvesTagJoins() {
    return true;
  }

  /**
   * An evaluation as a {@code gen_ai.evaluation.result} event; end-user feedback too (a person's evaluation), marked
   * {@code llmobs.event_kind=feedback} with its submitter, on the span or trace it targets (a session or a join key
   * as attributes).
   */
  @Override public byte[] evaluation(Evaluation e) {
    long nanos = e.timestampMillis() * 1_000_000L;
    SpanContext span = e.joinedSpan();
    boolean traceOnly = "trace_id".equals(e.feedbackTargetField());
    if (otlp.logsProtobuf) { // LogRecord, as opentelemetry/proto/logs/v1/logs.proto numbers its fields
      Proto p = new Proto(512).fixed64(1, nanos).uint(2, 9).string(3, "INFO");
      evaluationAttributes(e, new OtlpAttributes.Protobuf(p, 6));
      if (span != null) p.bytes(9, Proto.hex(span.traceId()));
      if (span != null && !traceOnly) p.bytes(10, Proto.hex(hex(span.spanId())));
      return p.fixed64(11, nanos).string(12, "gen_ai.evaluation.result").toByteArray();
    }
    JsonWriter w = new JsonWriter(256);
    w.raw("{\"timeUnixNano\":\"").number(nanos).raw("\",\"observedTimeUnixNano\":\"").number(nanos).raw('"');
    w.raw(",\"severityNumber\":9,\"severityText\":\"INFO\",\"eventName\":\"gen_ai.evaluation.result\"");
    if (span != null) {
      w.raw(",\"traceId\":\"").raw(span.traceId()).raw('"');
      if (!traceOnly) w.raw(",\"spanId\":\"").raw(hex(span.spanId())).raw('"');
    }
    w.raw(",\"attributes\":[");
    evaluationAttributes(e, new OtlpAttributes.Json(w));
    w.raw("]}");
    return w.toByteArray();
  }

  private static void evaluationAttributes(Evaluation e, OtlpAttributes a) {
    a.string("gen_ai.evaluation.name", e.label());
    Object value = e.value();
    switch (e.metricType()) {
      case SCORE:
        a.dbl("gen_ai.evaluation.score.value", (Double) value);
        break;
      case BOOLEAN:
        a.dbl("gen_ai.evaluation.score.value", Boolean.TRUE.equals(value) ? 1 : 0);
        a.string("gen_ai.evaluation.score.label", String.valueOf(value));
        break;
      case JSON:
        a.string("llmobs.evaluation.json_value", new JsonWriter(128).value(value).toString());
        break;
      case TEXT: // feedback's free text: what the person said
        a.string("gen_ai.evaluation.explanation", String.valueOf(value));
        break;
      default:
        a.string("gen_ai.evaluation.score.label", String.valueOf(value));
    }
    if (e.assessment() != null && (e.metricType() == Evaluation.MetricType.SCORE
        || e.metricType() == Evaluation.MetricType.JSON)) {
      a.string("gen_ai.evaluation.score.label", e.assessment());
    }
    if (e.reasoning() != null) a.string("gen_ai.evaluation.explanation", e.reasoning());
    a.string("llmobs.ml_app", e.mlApp());
    a.string("llmobs.evaluation.metric_type", e.metricType().wireName());
    if (e.assessment() != null) a.string("llmobs.evaluation.assessment", e.assessment());
    if (e.joinTagKey() != null) {
      a.string("llmobs.join.tag.key", e.joinTagKey()).string("llmobs.join.tag.value", e.joinTagValue());
    }
    for (String t : e.tags()) {
      int colon = t.indexOf(':');
      if (colon > 0) a.string("llmobs.tag." + t.substring(0, colon), t.substring(colon + 1));
    }
    if (e.metadata() != null) a.string("llmobs.metadata", new JsonWriter(128).value(e.metadata()).toString());
    if (e.isFeedback()) {
      a.string("llmobs.event_kind", "feedback").string("llmobs.feedback.submitter.id", e.submitterId());
      if (e.submitterType() != null) a.string("llmobs.feedback.submitter.type", e.submitterType());
      String field = e.feedbackTargetField();
      if (field.equals("session_id")) a.string("gen_ai.conversation.id", e.feedbackTargetId());
      if (field.equals("feedback_join_key")) a.string("llmobs.feedback.join_key", e.feedbackTargetId());
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private static String tag(FinishedSpan s, String key) {
    for (int i = 0; i < s.tagCount(); i++) if (s.tagKey(i).equals(key)) return s.tagValue(i);
    return null;
  }

  /** A span id as sent to Datadog (unsigned decimal) as OTLP wants it: 16 lower-case hex digits. */
  static String hex(String unsignedDecimal) {
    return Ids.hex16(Long.parseUnsignedLong(unsignedDecimal));
  }

  private static long parseLongOr(String s, long dflt) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
