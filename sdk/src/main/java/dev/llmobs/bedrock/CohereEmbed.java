package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import static dev.llmobs.bedrock.Bodies.listOf;

import dev.llmobs.Document;
import java.util.List;

/** Cohere Embed: {@code texts} in, {@code embeddings} (a list, or lists by type) out. */
final class CohereEmbed extends ModelFamily {
  CohereEmbed() {
    super("cohere_embed");
  }

  @Override boolean ownsModel(String id) {
    return id.startsWith("cohere.embed");
  }

  @Override boolean ownsBody(Object req) {
    return Json.has(req, "texts");
  }

  @Override boolean isEmbedding() {
    return true;
  }

  @Override void request(Object req, CallRecord r) {
    for (Object t : listOf(Json.list(req, "texts"))) r.inputDocuments.add(Document.of(String.valueOf(t)));
    r.meta("input_type", Json.raw(req, "input_type"));
    r.meta("truncate", Json.raw(req, "truncate"));
  }

  @Override void response(Object res, CallRecord r) {
    Object e = Json.raw(res, "embeddings");
    List<?> vectors = e instanceof List ? (List<?>) e : Json.list(e, "float");
    int n = vectors == null ? 0 : vectors.size();
    int size = n > 0 && vectors.get(0) instanceof List ? ((List<?>) vectors.get(0)).size() : 0;
    r.outputText = dev.llmobs.internal.Integrations.embeddingsOutput(n, size);
  }

  @Override boolean chunk(Object c, FrameSink out) {
    return false; // embeddings are not streamed
  }
}
