package dev.llmobs.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.ModelApiStub.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;

/**
 * Spring AI 2.0 (its OpenAI model against a loopback OpenAI-compatible API, its chat client, tool calling, its RAG
 * advisor over a SimpleVectorStore, streaming), observed into a registry with our handler; spans read at the intake.
 */
@Timeout(60)
class SpringAiTracingTest extends SpringAiFixtures {
  @SuppressWarnings("unchecked")
  @Test void aChatClientCallWithAToolIsAnAgentWithOneLlmSpanPerModelCallAndTheTool() {
    api.on("/chat/completions", Reply.json(TOOL_CALL), Reply.json(ANSWER));
    String answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = ChatClient.builder(chatModel(), registry, null, null).build().prompt()
          .system("You handle claims").user("Is claim 88412 covered?").tools(new ClaimTools()).call().content();
    }
    assertEquals("Claim 88412 is OPEN; a burst pipe is covered by clause 4.2.", answer, "the caller's answer");
    List<Map<String, Object>> spans = spans();
    Map<String, Object> root = one(spans, "handler"), client = one(spans, "spring_ai.chat_client");
    List<Map<String, Object>> llm = named(spans, "openai.chat");
    Map<String, Object> tool = one(spans, "claimStatus");
    assertEquals(2, llm.size(), "one llm span per model call");
    assertEquals("agent", at(client, "meta", "span", "kind"), "a chat client call that offers tools");
    assertEquals(root.get("span_id"), client.get("parent_id"));
    for (Map<String, Object> s : spans) assertEquals(root.get("trace_id"), s.get("trace_id"), "one trace: " + s.get("name"));
    assertEquals("Is claim 88412 covered?", at(client, "meta", "input", "value"));
    assertEquals(answer, at(client, "meta", "output", "value"));

    Map<String, Object> first = llm.get(0).get("span_id").equals(tool.get("parent_id")) ? llm.get(1) : llm.get(0);
    first = ((Map<String, Object>) first.get("metrics")).get("input_tokens").equals(50) ? first : llm.get(1 - llm.indexOf(first));
    assertEquals("llm", at(first, "meta", "span", "kind"));
    assertEquals("openai", at(first, "meta", "model_provider"));
    assertEquals("gpt-4o-mini-2024-07-18", at(first, "meta", "model_name"), "the model the answer names");
    assertEquals(List.of(Map.of("role", "system", "content", "You handle claims"),
        Map.of("role", "user", "content", "Is claim 88412 covered?")), at(first, "meta", "input", "messages"));
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(first, "meta", "output", "messages");
    Map<String, Object> call = ((List<Map<String, Object>>) out.get(0).get("tool_calls")).get(0);
    assertEquals("claimStatus", call.get("name"));
    assertEquals(Map.of("claimId", "88412"), call.get("arguments"));
    assertEquals("call_1", call.get("tool_id"));
    assertEquals("claimStatus", ((List<Map<String, Object>>) at(first, "meta", "tool_definitions")).get(0).get("name"));
    assertEquals(0.2, at(first, "meta", "metadata", "temperature"));
    assertEquals("tool_calls", at(first, "meta", "metadata", "finish_reason"));
    assertEquals(Map.of("input_tokens", 50, "output_tokens", 12, "total_tokens", 62), first.get("metrics"));

