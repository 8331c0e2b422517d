package dev.llmobs.bedrock;

import static dev.llmobs.bedrock.Bodies.first;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Anthropic Claude: the Messages API ({@code anthropic_version}, content blocks, tools) and legacy text completions. */
final class Anthropic extends ModelFamily {
  Anthropic() {
    super("anthropic");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("anthropic.");
  }

  @Override boolean ownsBody(Object req) {
    return Json.has(req, "anthropic_version");
  }

  @Override void request(Object req, CallRecord r) {
    if (Json.has(req, "messages")) {
      Bodies.system(r.input, Json.raw(req, "system"));
      for (Object m : listOf(Json.list(req, "messages"))) r.input.add(message(m));
    } else {
      r.inputText = Json.str(req, "prompt");
    }
    r.meta("max_tokens", first(Json.num(req, "max_tokens"), Json.num(req, "max_tokens_to_sample")));
    r.meta("temperature", Json.raw(req, "temperature"));
    r.meta("top_p", Json.raw(req, "top_p"));
    r.meta("top_k", Json.raw(req, "top_k"));
    r.meta("stop_sequences", Json.raw(req, "stop_sequences"));
    r.meta("tools", Bodies.toolNames(Json.list(req, "tools"), "name"));
  }

  @Override void response(Object res, CallRecord r) {
    if (Json.has(res, "content")) r.output.add(message(res));
    else r.output.add(Message.assistant(Json.str(res, "completion")));
    r.meta("stop_reason", Json.str(res, "stop_reason"));
    Map<String, Object> usage = Json.obj(res, "usage");
    r.inputTokens = first(Json.num(usage, "input_tokens"), r.inputTokens);
    r.outputTokens = first(Json.num(usage, "output_tokens"), r.outputTokens);
    r.cacheRead = first(Json.num(usage, "cache_read_input_tokens"), r.cacheRead);
    r.cacheWrite = first(Json.num(usage, "cache_creation_input_tokens"), r.cacheWrite);
  }

  /** Messages API stream events, each with a {@code type}. */
  @Override boolean chunk(Object c, FrameSink out) {
    String type = Json.str(c, "type");
    if (type == null) return false;
    switch (type) {
      case "message_start":
        out.usage(Json.obj(Json.obj(c, "message"), "usage"), "input_tokens", null, null);
        break;
      case "content_block_start": {
        Map<String, Object> block = Json.obj(c, "content_block");
        if ("tool_use".equals(Json.str(block, "type"))) {
          out.startTool(FrameSink.index(c, "index"), Json.str(block, "name"), Json.str(block, "id"));
        }
        break;
      }
      case "content_block_delta": {
        Map<String, Object> d = Json.obj(c, "delta");
        out.appendText(FrameSink.index(c, "index"), Json.str(d, "text"));
        out.appendToolInput(FrameSink.index(c, "index"), Json.str(d, "partial_json"));
        break;
      }
      case "message_delta":
        out.record.meta("stop_reason", Json.str(Json.obj(c, "delta"), "stop_reason"));
        out.usage(Json.obj(c, "usage"), null, "output_tokens", null);
        break;
      default:
    }
    return true;
  }

  /** A Claude message: content is a string or blocks (text, tool_use, tool_result, image). */
  static Message message(Object m) {
    String role = first(Json.str(m, "role"), "assistant");
    Object content = Json.raw(m, "content");
    if (content instanceof String) return Message.of(role, (String) content);
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    for (Object b : listOf(content instanceof List ? (List<?>) content : null)) {
      String type = Json.str(b, "type");
      if ("text".equals(type)) text.append(Json.str(b, "text"));
      else if ("tool_use".equals(type)) calls.add(ToolCall.of(Json.str(b, "name"), Json.obj(b, "input"), Json.str(b, "id"), "tool_use"));
      else if ("tool_result".equals(type)) results.add(ToolResult.of("", Bodies.contentText(Json.raw(b, "content")), Json.str(b, "tool_use_id"), "tool_result"));
      else if ("image".equals(type)) text.append("([IMAGE DETECTED])");
    }
    return CallRecord.message(role, text.toString(), calls, results);
  }
}
