package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.first;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Message;
import java.util.Map;

/** AI21: Jamba (chat: {@code messages}; {@code choices}) and Jurassic ({@code prompt}; {@code completions}). */
final class Ai21 extends ModelFamily {
  Ai21() {
    super("ai21");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("ai21.");
  }

  @Override void request(Object req, CallRecord r) {
    if (Json.has(req, "messages")) {
      Bodies.chatMessages(req, r.input);
      r.meta("max_tokens", Json.num(req, "max_tokens"));
      r.meta("temperature", Json.raw(req, "temperature"));
      r.meta("top_p", Json.raw(req, "top_p"));
    } else {
      r.inputText = Json.str(req, "prompt");
      r.meta("max_tokens", Json.num(req, "maxTokens"));
      r.meta("temperature", Json.raw(req, "temperature"));
      r.meta("top_p", Json.raw(req, "topP"));
      r.meta("stop_sequences", Json.raw(req, "stopSequences"));
    }
  }

  @Override void response(Object res, CallRecord r) {
    if (Json.has(res, "choices")) {
      Bodies.choices(res, r);
      Map<String, Object> usage = Json.obj(res, "usage");
      r.inputTokens = first(Json.num(usage, "prompt_tokens"), r.inputTokens);
      r.outputTokens = first(Json.num(usage, "completion_tokens"), r.outputTokens);
      return;
    }
    StringBuilder text = new StringBuilder();
    for (Object c : listOf(Json.list(res, "completions"))) {
      String t = Json.str(Json.obj(c, "data"), "text");
      if (t != null) text.append(t);
      r.meta("stop_reason", Json.str(Json.obj(c, "finishReason"), "reason"));
    }
    r.output.add(Message.assistant(text.toString()));
  }

  @Override boolean chunk(Object c, FrameSink out) {
    return Bodies.choicesChunk(c, out);
  }
}
