package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.first;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Message;
import java.util.Map;

/** Amazon Titan text: {@code inputText} with a {@code textGenerationConfig}; {@code results} out. */
final class AmazonTitanText extends ModelFamily {
  AmazonTitanText() {
    super("amazon_titan_text");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("amazon.titan") && !id.startsWith("amazon.titan-embed");
  }

  @Override boolean ownsBody(Object req) {
    return Json.has(req, "textGenerationConfig");
  }

  @Override void request(Object req, CallRecord r) {
    r.inputText = Json.str(req, "inputText");
    Map<String, Object> cfg = Json.obj(req, "textGenerationConfig");
    r.meta("max_tokens", Json.num(cfg, "maxTokenCount"));
    r.meta("temperature", Json.raw(cfg, "temperature"));
    r.meta("top_p", Json.raw(cfg, "topP"));
    r.meta("stop_sequences", Json.raw(cfg, "stopSequences"));
  }

  @Override void response(Object res, CallRecord r) {
    StringBuilder text = new StringBuilder();
    long out = 0;
    boolean counted = false;
    for (Object result : listOf(Json.list(res, "results"))) {
      if (Json.str(result, "outputText") != null) text.append(Json.str(result, "outputText"));
      r.meta("stop_reason", Json.str(result, "completionReason"));
      Long n = Json.num(result, "tokenCount");
      if (n != null) {
        out += n;
        counted = true;
      }
    }
    r.output.add(Message.assistant(text.toString()));
    r.inputTokens = first(Json.num(res, "inputTextTokenCount"), r.inputTokens);
    if (counted) r.outputTokens = out;
  }

  @Override boolean chunk(Object c, FrameSink out) {
    if (!Json.has(c, "outputText")) return false;
    out.appendText(0, Json.str(c, "outputText"));
    out.record.meta("stop_reason", Json.str(c, "completionReason"));
    out.usage(c, "inputTextTokenCount", "totalOutputTextTokenCount", null);
    return true;
  }
}
