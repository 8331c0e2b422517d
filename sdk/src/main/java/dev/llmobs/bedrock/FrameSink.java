package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import dev.llmobs.integrations.internal.StreamOutput;
import java.util.Base64;
import java.util.Map;

/**
 * The events of ConverseStream and InvokeModelWithResponseStream, as they pass to the caller: the output, stop
 * reason, usage and time to first token.
 */
final class FrameSink extends EventStreamSink {
  private final boolean converse;

  /** The output under construction, by content block index. */
  final StreamOutput output;

  FrameSink(CallRecord record) {
    super(record);
    this.converse = record.operation.equals("ConverseStream");
    this.output = new StreamOutput(record, converse ? "toolUse" : record.family.toolCallType());
  }

  @Override void event(String type, Object payload) {
    if (converse) converseEvent(type, payload);
    else if ("chunk".equals(type)) {
      String b64 = Json.str(payload, "bytes");
      if (b64 != null) chunk(Json.parse(Base64.getDecoder().decode(b64)));
    }
  }

  /** A ConverseStream event (Nova's chunks carry the same ones). */
  void converseEvent(String type, Object p) {
    if (type == null || p == null) return;
    switch (type) {
      case "messageStart":
        output.role(Json.str(p, "role"));
        break;
      case "contentBlockStart": {
        Map<String, Object> use = Json.obj(Json.obj(p, "start"), "toolUse");
        if (use != null) startTool(index(p, "contentBlockIndex"), Json.str(use, "name"), Json.str(use, "toolUseId"));
        break;
      }
      case "contentBlockDelta": {
        Map<String, Object> delta = Json.obj(p, "delta");
        int i = index(p, "contentBlockIndex");
        appendText(i, Json.str(delta, "text"));
        appendToolInput(i, Json.str(Json.obj(delta, "toolUse"), "input"));
        break;
      }
      case "messageStop":
        record.meta("stop_reason", Json.str(p, "stopReason"));
        break;
      case "metadata":
        synchronized (record) {
          Bodies.converseUsage(Json.obj(p, "usage"), record);
        }
        record.meta("latency_ms", Json.num(Json.obj(p, "metrics"), "latencyMs"));
        break;
      default:
    }
  }

  static final String INVOCATION_METRICS = "amazon-bedrock-invocationMetrics";

  /**
   * One InvokeModelWithResponseStream chunk: Bedrock's invocation metrics (on the last chunk, the same for every
   * family), then the model's own JSON, read by its family.
   */
  private void chunk(Object c) {
    if (c == null) return;
    Map<String, Object> metrics = Json.obj(c, INVOCATION_METRICS);
    if (metrics != null) {
      synchronized (record) {
        record.inputTokens = Bodies.first(Json.num(metrics, "inputTokenCount"), record.inputTokens);
        record.outputTokens = Bodies.first(Json.num(metrics, "outputTokenCount"), record.outputTokens);
        record.cacheRead = Bodies.first(Json.num(metrics, "cacheReadInputTokenCount"), record.cacheRead);
        record.cacheWrite = Bodies.first(Json.num(metrics, "cacheWriteInputTokenCount"), record.cacheWrite);
      }
      record.meta("latency_ms", Json.num(metrics, "invocationLatency"));
      record.meta("first_byte_latency_ms", Json.num(metrics, "firstByteLatency"));
    }
    record.family.chunk(c, this);
  }

  /** A tool call starts at a content block index. */
  void startTool(int index, String name, String id) {
    output.startTool(index, name, id);
  }

  /** A piece of a tool call's JSON arguments; null or empty is nothing. */
  void appendToolInput(int index, String json) {
    output.appendToolInput(index, json);
  }

  /** A piece of text at a content block index; null or empty is nothing. */
  void appendText(int index, String s) {
    output.appendText(index, s);
  }

  /** Token counts from a usage object, by the family's field names (null: not in this object). */
  void usage(Object u, String in, String out, String total) {
    if (u == null) return;
    synchronized (record) {
      if (in != null && Json.num(u, in) != null) record.inputTokens = Json.num(u, in);
      if (out != null && Json.num(u, out) != null) record.outputTokens = Json.num(u, out);
      if (total != null && Json.num(u, total) != null) record.totalTokens = Json.num(u, total);
    }
  }

  static int index(Object p, String key) {
    Long i = Json.num(p, key);
    return i == null ? 0 : i.intValue();
  }

  /** Writes the assembled output message into the record. */
  @Override public void assemble(boolean cancelled) {
    output.assemble();
    if (cancelled) record.meta("stream_cancelled", true);
  }
}
