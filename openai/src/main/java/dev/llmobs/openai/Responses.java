package dev.llmobs.openai;

import dev.llmobs.Message;
import dev.llmobs.SpanKind;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import dev.llmobs.integrations.internal.TappedCall;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Responses API: instructions and input items in (messages, function calls and their outputs, reasoning), output
 * items out. A stream is timed by its first delta and read from its {@code response.completed} event, which carries
 * the whole response; a stream that stops short keeps the text that arrived.
 */
final class Responses extends OpenAIProtocol.OpenAIOperation {
  private static final Set<String> NOT_PARAMETERS = Set.of("model", "input", "instructions", "tools");

  Responses() {
    super("createResponse", SpanKind.LLM);
  }

  @Override public void request(Object req, TappedCall call) {
    OpenAIJson.model(req, call);
    String instructions = Json.str(req, "instructions");
    if (instructions != null) call.input.add(Message.system(instructions));
    Object input = Json.raw(req, "input");
    if (input instanceof String) call.input.add(Message.user((String) input));
    else if (input instanceof List) for (Object item : (List<?>) input) items(item, "user", call.input);
    OpenAIJson.tools(req, call);
    OpenAIJson.parameters(req, call, NOT_PARAMETERS);
  }

  @Override public void response(Object res, TappedCall call) {
    call.responseModel = Json.str(res, "model");
    List<?> output = Json.list(res, "output");
    if (output != null) for (Object item : output) items(item, "assistant", call.output);
    call.meta("status", Json.str(res, "status"));
    Map<String, Object> incomplete = Json.obj(res, "incomplete_details");
    if (incomplete != null) call.meta("incomplete_reason", Json.str(incomplete, "reason"));
    OpenAIJson.usage(Json.obj(res, "usage"), call);
    Map<String, Object> error = Json.obj(res, "error");
    if (error != null) call.streamError(new ModelCall.StreamError(Json.str(error, "code"), Json.str(error, "message")));
  }

  @Override public void event(String name, Object e, TappedCall call) {
    String type = Json.str(e, "type");
    if (type == null) type = name;
    if (type == null) return;
    switch (type) {
      case "response.output_text.delta": case "response.refusal.delta":
        call.stream().appendText(0, Json.str(e, "delta"));
        break;
      case "response.reasoning_summary_text.delta":
        call.stream().appendReasoning(Json.str(e, "delta"));
        break;
      case "response.function_call_arguments.delta":
        call.firstToken();
        break;
      case "response.completed": case "response.incomplete": case "response.failed": {
        Map<String, Object> res = Json.obj(e, "response");
        if (res == null) break;
        synchronized (call) {
          call.streamSuperseded();
          response(res, call);
        }
        break;
      }
      case "error":
        call.streamError(new ModelCall.StreamError(Json.str(e, "code"), Json.str(e, "message")));
        break;
      default:
    }
  }

  /** One input or output item into messages: a message, a function call or its output, reasoning summaries. */
  static void items(Object item, String defaultRole, List<Message> into) {
    String type = Json.str(item, "type");
    if (type == null || type.equals("message")) {
      String role = Json.str(item, "role");
      into.add(Message.of(role == null ? defaultRole : role, OpenAIJson.text(Json.raw(item, "content"))));
      return;
    }
    switch (type) {
      case "function_call": case "custom_tool_call":
        into.add(ModelCall.message("assistant", "", List.of(ToolCall.of(Json.str(item, "name"),
            OpenAIJson.arguments(first(Json.raw(item, "arguments"), Json.raw(item, "input"))),
            Json.str(item, "call_id"), type)), null));
        break;
      case "function_call_output": case "custom_tool_call_output": {
        Object out = Json.raw(item, "output");
        into.add(ModelCall.message("user", "", null, List.of(ToolResult.of("",
            out instanceof String ? (String) out : OpenAIJson.text(out), Json.str(item, "call_id"), type))));
        break;
      }
      case "reasoning": {
        StringBuilder b = new StringBuilder();
        List<?> summary = Json.list(item, "summary");
        if (summary != null) for (Object s : summary) if (Json.str(s, "text") != null) b.append(Json.str(s, "text"));
        if (b.length() > 0) into.add(Message.of("reasoning", b.toString()));
        break;
      }
      default: // a built-in tool's call (web search, file search...): its kind, so the turn is not silently lost
        into.add(Message.of(defaultRole, "([" + type + "])"));
    }
  }

  private static Object first(Object a, Object b) {
    return a != null ? a : b;
  }
}