    assertEquals("tool", at(tool, "meta", "span", "kind"));
    assertEquals("{\"claimId\":\"88412\"}", at(tool, "meta", "input", "value"));
    assertTrue(String.valueOf(at(tool, "meta", "output", "value")).contains("Claim 88412 is OPEN"));
    int tokens = 0;
    for (Map<String, Object> s : spans) {
      Object in = ((Map<String, Object>) s.get("metrics")).get("input_tokens");
      if (in instanceof Number) tokens += ((Number) in).intValue();
    }
    assertEquals(50 + 80, tokens, "tokens counted once");
  }

  @Test void aRagAdvisorOverAVectorStoreIsATaskWithTheRetrievalAndItsScoredDocuments() {
    api.on("/embeddings", Reply.json(embedding(1, 0, 0)), Reply.json(embedding(0, 1, 0)), Reply.json(embedding(0.9, 0.1, 0)));
    api.on("/chat/completions", Reply.json(ANSWER));
    SimpleVectorStore store = SimpleVectorStore.builder(embeddingModel()).observationRegistry(registry).build();
    store.add(List.of(new Document("c42", "Clause 4.2: a burst pipe is covered.", Map.of("source", "policy.pdf"))));
    store.add(List.of(new Document("c43", "Clause 4.3: seepage is excluded.", Map.of("source", "policy.pdf"))));
    intake.spans(); // the store's set-up is not the question
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      ChatClient.builder(chatModel(), registry, null, null).build().prompt().user("Is a burst pipe covered?")
          .advisors(QuestionAnswerAdvisor.builder(store).searchRequest(SearchRequest.builder().topK(2).build()).build())
          .call().content();
    }
    List<Map<String, Object>> spans = spans();
    Map<String, Object> advisor = one(spans, "QuestionAnswerAdvisor"), query = one(spans, "simple.query");
    assertEquals("task", at(advisor, "meta", "span", "kind"));
    assertEquals("retrieval", at(query, "meta", "span", "kind"));
    assertEquals(advisor.get("span_id"), query.get("parent_id"), "the retrieval is the advisor's work");
    assertEquals("Is a burst pipe covered?", at(query, "meta", "input", "value"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> docs = (List<Map<String, Object>>) at(query, "meta", "output", "documents");
    assertEquals(java.util.Set.of("c42", "c43"), new java.util.HashSet<>(docs.stream().map(d -> d.get("id")).toList()));
    assertEquals("policy.pdf", docs.get(0).get("name"));
    assertTrue(((Number) docs.get(0).get("score")).doubleValue() > ((Number) docs.get(1).get("score")).doubleValue(),
        "the store's scores, best first: " + docs);
    assertEquals(2, at(query, "meta", "metadata", "top_k"));
    Map<String, Object> embed = named(spans, "openai.embedding").stream()
        .filter(s -> query.get("span_id").equals(s.get("parent_id"))).findFirst().orElseThrow();
    assertEquals("embedding", at(embed, "meta", "span", "kind"));
    assertEquals("[1 embedding(s) returned with size 3]", at(embed, "meta", "output", "value"));
    Map<String, Object> llm = one(spans, "openai.chat");
    assertEquals("workflow", at(one(spans, "spring_ai.chat_client"), "meta", "span", "kind"), "no tools: a workflow");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> in = (List<Map<String, Object>>) at(llm, "meta", "input", "messages");
    assertTrue(String.valueOf(in.get(in.size() - 1).get("content")).contains("Clause 4.2"), "the retrieved context reached the model");
  }

  @Test void aStreamedAnswerIsOneLlmSpanWithTheWholeAnswer() {
    api.on("/chat/completions", Reply.events(
        chunk("{\"id\":\"c3\",\"object\":\"chat.completion.chunk\",\"created\":3,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Clause \"},\"finish_reason\":null}]}"),
        chunk("{\"id\":\"c3\",\"object\":\"chat.completion.chunk\",\"created\":3,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"4.2 covers it.\"},\"finish_reason\":\"stop\"}]}"),
        chunk("{\"id\":\"c3\",\"object\":\"chat.completion.chunk\",\"created\":3,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":6,\"total_tokens\":26}}"),
        "data: [DONE]\n\n"));
    String text;
    String traceId;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      traceId = root.context().traceId();
      text = String.join("", ChatClient.builder(chatModel(), registry, null, null).build().prompt()
          .user("Is it covered?").stream().content().collectList().block());
    }
    // What the Lambda wrapper does at the invocation's end: wait (bounded) for the streams still ending.
    assertEquals(0, dev.llmobs.internal.TracerHandle.current().endCalls(traceId, System.nanoTime() + 5_000_000_000L),
        "the stream's spans ended by themselves");
    assertEquals("Clause 4.2 covers it.", text, "the caller's stream");
    Map<String, Object> llm = one(spans(), "openai.chat");
    assertEquals(true, at(llm, "meta", "metadata", "stream"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals("Clause 4.2 covers it.", out.get(0).get("content"));
  }

  @Test void aFailedModelCallIsAnErrorSpanAndTheCallersExceptionIsSpringAis() {
    api.on("/chat/completions", Reply.json(400, "{\"error\":{\"message\":\"bad request\",\"type\":\"invalid_request_error\"}}"));
    RuntimeException thrown;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
          () -> ChatClient.builder(chatModel(), registry, null, null).build().prompt().user("q").call().content());
    }
    Map<String, Object> llm = one(spans(), "openai.chat");
    assertEquals("error", llm.get("status"));
    assertEquals(thrown.getClass().getName(), at(llm, "meta", "error", "type"));
  }
}
