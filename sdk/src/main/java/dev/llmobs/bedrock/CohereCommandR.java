package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Message;

/** Cohere Command R: a {@code message} with a {@code chat_history} and a {@code preamble}; {@code text} out. */
final class CohereCommandR extends ModelFamily {
  CohereCommandR() {
    super("cohere_command_r");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("cohere.command-r");
  }

  @Override boolean ownsBody(Object req) {
    return Json.has(req, "message") || Json.has(req, "chat_history");
  }

  @Override void request(Object req, CallRecord r) {
    if (Json.str(req, "preamble") != null) r.input.add(Message.system(Json.str(req, "preamble")));
    for (Object h : listOf(Json.list(req, "chat_history"))) {
      String role = "CHATBOT".equalsIgnoreCase(Json.str(h, "role")) ? "assistant" : "user";
      r.input.add(Message.of(role, Json.str(h, "message")));
    }
    r.input.add(Message.user(Json.str(req, "message")));
    CohereCommand.parameters(req, r);
  }

  @Override void response(Object res, CallRecord r) {
    r.output.add(Message.assistant(Json.str(res, "text")));
    r.meta("stop_reason", Json.str(res, "finish_reason"));
  }

  @Override boolean chunk(Object c, FrameSink out) {
    return CohereCommand.textChunk(c, out);
  }
}
