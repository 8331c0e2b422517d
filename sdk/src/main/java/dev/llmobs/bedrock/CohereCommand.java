package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Message;

/** Cohere Command (the text models before Command R): a {@code prompt}; {@code generations} out. */
final class CohereCommand extends ModelFamily {
  CohereCommand() {
    super("cohere_command");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("cohere.") && !id.startsWith("cohere.command-r") && !id.startsWith("cohere.embed");
  }

  @Override void request(Object req, CallRecord r) {
    r.inputText = Json.str(req, "prompt");
    parameters(req, r);
  }

  @Override void response(Object res, CallRecord r) {
    StringBuilder text = new StringBuilder();
    for (Object g : listOf(Json.list(res, "generations"))) {
      if (Json.str(g, "text") != null) text.append(Json.str(g, "text"));
      r.meta("stop_reason", Json.str(g, "finish_reason"));
    }
    r.output.add(Message.assistant(text.toString()));
  }

  @Override boolean chunk(Object c, FrameSink out) {
    return textChunk(c, out);
  }

  /** Cohere's parameters, the same for Command and Command R. */
  static void parameters(Object req, CallRecord r) {
    r.meta("max_tokens", Json.num(req, "max_tokens"));
    r.meta("temperature", Json.raw(req, "temperature"));
    r.meta("top_p", Json.raw(req, "p"));
    r.meta("top_k", Json.raw(req, "k"));
    r.meta("stop_sequences", Json.raw(req, "stop_sequences"));
  }

  /** Cohere's stream chunks, the same for Command and Command R: text pieces, or several generations. */
  static boolean textChunk(Object c, FrameSink out) {
    if (Json.has(c, "generations")) {
      for (Object g : listOf(Json.list(c, "generations"))) out.appendText(0, Json.str(g, "text"));
      return true;
    }
    if (!Json.has(c, "text") && !Json.has(c, "is_finished")) return false;
    out.appendText(0, Json.str(c, "text"));
    out.record.meta("stop_reason", Json.str(c, "finish_reason"));
    return true;
  }
}
