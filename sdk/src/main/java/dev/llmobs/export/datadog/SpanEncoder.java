package dev.llmobs.export.datadog;

import dev.llmobs.Evaluation;
import dev.llmobs.FinishedSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.export.Encoder;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.json.JsonWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Datadog LLM Observability's format: a finished span as one element of the span request array
 * ({@code shared/docs/datadog-llmobs-wire-format.md}, sections 2 to 4); evaluations through {@link EvaluationEncoder}.
 */
public final class SpanEncoder implements Encoder {
  static final String DROPPED_IO_MARKER =
      "[This value has been dropped because this span's size exceeds the 5MB size limit.]";

  private final Config config;
  private final String tracerVersion;
  private final byte[] head;
  private final EvaluationEncoder evaluations;
  /**
   * The built-in tags that do not change from span to span, made once: keys and {@code key:value} text. A warm Lambda
   * runs this code interpreted for its first hundreds of invocations, where every concatenation costs.
   */
  private final String[] fixedKeys, fixedTags;

  public SpanEncoder(Config config, String tracerVersion) {
    this.config = config;
    this.tracerVersion = tracerVersion;
    this.evaluations = new EvaluationEncoder(tracerVersion);
    String[] fixed = {
        "ddtrace.version", tracerVersion,
        "env", config.env == null ? "" : config.env,
        "language", "jvm",
        "service", config.service == null ? "" : config.service,
        "source", "integration",
        "version", config.version == null ? "" : config.version,
    };
    // An unset env, service or version is left out, not sent as "env:": an empty tag is a facet value nobody chose.
    List<String> keys = new java.util.ArrayList<>(), tags = new java.util.ArrayList<>();
    for (int i = 0; i < fixed.length; i += 2) {
      if (fixed[i + 1].isEmpty()) continue;
      keys.add(fixed[i]);
      tags.add(fixed[i] + ":" + fixed[i + 1]);
    }
    fixedKeys = keys.toArray(new String[0]);
    fixedTags = tags.toArray(new String[0]);
    JsonWriter w = new JsonWriter(96);
    w.raw("{\"_dd.stage\":\"raw\",\"_dd.tracer_version\":").string(tracerVersion)
        .raw(",\"event_type\":\"span\",\"spans\":[");
    this.head = w.toByteArray();
  }

  /**
   * Encodes {@code span} into {@code w} (reset first). With {@code dropIo}, input and output are replaced by the
   * size marker and the event says {@code collection_errors: ["dropped_io"]}, as Datadog's SDKs do.
   */
  @Override public byte[] evaluation(Evaluation e) {
    return evaluations.encode(e);
  }

