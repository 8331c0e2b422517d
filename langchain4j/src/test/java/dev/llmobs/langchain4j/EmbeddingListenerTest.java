package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real OpenAI embedding model against the loopback server. */
class EmbeddingListenerTest extends OpenAiStubTest {
  @Test void anEmbeddingCallIsAnEmbeddingSpanWithItsTextsAndTokens() {
    EmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(baseUrl()).apiKey("sk-test")
        .modelName("text-embedding-3-small").maxRetries(0).build()
        .addListener(LLMObsLangChain4j.embeddingListener());
    int vectors;
    try (LLMObsSpan root = LLMObs.workflow("ingest")) {
      vectors = model.embedAll(List.of(TextSegment.from("Clause 4.2"), TextSegment.from("Clause 4.3"))).content().size();
    }
    assertEquals(2, vectors);
    LLMObs.flush(Duration.ofSeconds(2));
    Map<String, Object> embed = span("langchain4j.embed"), root = span("ingest");
    assertEquals(root.get("span_id"), embed.get("parent_id"));
    assertEquals("embedding", ((Map<?, ?>) meta(embed).get("span")).get("kind"));
    assertEquals("text-embedding-3-small", meta(embed).get("model_name"));
    assertEquals(Map.of("documents", List.of(Map.of("text", "Clause 4.2"), Map.of("text", "Clause 4.3"))),
        meta(embed).get("input"));
    assertEquals(Map.of("value", "[2 embedding(s) returned with size 3]"), meta(embed).get("output"));
    assertEquals(Map.of("input_tokens", 9), embed.get("metrics"));
  }
}
