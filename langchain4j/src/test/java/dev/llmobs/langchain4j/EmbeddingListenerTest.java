package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
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

  @Test void theEmbeddingOfARetrievalsQueryNestsUnderThatRetrieval() {
    EmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(baseUrl()).apiKey("sk-test")
        .modelName("text-embedding-3-small").maxRetries(0).build()
        .addListener(LLMObsLangChain4j.embeddingListener());
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    store.add(Embedding.from(new float[] {0.1f, 0.2f, 0.3f}), TextSegment.from("Clause 4.2: sudden water damage"));
    ContentRetriever retriever = EmbeddingStoreContentRetriever.builder().embeddingStore(store).embeddingModel(model)
        .maxResults(1).build().addListener(LLMObsLangChain4j.retrieverListener());
    List<Content> found;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      found = retriever.retrieve(Query.from("Is water damage covered?"));
      model.embed("outside the retrieval");
    }
    assertEquals(1, found.size());
    LLMObs.flush(Duration.ofSeconds(2));
    Map<String, Object> root = span("handler"), retrieval = span("langchain4j.retrieve");
    List<Map<String, Object>> embeds = intake.spans().stream().filter(x -> "langchain4j.embed".equals(x.get("name"))).toList();
    assertEquals(2, embeds.size());
    assertEquals(root.get("span_id"), retrieval.get("parent_id"));
    assertEquals(retrieval.get("span_id"), embeds.get(0).get("parent_id"), "the query's embedding, under its retrieval");
    assertEquals(root.get("span_id"), embeds.get(1).get("parent_id"), "an embedding after it, under the caller's span");
  }
}
