package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.first;

import dev.llmobs.Message;

/** Meta Llama: a {@code prompt} with {@code max_gen_len}; a {@code generation} out. */
final class MetaLlama extends ModelFamily {
  MetaLlama() {
    super("meta_llama");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("meta.");
  }

  @Override boolean ownsBody(Object req) {
    return Json.has(req, "max_gen_len");
  }

  @Override void request(Object req, CallRecord r) {
    r.inputText = Json.str(req, "prompt");
    r.meta("max_tokens", Json.num(req, "max_gen_len"));
    r.meta("temperature", Json.raw(req, "temperature"));
    r.meta("top_p", Json.raw(req, "top_p"));
  }

  @Override void response(Object res, CallRecord r) {
    r.output.add(Message.assistant(Json.str(res, "generation")));
    r.meta("stop_reason", Json.str(res, "stop_reason"));
    r.inputTokens = first(Json.num(res, "prompt_token_count"), r.inputTokens);
    r.outputTokens = first(Json.num(res, "generation_token_count"), r.outputTokens);
  }

  @Override boolean chunk(Object c, FrameSink out) {
    if (!Json.has(c, "generation")) return false;
    out.appendText(0, Json.str(c, "generation"));
    out.record.meta("stop_reason", Json.str(c, "stop_reason"));
    out.usage(c, "prompt_token_count", null, null);
    // A chunk's generation_token_count is its own; Bedrock's invocation metrics, when present, have the total.
    if (!Json.has(c, FrameSink.INVOCATION_METRICS)) out.usage(c, null, "generation_token_count", null);
    return true;
  }
}