  @Override public void span(FinishedSpan span, JsonWriter w, boolean dropIo) {
    w.reset();
    String sessionId = span.sessionId();
    String traceId = span.traceId();
    String spanId = span.spanId();
    boolean error = span.errorType() != null;

    w.raw(head);
    w.raw("{\"trace_id\":").string(traceId);
    w.raw(",\"span_id\":").string(spanId);
    w.raw(",\"parent_id\":").string(span.parentId() == null ? "undefined" : span.parentId());
    w.raw(",\"name\":").string(span.name());
    w.raw(",\"start_ns\":").number(span.startEpochNanos());
    w.raw(",\"duration\":").number(span.durationNanos());
    w.raw(",\"status\":").raw(error ? "\"error\"" : "\"ok\"");
    if (sessionId != null) w.raw(",\"session_id\":").string(sessionId);

    w.raw(",\"meta\":{\"span\":{\"kind\":\"").raw(span.kind().wireName()).raw("\"}");
    if (span.kind() == SpanKind.LLM || span.kind() == SpanKind.EMBEDDING) {
      w.raw(",\"model_name\":").string(span.modelName() == null ? "custom" : span.modelName());
      w.raw(",\"model_provider\":").string(span.modelProvider() == null ? "custom" : span.modelProvider());
    }
    if (dropIo) {
      w.raw(",\"input\":{\"value\":").string(DROPPED_IO_MARKER).raw('}');
      w.raw(",\"output\":{\"value\":").string(DROPPED_IO_MARKER).raw('}');
    } else {
      writeIo(w, "input", span.inputText(), span.inputMessages(), span.inputDocuments(), span.prompt(), span.mlApp());
      writeIo(w, "output", span.outputText(), span.outputMessages(), span.outputDocuments(), null, null);
    }
    if (span.kind() == SpanKind.LLM && !span.toolDefinitions().isEmpty()) {
      DatadogJson.toolDefinitions(w.raw(",\"tool_definitions\":"), span.toolDefinitions());
    }
    Map<String, Object> metadata = span.metadata();
    if (!metadata.isEmpty()) {
      w.raw(",\"metadata\":{");
      boolean first = true;
      for (Map.Entry<String, Object> e : metadata.entrySet()) {
        if (!first) w.raw(',');
        first = false;
        w.key(e.getKey()).value(e.getValue());
      }
      w.raw('}');
    }
    if (error) {
      w.raw(",\"error\":{\"message\":").string(span.errorMessage())
          .raw(",\"type\":").string(span.errorType());
      String stack = span.errorStack(); // an error reported by the service has none: no empty stack is sent
      if (stack != null && !stack.isEmpty()) w.raw(",\"stack\":").string(stack);
      w.raw('}');
    }
    w.raw('}');

    w.raw(",\"metrics\":{");
    for (int i = 0; i < span.metricCount(); i++) {
      if (i > 0) w.raw(',');
      w.key(span.metricKey(i)).number(span.metricValue(i));
    }
    w.raw('}');

    w.raw(",\"tags\":[");
    String[] tags = tags(span, error);
    for (int i = 0; i < tags.length; i++) {
      if (i > 0) w.raw(',');
      w.string(tags[i]);
    }
    w.raw(']');

    w.raw(",\"_dd\":{\"span_id\":").string(spanId)
        .raw(",\"trace_id\":").string(traceId)
        .raw(",\"apm_trace_id\":").string(traceId)
        // Only kept traces are sent: the decision is always "1", the rate the one it was made at.
        .raw(",\"sample_rate\":").string(span.sampleRate() == 1.0 ? "1.0" : Double.toString(span.sampleRate()))
        .raw(",\"sampling_decision\":\"1\"}");
    if (dropIo) w.raw(",\"collection_errors\":[\"dropped_io\"]");
    w.raw("}]}");
  }

  private String[] tags(FinishedSpan span, boolean error) {
    String sessionId = span.sessionId();
    int n = fixedTags.length + 2 + (sessionId != null ? 1 : 0) + (error ? 1 : 0) + config.globalTags.size()
        + span.tagCount();
    String[] out = new String[n];
    int k = 0;
    for (int i = 0; i < fixedTags.length; i++) if (!userHas(span, fixedKeys[i])) out[k++] = fixedTags[i];
    out[k++] = error ? "error:1" : "error:0";
    out[k++] = "ml_app:" + span.mlApp();
    if (sessionId != null) out[k++] = "session_id:" + sessionId;
    if (error) out[k++] = "error_type:" + span.errorType();
    for (String t : config.globalTags) {
      String key = t.substring(0, t.indexOf(':'));
      if (!userHas(span, key)) out[k++] = t;
    }
    for (int i = 0; i < span.tagCount(); i++) out[k++] = span.tagKey(i) + ":" + span.tagValue(i);
    if (k < n) out = Arrays.copyOf(out, k);
    Arrays.sort(out);
    return out;
  }

  /** A user tag replaces a built-in or global tag of the same key, except the ones the product relies on. */
  private static boolean userHas(FinishedSpan span, String key) {
    if (key.equals("ml_app") || key.equals("error") || key.equals("language") || key.equals("ddtrace.version")) {
      return false;
    }
    for (int i = 0; i < span.tagCount(); i++) if (span.tagKey(i).equals(key)) return true;
    return false;
  }

  private static void writeIo(JsonWriter w, String field, String text, List<dev.llmobs.Message> messages,
      List<dev.llmobs.Document> documents, dev.llmobs.Prompt prompt, String mlApp) {
    if (text == null && messages == null && documents == null && prompt == null) return;
    w.raw(",\"").raw(field).raw("\":{");
    if (messages != null) DatadogJson.messages(w.raw("\"messages\":"), messages);
    else if (documents != null) DatadogJson.documents(w.raw("\"documents\":"), documents);
    else if (text != null) w.raw("\"value\":").string(text);
    if (prompt != null) {
      if (text != null || messages != null || documents != null) w.raw(',');
      DatadogJson.prompt(w.raw("\"prompt\":"), prompt, mlApp);
    }
    w.raw('}');
  }
}
