package dev.llmobs.bedrock;

import dev.llmobs.ToolCall;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * Decodes the {@code application/vnd.amazon.eventstream} frames of ConverseStream and InvokeModelWithResponseStream
 * as they pass to the caller, and gathers the output, stop reason, usage and time to first token. Runs on the HTTP
 * client's event loop: it only parses and appends. Any failure here switches the sink off; the caller's stream is
 * never affected.
 */
final class FrameSink {
  private final CallRecord record;
  private final boolean converse;
  private final MessageDecoder decoder = new MessageDecoder(this::onFrame);
  private volatile boolean broken;
  private Throwable streamError;
  private boolean assembled; // guarded by this

  // Output under construction, by content block index.
  private String role = "assistant";
  private final TreeMap<Integer, StringBuilder> text = new TreeMap<>();
  private final TreeMap<Integer, String[]> tools = new TreeMap<>(); // index -> {name, id}
  private final TreeMap<Integer, StringBuilder> toolInput = new TreeMap<>();

  FrameSink(CallRecord record) {
    this.record = record;
    this.converse = record.operation.equals("ConverseStream");
  }

  synchronized void feed(ByteBuffer bytes) {
    if (broken) return;
    try {
      decoder.feed(bytes);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      broken = true;
      Log.debug("Bedrock stream capture stopped: " + t);
    }
  }

