package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import static dev.llmobs.bedrock.Bodies.first;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Amazon Nova: Converse-shaped bodies ({@code messages} of content blocks, {@code inferenceConfig}) and stream events. */
final class AmazonNova extends ModelFamily {
  private static final String[] STREAM_EVENTS = {"messageStart", "contentBlockStart", "contentBlockDelta", "messageStop", "metadata"};

  AmazonNova() {
    super("amazon_nova");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("amazon.nova");
  }

  @Override boolean ownsBody(Object req) {
    return Json.has(req, "inferenceConfig") || Json.has(req, "schemaVersion");
  }

  @Override String toolCallType() {
    return "toolUse";
  }

  @Override void request(Object req, CallRecord r) {
    Bodies.system(r.input, Json.raw(req, "system"));
    for (Object m : listOf(Json.list(req, "messages"))) r.input.add(message(m));
    Map<String, Object> cfg = Json.obj(req, "inferenceConfig");
    r.meta("max_tokens", first(Json.num(cfg, "max_new_tokens"), Json.num(cfg, "maxTokens")));
    r.meta("temperature", Json.raw(cfg, "temperature"));
    r.meta("top_p", Json.raw(cfg, "topP"));
    r.meta("stop_sequences", Json.raw(cfg, "stopSequences"));
  }

  @Override void response(Object res, CallRecord r) {
    converseResponse(res, r);
  }

  /**
   * A Converse-shaped response body, Nova's and Converse's own: the output message, stop reason and usage. The
   * caller holds the record's lock.
   */
  static void converseResponse(Object res, CallRecord r) {
    Map<String, Object> message = Json.obj(Json.obj(res, "output"), "message");
    if (message != null) r.output.add(message(message));
    r.meta("stop_reason", Json.str(res, "stopReason"));
    Bodies.converseUsage(Json.obj(res, "usage"), r);
  }

  /** Nova streams ConverseStream's events as keys of each chunk. */
  @Override boolean chunk(Object c, FrameSink out) {
    boolean any = false;
    for (String k : STREAM_EVENTS) {
      if (Json.has(c, k)) {
        out.converseEvent(k, Json.raw(c, k));
        any = true;
      }
    }
    return any;
  }

  /** A Nova (and Converse-shaped) message: content blocks of text, toolUse, toolResult, image. */
  static Message message(Object m) {
    String role = first(Json.str(m, "role"), "assistant");
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    for (Object b : listOf(Json.list(m, "content"))) {
      if (Json.str(b, "text") != null) text.append(Json.str(b, "text"));
      Map<String, Object> use = Json.obj(b, "toolUse");
      if (use != null) calls.add(ToolCall.of(Json.str(use, "name"), Json.obj(use, "input"), Json.str(use, "toolUseId"), "toolUse"));
      Map<String, Object> res = Json.obj(b, "toolResult");
      if (res != null) results.add(ToolResult.of("", dev.llmobs.integrations.internal.AnthropicMessages.contentText(Json.raw(res, "content")), Json.str(res, "toolUseId"), "toolResult"));
      if (Json.has(b, "image")) text.append("([IMAGE DETECTED])");
    }
    return ModelCall.message(role, text.toString(), calls, results);
  }
}
