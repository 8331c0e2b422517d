package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.first;

import dev.llmobs.Document;
import java.util.List;

/** Amazon Titan embeddings: one {@code inputText} in, one {@code embedding} out. */
final class AmazonTitanEmbed extends ModelFamily {
  AmazonTitanEmbed() {
    super("amazon_titan_embed");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("amazon.titan-embed");
  }

  /** Titan text has an {@code inputText} too, with a generation config. */
  @Override boolean ownsBody(Object req) {
    return Json.has(req, "inputText") && !Json.has(req, "textGenerationConfig");
  }

  @Override boolean isEmbedding() {
    return true;
  }

  @Override void request(Object req, CallRecord r) {
    r.inputDocuments.add(Document.of(Json.str(req, "inputText")));
    r.meta("dimensions", Json.raw(req, "dimensions"));
    r.meta("normalize", Json.raw(req, "normalize"));
  }

  @Override void response(Object res, CallRecord r) {
    List<?> vector = Json.list(res, "embedding");
    r.outputText = dev.llmobs.internal.Integrations.embeddingsOutput(1, vector == null ? 0 : vector.size());
    r.inputTokens = first(Json.num(res, "inputTextTokenCount"), r.inputTokens);
  }

  @Override boolean chunk(Object c, FrameSink out) {
    return false; // embeddings are not streamed
  }
}