  private void onFrame(Message frame) {
    Map<String, HeaderValue> h = frame.getHeaders();
    String messageType = header(h, ":message-type");
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type = header(h, ":exception-type");
      if (type == null) type = header(h, ":error-code");
      Object payload = Json.parse(frame.getPayload());
      String msg = Json.str(payload, "message");
      if (msg == null) msg = header(h, ":error-message");
      streamError = new StreamException(type, msg);
      return;
    }
    Object payload = Json.parse(frame.getPayload());
    if (converse) converseEvent(header(h, ":event-type"), payload);
    else if ("chunk".equals(header(h, ":event-type"))) {
      String b64 = Json.str(payload, "bytes");
      if (b64 != null) chunk(Json.parse(Base64.getDecoder().decode(b64)));
    }
  }

  private static String header(Map<String, HeaderValue> h, String name) {
    HeaderValue v = h.get(name);
    return v == null ? null : v.getString();
  }

  private void converseEvent(String type, Object p) {
    if (type == null || p == null) return;
    switch (type) {
      case "messageStart":
        if (Json.str(p, "role") != null) role = Json.str(p, "role");
        break;
      case "contentBlockStart": {
        Map<String, Object> use = Json.obj(Json.obj(p, "start"), "toolUse");
        if (use != null) tools.put(index(p, "contentBlockIndex"), new String[] {Json.str(use, "name"), Json.str(use, "toolUseId")});
        break;
      }
      case "contentBlockDelta": {
        Map<String, Object> delta = Json.obj(p, "delta");
        int i = index(p, "contentBlockIndex");
        if (Json.str(delta, "text") != null) {
          record.firstToken();
          text.computeIfAbsent(i, k -> new StringBuilder()).append(Json.str(delta, "text"));
        }
        Map<String, Object> use = Json.obj(delta, "toolUse");
        if (use != null && Json.str(use, "input") != null) {
          record.firstToken();
          toolInput.computeIfAbsent(i, k -> new StringBuilder()).append(Json.str(use, "input"));
        }
        break;
      }
      case "messageStop":
        record.meta("stop_reason", Json.str(p, "stopReason"));
        break;
      case "metadata":
        usage(Json.obj(p, "usage"), "inputTokens", "outputTokens", "totalTokens");
        Map<String, Object> u = Json.obj(p, "usage");
        synchronized (record) {
          record.cacheRead = InvokeBodies.first(Json.num(u, "cacheReadInputTokens"), Json.num(u, "cacheReadInputTokenCount"), record.cacheRead);
          record.cacheWrite = InvokeBodies.first(Json.num(u, "cacheWriteInputTokens"), Json.num(u, "cacheWriteInputTokenCount"), record.cacheWrite);
        }
        record.meta("latency_ms", Json.num(Json.obj(p, "metrics"), "latencyMs"));
        break;
      default:
    }
  }

  /** One InvokeModelWithResponseStream chunk: the model's own JSON, per family. */
  private void chunk(Object c) {
    if (c == null) return;
    Map<String, Object> metrics = Json.obj(c, "amazon-bedrock-invocationMetrics");
    if (metrics != null) {
      synchronized (record) {
        record.inputTokens = InvokeBodies.first(Json.num(metrics, "inputTokenCount"), record.inputTokens);
        record.outputTokens = InvokeBodies.first(Json.num(metrics, "outputTokenCount"), record.outputTokens);
        record.cacheRead = InvokeBodies.first(Json.num(metrics, "cacheReadInputTokenCount"), record.cacheRead);
        record.cacheWrite = InvokeBodies.first(Json.num(metrics, "cacheWriteInputTokenCount"), record.cacheWrite);
      }
      record.meta("latency_ms", Json.num(metrics, "invocationLatency"));
      record.meta("first_byte_latency_ms", Json.num(metrics, "firstByteLatency"));
    }
    String type = Json.str(c, "type");
    if (type != null) { // Claude Messages API
      switch (type) {
        case "message_start":
          usage(Json.obj(Json.obj(c, "message"), "usage"), "input_tokens", null, null);
          break;
        case "content_block_start": {
          Map<String, Object> block = Json.obj(c, "content_block");
          if ("tool_use".equals(Json.str(block, "type"))) {
            tools.put(index(c, "index"), new String[] {Json.str(block, "name"), Json.str(block, "id")});
          }
          break;
        }
        case "content_block_delta": {
          Map<String, Object> d = Json.obj(c, "delta");
          if (Json.str(d, "text") != null) appendText(index(c, "index"), Json.str(d, "text"));
          if (Json.str(d, "partial_json") != null) {
            record.firstToken();
            toolInput.computeIfAbsent(index(c, "index"), k -> new StringBuilder()).append(Json.str(d, "partial_json"));
          }
          break;
        }
        case "message_delta":
          record.meta("stop_reason", Json.str(Json.obj(c, "delta"), "stop_reason"));
          usage(Json.obj(c, "usage"), null, "output_tokens", null);
          break;
        default:
      }
      return;
    }
    if (Json.has(c, "contentBlockDelta") || Json.has(c, "messageStop") || Json.has(c, "metadata")
        || Json.has(c, "messageStart") || Json.has(c, "contentBlockStart")) { // Nova: Converse events as keys
      for (String k : new String[] {"messageStart", "contentBlockStart", "contentBlockDelta", "messageStop", "metadata"}) {
        if (Json.has(c, k)) converseEvent(k, Json.raw(c, k));
      }
      return;
    }
    if (Json.has(c, "outputText")) { // Titan
      appendText(0, Json.str(c, "outputText"));
      record.meta("stop_reason", Json.str(c, "completionReason"));
      usage(c, "inputTextTokenCount", "totalOutputTextTokenCount", null);
    } else if (Json.has(c, "generation")) { // Llama
      appendText(0, Json.str(c, "generation"));
      record.meta("stop_reason", Json.str(c, "stop_reason"));
      usage(c, "prompt_token_count", null, null);
      synchronized (record) {
        Long g = Json.num(c, "generation_token_count");
        if (g != null && metrics == null) record.outputTokens = g;
      }
    } else if (Json.has(c, "outputs")) { // Mistral text
      for (Object o : InvokeBodies.listOf(Json.list(c, "outputs"))) {
        appendText(0, Json.str(o, "text"));
        record.meta("stop_reason", Json.str(o, "stop_reason"));
      }
    } else if (Json.has(c, "choices")) { // Mistral chat, AI21 Jamba
      for (Object o : InvokeBodies.listOf(Json.list(c, "choices"))) {
        Map<String, Object> d = Json.obj(o, "delta") != null ? Json.obj(o, "delta") : Json.obj(o, "message");
        appendText(0, Json.str(d, "content"));
        record.meta("stop_reason", InvokeBodies.first(Json.str(o, "stop_reason"), Json.str(o, "finish_reason")));
      }
    } else if (Json.has(c, "generations")) { // Cohere, several generations
      for (Object g : InvokeBodies.listOf(Json.list(c, "generations"))) appendText(0, Json.str(g, "text"));
    } else if (Json.has(c, "text") || Json.has(c, "is_finished")) { // Cohere
      appendText(0, Json.str(c, "text"));
      record.meta("stop_reason", Json.str(c, "finish_reason"));
    }
  }

  private void appendText(int index, String s) {
    if (s == null || s.isEmpty()) return;
    record.firstToken();
    text.computeIfAbsent(index, k -> new StringBuilder()).append(s);
  }

  private void usage(Object u, String in, String out, String total) {
    if (u == null) return;
    synchronized (record) {
      if (in != null && Json.num(u, in) != null) record.inputTokens = Json.num(u, in);
      if (out != null && Json.num(u, out) != null) record.outputTokens = Json.num(u, out);
      if (total != null && Json.num(u, total) != null) record.totalTokens = Json.num(u, total);
    }
  }

  private static int index(Object p, String key) {
    Long i = Json.num(p, key);
    return i == null ? 0 : i.intValue();
  }

  /** The error a stream ended with, from an exception frame, or null. */
  Throwable streamError() {
    return streamError;
  }

  /** Writes the assembled output message into the record. */
  synchronized void assemble(boolean cancelled) {
    if (assembled) return;
    assembled = true;
    StringBuilder all = new StringBuilder();
    for (StringBuilder b : text.values()) all.append(b);
    List<ToolCall> calls = new ArrayList<>();
    for (Map.Entry<Integer, String[]> t : tools.entrySet()) {
      StringBuilder raw = toolInput.get(t.getKey());
      Object args = raw == null || raw.length() == 0 ? null : Json.parse(raw.toString().getBytes(StandardCharsets.UTF_8));
      Map<String, Object> map = Json.asObj(args);
      if (map == null && raw != null && raw.length() > 0) map = Map.of("raw", raw.toString());
      calls.add(ToolCall.of(t.getValue()[0], map, t.getValue()[1], converse || record.family == ModelId.AMAZON_NOVA ? "toolUse" : "tool_use"));
    }
    synchronized (record) {
      if (all.length() > 0 || !calls.isEmpty()) record.output.add(CallRecord.message(role, all.toString(), calls, null));
    }
    if (cancelled) record.meta("stream_cancelled", true);
  }

  /** An exception frame inside a 200 response: its type is the service's error code. */
  static final class StreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;

    StreamException(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }
}
