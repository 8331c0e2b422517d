package dev.llmobs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmobs.FlushResult;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.internal.TracerHandle;
import dev.llmobs.testing.ModelApiStub.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real openai-java client against a loopback OpenAI API; spans read at the loopback intake. */
@Timeout(60)
class OpenAITracingTest extends OpenAIFixtures {
  static ChatCompletionCreateParams question() {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").temperature(0.2).addSystemMessage("You handle claims")
        .addUserMessage("Is claim 88412 covered?").addFunctionTool(FunctionDefinition.builder().name("get_claim")
            .description("Looks a claim up").parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("claimId", Map.of("type", "string"))))
                .build()).build()).build();
  }

  @SuppressWarnings("unchecked")
  @Test void aChatCompletionIsAnLlmSpanUnderTheCallersSpan() {
    api.on("/v1/chat/completions", Reply.json(TOOL_CALL));
    ChatCompletion answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = client(0).chat().completions().create(question());
    }
    assertEquals("call_1", answer.choices().get(0).message().toolCalls().get().get(0).asFunction().id());
    Map<String, Object> llm = span("OpenAI.createChatCompletion"), root = span("handler");
    assertEquals(root.get("span_id"), llm.get("parent_id"));
    assertEquals("llm", at(llm, "meta", "span", "kind"));
    assertEquals("gpt-4o-mini-2024-07-18", at(llm, "meta", "model_name"), "the model the answer names");
    assertEquals("openai", at(llm, "meta", "model_provider"));
    assertEquals(List.of(Map.of("role", "system", "content", "You handle claims"),
        Map.of("role", "user", "content", "Is claim 88412 covered?")), at(llm, "meta", "input", "messages"));
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals(List.of(Map.of("name", "get_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "call_1",
        "type", "function")), out.get(0).get("tool_calls"));
    List<Map<String, Object>> tools = (List<Map<String, Object>>) at(llm, "meta", "tool_definitions");
    assertEquals("get_claim", tools.get(0).get("name"));
    assertEquals(Map.of("claimId", Map.of("type", "string")), ((Map<String, Object>) tools.get(0).get("schema")).get("properties"));
    assertEquals(0.2, at(llm, "meta", "metadata", "temperature"));
    assertEquals("tool_calls", at(llm, "meta", "metadata", "finish_reason"), "the provider's own words");
    assertEquals(Map.of("input_tokens", 120, "output_tokens", 7, "total_tokens", 127, "cache_read_input_tokens", 100,
        "reasoning_output_tokens", 0), llm.get("metrics"), "OpenAI's input already counts its cached tokens");
    assertFalse(api.requests().get(0).headers.containsKey("x-llmobs-call"), "our header never leaves the process");
    assertFalse(intake.requests().get(0).bodyText().contains("sk-test-secret-key"), "the API key is in no span");
  }

  @SuppressWarnings("unchecked")
  @Test void aToolLoopOfTwoTurnsCarriesTheToolResultAsInput() {
    api.on("/v1/chat/completions", Reply.json(TOOL_CALL), Reply.json(FINAL));
    OpenAIClient client = client(0);
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      ChatCompletion first = client.chat().completions().create(question());
      client.chat().completions().create(question().toBuilder().addMessage(first.choices().get(0).message())
          .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_1").content("claim 88412: water damage").build())
          .build());
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> llms = intake.spans().stream().filter(s -> "OpenAI.createChatCompletion".equals(s.get("name"))).toList();
    assertEquals(2, llms.size());
    List<Map<String, Object>> in = (List<Map<String, Object>>) at(llms.get(1), "meta", "input", "messages");
    assertEquals(List.of(Map.of("name", "get_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "call_1",
        "type", "function")), in.get(2).get("tool_calls"));
    assertEquals(List.of(Map.of("name", "", "result", "claim 88412: water damage", "tool_id", "call_1", "type", "tool_result")),
        in.get(3).get("tool_results"));
    assertEquals("stop", at(llms.get(1), "meta", "metadata", "finish_reason"));
  }

  @SuppressWarnings("unchecked")
  @Test void aStreamedChatCompletionIsOneSpanWithUsageAndTimeToFirstToken() {
    api.on("/v1/chat/completions", Reply.events(CHAT_STREAM));
    int chunks;
    try (LLMObsSpan root = LLMObs.workflow("handler");
        StreamResponse<ChatCompletionChunk> stream = client(0).chat().completions().createStreaming(question().toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      chunks = (int) stream.stream().count();
    }
    assertEquals(8, chunks, "the caller read every chunk");
    Map<String, Object> llm = span("OpenAI.createChatCompletion");
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals("Clause 4.2 covers it.", out.get(0).get("content"));
    assertEquals(List.of(Map.of("name", "file_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "call_9",
        "type", "function")), out.get(0).get("tool_calls"));
    Map<String, Object> metrics = (Map<String, Object>) llm.get("metrics");
    assertEquals(17, metrics.get("total_tokens"));
    assertTrue(((Number) metrics.get("time_to_first_token")).doubleValue() > 0);
    assertEquals("tool_calls", at(llm, "meta", "metadata", "finish_reason"));
    assertEquals(Map.of("include_usage", true), at(llm, "meta", "metadata", "stream_options"));
  }

  @Test void aStreamCutHalfwayEndsItsSpanWithTheErrorAndWhatArrived() {
    api.on("/v1/chat/completions", Reply.cutAfter(CHAT_STREAM[0], CHAT_STREAM[1]));
    RuntimeException seen, bare;
    try (LLMObsSpan root = LLMObs.workflow("handler");
        StreamResponse<ChatCompletionChunk> stream = client(0).chat().completions().createStreaming(question())) {
      seen = assertThrows(RuntimeException.class, () -> stream.stream().forEach(c -> {}));
    }
    try (StreamResponse<ChatCompletionChunk> stream = bareClient(0).chat().completions().createStreaming(question())) {
      bare = assertThrows(RuntimeException.class, () -> stream.stream().forEach(c -> {}));
    }
    assertEquals(bare.getClass(), seen.getClass());
    Map<String, Object> llm = span("OpenAI.createChatCompletion");
    assertEquals("error", llm.get("status"));
    assertEquals(true, at(llm, "meta", "metadata", "stream_cut"));
    assertEquals(List.of(Map.of("role", "assistant", "content", "Clause ")), at(llm, "meta", "output", "messages"));
  }

  @SuppressWarnings("unchecked")
  @Test void aResponseIsAnLlmSpanWithItsOutputItemsReasoningAndTokens() {
    api.on("/v1/responses", Reply.json(RESPONSE));
    Response answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = client(0).responses().create(ResponseCreateParams.builder().model("gpt-5").instructions("You handle claims")
          .input("Is claim 88412 covered?").addTool(FunctionTool.builder().name("get_claim").strict(true)
              .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
              .build()).build());
    }
    assertEquals("resp_1", answer.id());
    Map<String, Object> llm = span("OpenAI.createResponse");
    assertEquals("gpt-5-2025-08-07", at(llm, "meta", "model_name"));
    assertEquals(List.of(Map.of("role", "system", "content", "You handle claims"),
        Map.of("role", "user", "content", "Is claim 88412 covered?")), at(llm, "meta", "input", "messages"));
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals(Map.of("role", "reasoning", "content", "The claim needs a lookup."), out.get(0));
    assertEquals(List.of(Map.of("name", "get_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "call_7",
        "type", "function_call")), out.get(1).get("tool_calls"));
    assertEquals(Map.of("role", "assistant", "content", "Looking it up."), out.get(2));
    assertEquals("get_claim", ((List<Map<String, Object>>) at(llm, "meta", "tool_definitions")).get(0).get("name"));
    assertEquals(Map.of("input_tokens", 80, "output_tokens", 30, "total_tokens", 110, "cache_read_input_tokens", 64,
        "reasoning_output_tokens", 20), llm.get("metrics"));
    assertEquals("completed", at(llm, "meta", "metadata", "status"));
  }

  @Test void aStreamedResponseIsReadFromItsCompletedEvent() {
    api.on("/v1/responses", Reply.events(RESPONSE_STREAM));
    List<String> types = new ArrayList<>();
    try (LLMObsSpan root = LLMObs.workflow("handler");
        StreamResponse<ResponseStreamEvent> stream = client(0).responses().createStreaming(
            ResponseCreateParams.builder().model("gpt-5").input("Is claim 88412 covered?").build())) {
      stream.stream().forEach(e -> types.add(e.isOutputTextDelta() ? "delta" : "other"));
    }
    assertEquals(List.of("other", "delta", "delta", "other"), types);
    Map<String, Object> llm = span("OpenAI.createResponse");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals(3, out.size(), "the completed response, not the deltas again");
    assertEquals("Looking it up.", out.get(2).get("content"));
    assertTrue(((Number) at(llm, "metrics", "time_to_first_token")).doubleValue() > 0);
    assertEquals(110, at(llm, "metrics", "total_tokens"));
  }

  @Test void anEmbeddingCallIsAnEmbeddingSpanAsDatadogWritesIt() {
    api.on("/v1/embeddings", Reply.json(EMBEDDINGS_FLOAT));
    CreateEmbeddingResponse answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = client(0).embeddings().create(EmbeddingCreateParams.builder().model("text-embedding-3-small")
          .inputOfArrayOfStrings(List.of("water damage", "fire damage"))
          .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
    }
    assertEquals(2, answer.data().size());
    Map<String, Object> emb = span("OpenAI.createEmbedding");
    assertEquals("embedding", at(emb, "meta", "span", "kind"));
    assertEquals(List.of(Map.of("text", "water damage"), Map.of("text", "fire damage")), at(emb, "meta", "input", "documents"));
    assertEquals("[2 embedding(s) returned with size 3]", at(emb, "meta", "output", "value"));
    assertEquals("float", at(emb, "meta", "metadata", "encoding_format"));
    assertEquals(9, at(emb, "metrics", "input_tokens"));
  }

  @SuppressWarnings("unchecked")
  @Test void aRetriedCallIsOneSpanWithItsAttempts() {
    api.on("/v1/chat/completions", Reply.json(429, RATE_LIMITED).header("retry-after-ms", "1"), Reply.json(FINAL));
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      client(2).chat().completions().create(question());
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> llms = intake.spans().stream().filter(s -> "OpenAI.createChatCompletion".equals(s.get("name"))).toList();
    assertEquals(1, llms.size());
    assertEquals(2, at(llms.get(0), "meta", "metadata", "attempts"));
    assertEquals(List.of("HTTP 429"), at(llms.get(0), "meta", "metadata", "retried_errors"));
    assertEquals("ok", llms.get(0).get("status"));
  }

  @Test void aCallThatAlwaysFailsThrowsWhatItThrowsWithoutUs() {
    api.on("/v1/chat/completions", Reply.json(500, SERVER_ERROR).header("retry-after-ms", "1"));
    RuntimeException bare = assertThrows(RuntimeException.class, () -> bareClient(1).chat().completions().create(question()));
    RuntimeException seen;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      seen = assertThrows(RuntimeException.class, () -> client(1).chat().completions().create(question()));
    }
    assertEquals(bare.getClass(), seen.getClass());
    assertEquals(bare.getMessage(), seen.getMessage());
    Map<String, Object> llm = span("OpenAI.createChatCompletion");
    assertEquals("error", llm.get("status"));
    assertEquals(seen.getClass().getName(), at(llm, "meta", "error", "type"));
    assertEquals(2, at(llm, "meta", "metadata", "attempts"));
  }

  @Test void anAsyncCallIsUnderTheCallersSpan() throws Exception {
    api.on("/v1/chat/completions", Reply.json(FINAL));
    OpenAIClientAsync async = LLMObsOpenAI.wrap(bareClient(0).async());
    CompletableFuture<ChatCompletion> f;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      f = async.chat().completions().create(question());
    }
    assertEquals("chatcmpl-2", f.get(10, TimeUnit.SECONDS).id());
    Map<String, Object> llm = span("OpenAI.createChatCompletion");
    assertEquals(span("handler").get("span_id"), llm.get("parent_id"));
    assertEquals(46, at(llm, "metrics", "total_tokens"));
  }

  @Test void eightThreadsOfConcurrentCallsKeepTheirSpansApart() throws Exception {
    api.on("/v1/chat/completions", Reply.json(FINAL));
    OpenAIClient client = client(0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int n = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5; i++) {
            try (LLMObsSpan root = LLMObs.workflow("handler-" + n)) {
              client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                  .addUserMessage("thread " + n).build());
            }
          }
        }));
      }
      for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    LLMObs.flush(Duration.ofSeconds(10));
    Map<Object, Map<String, Object>> byId = new java.util.HashMap<>();
    for (Map<String, Object> s : intake.spans()) byId.put(s.get("span_id"), s);
    int llms = 0;
    for (Map<String, Object> s : intake.spans()) {
      if (!"OpenAI.createChatCompletion".equals(s.get("name"))) continue;
      llms++;
      Map<String, Object> parent = byId.get(s.get("parent_id"));
      assertNotNull(parent);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> in = (List<Map<String, Object>>) at(s, "meta", "input", "messages");
      assertEquals("thread " + ((String) parent.get("name")).substring("handler-".length()), in.get(0).get("content"));
    }
    assertEquals(40, llms);
  }

  @Test void aClientWrappedTwiceIsTracedOnce() {
    api.on("/v1/chat/completions", Reply.json(FINAL));
    OpenAIClient once = client(0);
    assertSame(once, LLMObsOpenAI.wrap(once));
    once.withOptions(b -> b.maxRetries(0)).chat().completions().create(question());
    LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(1, intake.spans().size());
  }

  @Test void azureOpenAiIsNamedAndAttributedByItsHost() {
    String url = "https://claims.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21";
    assertSame(OpenAIProtocol.CHAT, OpenAIProtocol.INSTANCE.ofRequest("POST", url));
    assertEquals("azure_openai", OpenAIProtocol.CHAT.provider(url));
    assertEquals("AzureOpenAI.createChatCompletion", OpenAIProtocol.CHAT.spanName(url));
    assertEquals("openai", OpenAIProtocol.CHAT.provider("https://api.openai.com/v1/chat/completions"));
    assertEquals("openai", OpenAIProtocol.CHAT.provider("https://azure.example.com/v1/chat/completions"));
    assertEquals("azure_openai", OpenAIProtocol.CHAT.provider("https://Claims.OpenAI.Azure.com:443/openai/v1/chat/completions"));
    assertEquals("azure_openai", OpenAIProtocol.CHAT.provider("https://gateway.azure-api.net/openai/chat/completions"));
    assertEquals("openai", OpenAIProtocol.CHAT.provider("http://[::1]:8080/v1/chat/completions"));
    assertEquals("openai", OpenAIProtocol.CHAT.provider("https://x.azure.com.example.org/v1/chat/completions"));
  }

  @Test void aRequestTimeoutIsTheCallersExceptionAndTheSpansError() {
    CountDownLatch release = new CountDownLatch(1);
    api.on("/v1/chat/completions", Reply.json(FINAL).heldUntil(release));
    OpenAIClient client = LLMObsOpenAI.wrap(com.openai.client.okhttp.OpenAIOkHttpClient.builder()
        .baseUrl(api.baseUrl() + "/v1").apiKey("sk-test").maxRetries(0).timeout(Duration.ofMillis(300)).build());
    RuntimeException seen;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      seen = assertThrows(RuntimeException.class, () -> client.chat().completions().create(question()));
    } finally {
      release.countDown();
    }
    Map<String, Object> llm = span("OpenAI.createChatCompletion");
    assertEquals("error", llm.get("status"));
    assertEquals(seen.getClass().getName(), at(llm, "meta", "error", "type"));
  }

  @Test void aSixMegabyteAnswerLandsCutByTheSizeRulesAndCounted() {
    String big = "x".repeat(6 * 1024 * 1024);
    api.on("/v1/chat/completions", Reply.json(FINAL.replace("Covered: sudden water damage.", big)));
    ChatCompletion answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = client(0).chat().completions().create(question());
    }
    assertEquals(big, answer.choices().get(0).message().content().get(), "the caller gets it whole");
    FlushResult r = LLMObs.flush(Duration.ofSeconds(10));
    assertEquals(1, r.spansTruncated());
    assertEquals(List.of("dropped_io"), intake.span("OpenAI.createChatCompletion").get("collection_errors"));
  }

  @Test void aStreamTheCallerNeverFinishesEndsWithItsInvocationMarkedIncomplete() {
    api.on("/v1/chat/completions", Reply.events(CHAT_STREAM));
    LLMObsSpan root = LLMObs.workflow("handler");
    Object mark = TracerHandle.current().enterInvocation();
    StreamResponse<ChatCompletionChunk> stream = client(0).chat().completions().createStreaming(question());
    stream.stream().iterator().next();
    TracerHandle.current().endInvocation(mark, root, System.nanoTime());
    root.finish();
    Map<String, Object> llm = span("OpenAI.createChatCompletion");
    assertEquals(true, at(llm, "meta", "metadata", "incomplete"));
    assertEquals(root.context().spanId(), llm.get("parent_id"));
    stream.close();
  }
}
