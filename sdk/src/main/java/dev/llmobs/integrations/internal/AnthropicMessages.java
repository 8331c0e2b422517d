package dev.llmobs.integrations.internal;

import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolDefinition;
import dev.llmobs.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API as JSON, wherever it is spoken: Anthropic's own API, Claude on Bedrock (InvokeModel) and
 * on Vertex. Requests, responses and stream events into a {@link ModelCall}; blocks we do not render (images,
 * documents) leave the markers our Bedrock spans write. Not for use outside llmobs-lambda.
 */
public final class AnthropicMessages {
  private AnthropicMessages() {}

  /** The system prompt (a string or text blocks) and the messages of a request. */
  public static void input(Object req, ModelCall r) {
    Object system = Json.raw(req, "system");
    if (system instanceof String) r.input.add(Message.system((String) system));
    else if (system instanceof List) {
      for (Object b : (List<?>) system) {
        String t = Json.str(b, "text");
        if (t != null) r.input.add(Message.system(t));
      }
    }
    List<?> messages = Json.list(req, "messages");
    if (messages != null) for (Object m : messages) r.input.addAll(messages(m));
  }

  /** Tool definitions with their input schemas. */
  public static void tools(Object req, ModelCall r) {
    List<?> tools = Json.list(req, "tools");
    if (tools == null) return;
    for (Object t : tools) {
      String name = Json.str(t, "name");
      if (name != null) r.toolDefinitions.add(ToolDefinition.of(name, Json.str(t, "description"), Json.obj(t, "input_schema")));
    }
  }

  /** A response message: content, stop reason, usage. */
  public static void response(Object res, ModelCall r) {
    r.output.addAll(messages(res));
    if (Json.str(res, "model") != null) r.responseModel = Json.str(res, "model");
    r.meta("stop_reason", Json.str(res, "stop_reason"));
    usage(Json.obj(res, "usage"), r);
  }

  /** Usage in Anthropic's names: tokens not cached, cache reads and cache writes apart. */
  public static void usage(Map<String, Object> u, ModelCall r) {
    if (u == null) return;
    if (Json.num(u, "input_tokens") != null) r.inputTokens = Json.num(u, "input_tokens");
    if (Json.num(u, "output_tokens") != null) r.outputTokens = Json.num(u, "output_tokens");
    if (Json.num(u, "cache_read_input_tokens") != null) r.cacheRead = Json.num(u, "cache_read_input_tokens");
    if (Json.num(u, "cache_creation_input_tokens") != null) r.cacheWrite = Json.num(u, "cache_creation_input_tokens");
  }

  /** One stream event (its {@code type} in the JSON) into the output; false when it has no type. */
  public static boolean event(Object c, StreamOutput out) {
    String type = Json.str(c, "type");
    if (type == null) return false;
    ModelCall r = out.call();
    switch (type) {
      case "message_start": {
        Map<String, Object> m = Json.obj(c, "message");
        out.role(Json.str(m, "role"));
        synchronized (r) {
          usage(Json.obj(m, "usage"), r);
        }
        if (Json.str(m, "model") != null) r.responseModel = Json.str(m, "model");
        break;
      }
      case "content_block_start": {
        Map<String, Object> block = Json.obj(c, "content_block");
        String blockType = Json.str(block, "type");
        int i = index(c);
        if ("tool_use".equals(blockType) || "server_tool_use".equals(blockType)) {
          out.startTool(i, Json.str(block, "name"), Json.str(block, "id"));
        } else if ("text".equals(blockType)) {
          out.appendText(i, Json.str(block, "text"));
        }
        break;
      }
      case "content_block_delta": {
        Map<String, Object> d = Json.obj(c, "delta");
        int i = index(c);
        out.appendText(i, Json.str(d, "text"));
        out.appendToolInput(i, Json.str(d, "partial_json"));
        out.appendReasoning(Json.str(d, "thinking"));
        break;
      }
      case "message_delta":
        r.meta("stop_reason", Json.str(Json.obj(c, "delta"), "stop_reason"));
        synchronized (r) {
          usage(Json.obj(c, "usage"), r);
        }
        break;
      default:
    }
    return true;
  }

  /** The error an {@code error} stream event carries, or null. */
  public static ModelCall.StreamError streamError(Object c) {
    if (!"error".equals(Json.str(c, "type"))) return null;
    Map<String, Object> e = Json.obj(c, "error");
    return new ModelCall.StreamError(Json.str(e, "type"), Json.str(e, "message"));
  }

  private static int index(Object c) {
    Long i = Json.num(c, "index");
    return i == null ? 0 : i.intValue();
  }

  /**
   * A message in Datadog's shape: content as a string or blocks (text, tool_use, tool_result, image, document,
   * thinking); thinking becomes a message of its own, with the role {@code reasoning}, before the rest.
   */
  public static List<Message> messages(Object m) {
    String role = Json.str(m, "role");
    if (role == null) role = "assistant";
    Object content = Json.raw(m, "content");
    if (content instanceof String) return List.of(Message.of(role, (String) content));
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    if (content instanceof List) {
      for (Object b : (List<?>) content) {
        String type = Json.str(b, "type");
        if (type == null) continue;
        switch (type) {
          case "text": text.append(Json.str(b, "text")); break;
          case "tool_use": case "server_tool_use":
            calls.add(ToolCall.of(Json.str(b, "name"), Json.obj(b, "input"), Json.str(b, "id"), "tool_use"));
            break;
          case "tool_result":
            results.add(ToolResult.of("", contentText(Json.raw(b, "content")), Json.str(b, "tool_use_id"), "tool_result"));
            break;
          case "image": text.append("([IMAGE DETECTED])"); break;
          case "document": {
            String title = Json.str(b, "title");
            text.append(title == null ? "([DOCUMENT DETECTED])" : "([DOCUMENT DETECTED: " + title + "])");
            break;
          }
          case "thinking": if (Json.str(b, "thinking") != null) thinking.append(Json.str(b, "thinking")); break;
          case "redacted_thinking": thinking.append("([REDACTED THINKING])"); break;
          default:
        }
      }
    }
    Message main = ModelCall.message(role, text.toString(), calls, results);
    if (thinking.length() == 0) return List.of(main);
    Message reasoning = Message.of("reasoning", thinking.toString());
    return text.length() == 0 && calls.isEmpty() && results.isEmpty() ? List.of(reasoning) : List.of(reasoning, main);
  }

  /** A tool result's content as text: a string, or its text and JSON blocks joined. */
  public static String contentText(Object content) {
    if (content == null) return "";
    if (content instanceof String) return (String) content;
    StringBuilder b = new StringBuilder();
    if (content instanceof List) {
      for (Object block : (List<?>) content) {
        if (Json.str(block, "text") != null) b.append(Json.str(block, "text"));
        else if (Json.raw(block, "json") != null) b.append(new dev.llmobs.internal.json.JsonWriter(64).value(Json.raw(block, "json")));
      }
    }
    return b.toString();
  }
}
