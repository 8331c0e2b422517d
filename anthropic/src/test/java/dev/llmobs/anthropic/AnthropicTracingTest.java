package dev.llmobs.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import dev.llmobs.FlushResult;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.internal.TracerHandle;
import dev.llmobs.testing.ModelApiStub.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real anthropic-java client against a loopback Anthropic API; spans read at the loopback intake. */
@org.junit.jupiter.api.Timeout(60)
class AnthropicTracingTest extends AnthropicFixtures {
  static final Tool GET_CLAIM = Tool.builder().name("get_claim").description("Looks a claim up")
      .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
          .putAdditionalProperty("claimId", JsonValue.from(Map.of("type", "string"))).build())
          .required(List.of("claimId")).build()).build();

  static MessageCreateParams question() {
    return MessageCreateParams.builder().model(MODEL).maxTokens(1024).putAdditionalBodyProperty("temperature", JsonValue.from(0.2)).system("You handle claims")
        .addTool(GET_CLAIM).addUserMessage("Is claim 88412 covered?").build();
  }

  @SuppressWarnings("unchecked")
  @Test void aMessageCallIsAnLlmSpanUnderTheCallersSpan() {
    api.on("/v1/messages", Reply.json(TOOL_USE));
    Message answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = client(0).messages().create(question());
    }
    assertEquals("toolu_1", answer.content().get(1).asToolUse().id(), "the caller's answer");
    Map<String, Object> llm = span("anthropic.request"), root = span("handler");
    assertEquals(root.get("span_id"), llm.get("parent_id"));
    assertEquals(root.get("trace_id"), llm.get("trace_id"));
    Map<String, Object> meta = meta(llm);
    assertEquals("llm", at(llm, "meta", "span", "kind"));
    assertEquals("claude-sonnet-4-5-20250929", meta.get("model_name"), "the model the answer names");
    assertEquals("anthropic", meta.get("model_provider"));
    assertEquals(List.of(Map.of("role", "system", "content", "You handle claims"),
        Map.of("role", "user", "content", "Is claim 88412 covered?")), at(llm, "meta", "input", "messages"));
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals("Let me look.", out.get(0).get("content"));
    assertEquals(List.of(Map.of("name", "get_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "toolu_1",
        "type", "tool_use")), out.get(0).get("tool_calls"));
    List<Map<String, Object>> tools = (List<Map<String, Object>>) meta.get("tool_definitions");
    assertEquals("get_claim", tools.get(0).get("name"));
    assertEquals(Map.of("claimId", Map.of("type", "string")), ((Map<String, Object>) tools.get(0).get("schema")).get("properties"));
    Map<String, Object> metadata = (Map<String, Object>) meta.get("metadata");
    assertEquals(0.2, metadata.get("temperature"));
    assertEquals(1024, metadata.get("max_tokens"));
    assertEquals("tool_use", metadata.get("stop_reason"), "the provider's own words");
    assertEquals(Map.of("input_tokens", 135, "output_tokens", 12, "total_tokens", 147, "cache_read_input_tokens", 100,
        "cache_write_input_tokens", 5), llm.get("metrics"), "cached tokens count as input, as Datadog counts them");
    assertEquals(1, api.requests().size());
    assertFalse(api.requests().get(0).headers.containsKey("x-llmobs-call"), "our header never leaves the process");
    assertFalse(intake.requests().get(0).bodyText().contains("sk-ant-test-secret-key"), "the API key is in no span");
  }

  @SuppressWarnings("unchecked")
  @Test void aToolLoopOfTwoTurnsIsTwoSpansWithTheToolResultAsInput() {
    api.on("/v1/messages", Reply.json(TOOL_USE), Reply.json(FINAL));
    AnthropicClient client = client(0);
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      Message first = client.messages().create(question());
      client.messages().create(question().toBuilder().addMessage(first).addUserMessageOfContentBlockParams(
          List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("toolu_1")
              .content("claim 88412: water damage, open").build()))).build());
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> llms = intake.spans().stream().filter(s -> "anthropic.request".equals(s.get("name"))).toList();
    assertEquals(2, llms.size());
    Map<String, Object> second = llms.get(1);
    List<Map<String, Object>> in = (List<Map<String, Object>>) at(second, "meta", "input", "messages");
    assertEquals(List.of(Map.of("name", "", "result", "claim 88412: water damage, open", "tool_id", "toolu_1",
        "type", "tool_result")), in.get(3).get("tool_results"));
    assertEquals(List.of(Map.of("name", "get_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "toolu_1",
        "type", "tool_use")), in.get(2).get("tool_calls"));
    assertEquals(List.of(Map.of("role", "reasoning", "content", "Water damage is clause 4.2."),
        Map.of("role", "assistant", "content", "Covered: sudden water damage.")), at(second, "meta", "output", "messages"));
    assertEquals("end_turn", at(second, "meta", "metadata", "stop_reason"));
  }

  @SuppressWarnings("unchecked")
  @Test void aStreamIsOneSpanWithItsAssembledAnswerAndTimeToFirstToken() {
    api.on("/v1/messages", Reply.events(STREAM));
    List<String> types = new ArrayList<>();
    try (LLMObsSpan root = LLMObs.workflow("handler");
        StreamResponse<RawMessageStreamEvent> stream = client(0).messages().createStreaming(question())) {
      stream.stream().forEach(e -> types.add(e.isContentBlockDelta() ? "delta" : "other"));
    }
    assertEquals(14, types.size(), "the caller read every event");
    Map<String, Object> llm = span("anthropic.request");
    assertEquals(span("handler").get("span_id"), llm.get("parent_id"));
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals(Map.of("role", "reasoning", "content", "Check the clause."), out.get(0));
    assertEquals("Clause 4.2 covers it.", out.get(1).get("content"));
    assertEquals(List.of(Map.of("name", "file_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "toolu_9",
        "type", "tool_use")), out.get(1).get("tool_calls"));
    Map<String, Object> metrics = (Map<String, Object>) llm.get("metrics");
    assertEquals(32, metrics.get("input_tokens"));
    assertEquals(15, metrics.get("output_tokens"));
    assertEquals(7, metrics.get("cache_read_input_tokens"));
    assertTrue(((Number) metrics.get("time_to_first_token")).doubleValue() > 0);
    assertEquals("tool_use", at(llm, "meta", "metadata", "stop_reason"));
    assertEquals("claude-sonnet-4-5-20250929", at(llm, "meta", "model_name"));
  }

  @Test void aStreamCutHalfwayEndsItsSpanWithTheErrorAndWhatArrived() {
    api.on("/v1/messages", Reply.cutAfter(STREAM[0], STREAM[4], STREAM[5]));
    RuntimeException seen;
    try (LLMObsSpan root = LLMObs.workflow("handler");
        StreamResponse<RawMessageStreamEvent> stream = client(0).messages().createStreaming(question())) {
      seen = assertThrows(RuntimeException.class, () -> stream.stream().forEach(e -> {}));
    }
    RuntimeException bare;
    try (StreamResponse<RawMessageStreamEvent> stream = bareClient(0).messages().createStreaming(question())) {
      bare = assertThrows(RuntimeException.class, () -> stream.stream().forEach(e -> {}));
    }
    assertEquals(bare.getClass(), seen.getClass(), "the caller sees what it sees without us");
    Map<String, Object> llm = span("anthropic.request");
    assertEquals(1, llm.get("status").equals("error") ? 1 : 0);
    assertEquals(true, at(llm, "meta", "metadata", "stream_cut"));
    assertEquals(List.of(Map.of("role", "assistant", "content", "Clause ")), at(llm, "meta", "output", "messages"));
  }

  @SuppressWarnings("unchecked")
  @Test void aRetriedCallIsOneSpanWithItsAttemptsAndTheErrorsRetried() {
    api.on("/v1/messages", Reply.json(429, RATE_LIMITED).header("retry-after-ms", "1"), Reply.json(TOOL_USE));
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      client(2).messages().create(question());
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> llms = intake.spans().stream().filter(s -> "anthropic.request".equals(s.get("name"))).toList();
    assertEquals(1, llms.size(), "one span per call, not per attempt");
    Map<String, Object> metadata = (Map<String, Object>) at(llms.get(0), "meta", "metadata");
    assertEquals(2, metadata.get("attempts"));
    // The SDK closes a response it retries unread: its status is all we hold (the error type is in the body).
    assertEquals(List.of("HTTP 429"), metadata.get("retried_errors"));
    assertEquals("ok", llms.get(0).get("status"));
    assertEquals(2, api.requests().size());
  }

  @Test void aCallThatAlwaysFailsThrowsWhatItThrowsWithoutUsAndItsSpanSaysWhy() {
    api.on("/v1/messages", Reply.json(500, OVERLOADED).header("retry-after-ms", "1"));
    RuntimeException bare = assertThrows(RuntimeException.class, () -> bareClient(1).messages().create(question()));
    RuntimeException seen;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      seen = assertThrows(RuntimeException.class, () -> client(1).messages().create(question()));
    }
    assertEquals(bare.getClass(), seen.getClass());
    assertEquals(bare.getMessage(), seen.getMessage());
    Map<String, Object> llm = span("anthropic.request");
    assertEquals("error", llm.get("status"));
    assertEquals(seen.getClass().getName(), at(llm, "meta", "error", "type"));
    assertEquals(2, at(llm, "meta", "metadata", "attempts"));
    assertEquals(List.of(Map.of("role", "assistant", "content", "")), at(llm, "meta", "output", "messages"));
  }

  @Test void aRequestTimeoutIsTheCallersExceptionAndTheSpansError() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    api.on("/v1/messages", Reply.json(TOOL_USE).heldUntil(release));
    AnthropicClient client = LLMObsAnthropic.wrap(com.anthropic.client.okhttp.AnthropicOkHttpClient.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-ant-test").maxRetries(0).timeout(Duration.ofMillis(300)).build());
    RuntimeException seen;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      seen = assertThrows(RuntimeException.class, () -> client.messages().create(question()));
    } finally {
      release.countDown();
    }
    Map<String, Object> llm = span("anthropic.request");
    assertEquals("error", llm.get("status"));
    assertEquals(seen.getClass().getName(), at(llm, "meta", "error", "type"));
  }

  @Test void anAsyncCallIsUnderTheCallersSpanThoughTheSdkSendsItElsewhere() throws Exception {
    api.on("/v1/messages", Reply.json(TOOL_USE));
    AnthropicClientAsync async = LLMObsAnthropic.wrap(bareClient(0).async());
    CompletableFuture<Message> f;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      f = async.messages().create(question());
    }
    assertEquals("msg_1", f.get(10, TimeUnit.SECONDS).id());
    Map<String, Object> llm = span("anthropic.request");
    assertEquals(span("handler").get("span_id"), llm.get("parent_id"));
    assertEquals(147, ((Map<?, ?>) llm.get("metrics")).get("total_tokens"));
  }

  @Test void eightThreadsOfConcurrentCallsKeepTheirSpansApart() throws Exception {
    api.on("/v1/messages", Reply.json(TOOL_USE));
    AnthropicClient client = client(0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int n = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5; i++) {
            try (LLMObsSpan root = LLMObs.workflow("handler-" + n)) {
              client.messages().create(question().toBuilder().system("thread " + n).build());
            }
          }
        }));
      }
      for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    LLMObs.flush(Duration.ofSeconds(10));
    List<Map<String, Object>> spans = intake.spans();
    Map<Object, Map<String, Object>> byId = new java.util.HashMap<>();
    for (Map<String, Object> s : spans) byId.put(s.get("span_id"), s);
    int llms = 0;
    for (Map<String, Object> s : spans) {
      if (!"anthropic.request".equals(s.get("name"))) continue;
      llms++;
      Map<String, Object> parent = byId.get(s.get("parent_id"));
      assertNotNull(parent, "every call under a root");
      String thread = ((String) parent.get("name")).substring("handler-".length());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> in = (List<Map<String, Object>>) at(s, "meta", "input", "messages");
      assertEquals("thread " + thread, in.get(0).get("content"), "a call's span is under its own thread's root");
    }
    assertEquals(40, llms);
  }

  @Test void aSixMegabyteAnswerLandsCutByTheSizeRulesAndCounted() {
    String big = "x".repeat(6 * 1024 * 1024);
    api.on("/v1/messages", Reply.json(FINAL.replace("Covered: sudden water damage.", big)));
    Message answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = client(0).messages().create(question());
    }
    assertEquals(big, answer.content().get(1).asText().text(), "the caller gets it whole");
    FlushResult r = LLMObs.flush(Duration.ofSeconds(10));
    assertEquals(1, r.spansTruncated());
    assertEquals(List.of("dropped_io"), intake.span("anthropic.request").get("collection_errors"));
  }

  @Test void aStreamTheCallerNeverFinishesEndsWithItsInvocationMarkedIncomplete() {
    api.on("/v1/messages", Reply.events(STREAM));
    LLMObsSpan root = LLMObs.workflow("handler");
    Object mark = TracerHandle.current().enterInvocation();
    StreamResponse<RawMessageStreamEvent> stream = client(0).messages().createStreaming(question());
    Iterator<RawMessageStreamEvent> events = stream.iterator();
    events.next();
    TracerHandle.current().endInvocation(mark, root, System.nanoTime());
    root.finish();
    Map<String, Object> llm = span("anthropic.request");
    assertEquals(true, at(llm, "meta", "metadata", "incomplete"));
    assertEquals(root.context().spanId(), llm.get("parent_id"));
    stream.close();
  }

  @Test void aClientWrappedTwiceIsTracedOnce() {
    api.on("/v1/messages", Reply.json(TOOL_USE));
    AnthropicClient once = client(0);
    assertSame(once, LLMObsAnthropic.wrap(once));
    once.withOptions(b -> b.maxRetries(0)).messages().create(question());
    LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(1, intake.spans().size());
    assertNull(api.requests().get(0).headers.get("x-llmobs-call"));
  }
}
