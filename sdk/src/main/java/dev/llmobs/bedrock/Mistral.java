package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Message;

/** Mistral: text completion ({@code prompt}; {@code outputs}) and chat ({@code messages}; {@code choices}). */
final class Mistral extends ModelFamily {
  Mistral() {
    super("mistral");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("mistral.");
  }

  @Override void request(Object req, CallRecord r) {
    if (Json.has(req, "messages")) {
      Bodies.chatMessages(req, r.input);
    } else {
      r.inputText = Json.str(req, "prompt");
    }
    r.meta("max_tokens", Json.num(req, "max_tokens"));
    r.meta("temperature", Json.raw(req, "temperature"));
    r.meta("top_p", Json.raw(req, "top_p"));
    r.meta("top_k", Json.raw(req, "top_k"));
    r.meta("stop_sequences", Json.raw(req, "stop"));
  }

  @Override void response(Object res, CallRecord r) {
    if (Json.has(res, "choices")) {
      Bodies.choices(res, r);
      return;
    }
    StringBuilder text = new StringBuilder();
    for (Object o : listOf(Json.list(res, "outputs"))) {
      if (Json.str(o, "text") != null) text.append(Json.str(o, "text"));
      r.meta("stop_reason", Json.str(o, "stop_reason"));
    }
    r.output.add(Message.assistant(text.toString()));
  }

  @Override boolean chunk(Object c, FrameSink out) {
    if (Json.has(c, "outputs")) {
      for (Object o : listOf(Json.list(c, "outputs"))) {
        out.appendText(0, Json.str(o, "text"));
        out.record.meta("stop_reason", Json.str(o, "stop_reason"));
      }
      return true;
    }
    return Bodies.choicesChunk(c, out);
  }
}
