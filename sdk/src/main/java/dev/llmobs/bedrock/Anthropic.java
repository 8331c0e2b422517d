package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import static dev.llmobs.bedrock.Bodies.first;

import dev.llmobs.Message;
import dev.llmobs.integrations.internal.AnthropicMessages;

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
    if (Json.has(req, "messages")) AnthropicMessages.input(req, r);
    else r.inputText = Json.str(req, "prompt");
    r.meta("max_tokens", first(Json.num(req, "max_tokens"), Json.num(req, "max_tokens_to_sample")));
    r.meta("temperature", Json.raw(req, "temperature"));
    r.meta("top_p", Json.raw(req, "top_p"));
    r.meta("top_k", Json.raw(req, "top_k"));
    r.meta("stop_sequences", Json.raw(req, "stop_sequences"));
    r.meta("tools", Bodies.toolNames(Json.list(req, "tools"), "name"));
  }

  @Override void response(Object res, CallRecord r) {
    if (Json.has(res, "content")) {
      AnthropicMessages.response(res, r);
      r.responseModel = null; // Bedrock's model id names the call
    } else {
      r.output.add(Message.assistant(Json.str(res, "completion")));
      r.meta("stop_reason", Json.str(res, "stop_reason"));
    }
  }

  /** Messages API stream events, each with a {@code type}. */
  @Override boolean chunk(Object c, FrameSink out) {
    boolean read = AnthropicMessages.event(c, out.output);
    out.record.responseModel = null;
    return read;
  }
}
