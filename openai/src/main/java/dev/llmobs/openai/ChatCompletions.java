package dev.llmobs.openai;

import dev.llmobs.Message;
import dev.llmobs.SpanKind;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import dev.llmobs.integrations.internal.StreamOutput;
import dev.llmobs.integrations.internal.TappedCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Chat completions: messages in, choices out, streamed as deltas (usage last, when {@code stream_options} asks). */
final class ChatCompletions extends OpenAIProtocol.OpenAIOperation {
  private static final Set<String> NOT_PARAMETERS = Set.of("model", "messages", "tools", "functions");

  ChatCompletions() {
    super("createChatCompletion", SpanKind.LLM);
  }

  @Override public void request(Object req, TappedCall call) {
    OpenAIJson.model(req, call);
    List<?> messages = Json.list(req, "messages");
    if (messages != null) for (Object m : messages) call.input.add(message(m));
    OpenAIJson.tools(req, call);
    OpenAIJson.parameters(req, call, NOT_PARAMETERS);
  }

  @Override public void response(Object res, TappedCall call) {
    call.responseModel = Json.str(res, "model");
    List<?> choices = Json.list(res, "choices");
    List<Object> finish = new ArrayList<>();
    if (choices != null) {
      for (Object c : choices) {
        call.output.add(message(Json.obj(c, "message")));
        if (Json.str(c, "finish_reason") != null) finish.add(Json.str(c, "finish_reason"));
      }
    }
    finishReason(finish, call);
    OpenAIJson.usage(Json.obj(res, "usage"), call);
  }

  private static void finishReason(List<Object> finish, TappedCall call) {
    if (finish.size() == 1) call.meta("finish_reason", finish.get(0));
    else if (!finish.isEmpty()) call.meta("finish_reason", finish);
  }

  @Override public void event(String name, Object chunk, TappedCall call) {
    if (Json.obj(chunk, "error") != null) {
      call.streamError(new ModelCall.StreamError(Json.str(Json.obj(chunk, "error"), "type"), Json.str(Json.obj(chunk, "error"), "message")));
      return;
    }
    if (Json.str(chunk, "model") != null) call.responseModel = Json.str(chunk, "model");
    StreamOutput out = call.stream();
    List<?> choices = Json.list(chunk, "choices");
    if (choices != null) {
      for (Object c : choices) {
        Map<String, Object> d = Json.obj(c, "delta");
        out.role(Json.str(d, "role"));
        out.appendText(0, Json.str(d, "content"));
        out.appendText(0, Json.str(d, "refusal"));
        out.appendReasoning(Json.str(d, "reasoning_content"));
        List<?> tools = Json.list(d, "tool_calls");
        if (tools != null) {
          for (Object t : tools) {
            Long i = Json.num(t, "index");
            int index = 1 + (i == null ? 0 : i.intValue());
            Map<String, Object> f = Json.obj(t, "function");
            out.startTool(index, Json.str(f, "name"), Json.str(t, "id"));
            out.appendToolInput(index, Json.str(f, "arguments"));
          }
        }
        if (Json.str(c, "finish_reason") != null) call.meta("finish_reason", Json.str(c, "finish_reason"));
      }
    }
    if (Json.obj(chunk, "usage") != null) {
      synchronized (call) {
        OpenAIJson.usage(Json.obj(chunk, "usage"), call);
      }
    }
  }

  /** A chat message: text (or parts), tool calls asked by the assistant, or a tool's result. */
  static Message message(Object m) {
    String role = Json.str(m, "role");
    String text = OpenAIJson.text(Json.raw(m, "content"));
    if (text.isEmpty() && Json.str(m, "refusal") != null) text = Json.str(m, "refusal");
    List<ToolCall> calls = new ArrayList<>();
    List<?> toolCalls = Json.list(m, "tool_calls");
    if (toolCalls != null) {
      for (Object t : toolCalls) {
        Map<String, Object> f = Json.obj(t, "function");
        calls.add(ToolCall.of(Json.str(f, "name"), OpenAIJson.arguments(Json.raw(f, "arguments")), Json.str(t, "id"),
            Json.str(t, "type") == null ? "function" : Json.str(t, "type")));
      }
    }
    List<ToolResult> results = null;
    if ("tool".equals(role)) {
      results = List.of(ToolResult.of("", text, Json.str(m, "tool_call_id"), "tool_result"));
      text = "";
    }
    return ModelCall.message(role, text, calls, results);
  }
}
