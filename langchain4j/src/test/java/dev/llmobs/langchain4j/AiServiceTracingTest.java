package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.guardrail.InputGuardrail;
import dev.langchain4j.guardrail.InputGuardrailResult;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A real AI Service with a tool loop of two turns: agent, llm, tool, llm, checked as a tree at the intake. */
class AiServiceTracingTest extends OpenAiStubTest {
  interface Assistant {
    String answer(@MemoryId String claim, @UserMessage String question);
  }

  /** Looks the claim up over loopback, as a real tool would call a claims service, and times itself. */
  static final class Claims {
    static volatile String lookupUrl;
    static volatile long ranNanos;

    @Tool("Looks a claim up")
    String get_claim(@P("the claim id") String claimId) throws java.io.IOException {
      long start = System.nanoTime();
      java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(lookupUrl).toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.getOutputStream().write(("{\"claim\":\"" + claimId + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      c.getInputStream().readAllBytes();
      ranNanos = System.nanoTime() - start;
      return "{\"claim\":\"" + claimId + "\",\"cause\":\"burst pipe\"}";
    }
  }

  /** The policy clause a real vector store would find, with its score. */
  static final ContentRetriever POLICY = query -> List.of(Content.from(
      TextSegment.from("Clause 4.2: sudden water damage is covered."), Map.of(ContentMetadata.SCORE, 0.91)));

  Assistant assistant(boolean sessions) {
    Claims.lookupUrl = baseUrl() + "/embeddings";
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .maxRetries(0).listeners(List.of(LLMObsLangChain4j.listener())).build();
    return AiServices.builder(Assistant.class).chatModel(model).tools(new Claims())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
        .contentRetriever(POLICY.addListener(LLMObsLangChain4j.retrieverListener()))
        .registerListeners(sessions ? LLMObsLangChain4j.aiServiceListenersWithMemoryIdAsSession()
            : LLMObsLangChain4j.aiServiceListeners())
        .build();
  }

  List<Map<String, Object>> spans() {
    LLMObs.flush(Duration.ofSeconds(2));
    return intake.spans();
  }

  @SuppressWarnings("unchecked")
  static String kind(Map<String, Object> span) {
    return (String) ((Map<String, Object>) meta(span).get("span")).get("kind");
  }

  @SuppressWarnings("unchecked")
  @Test void anAiServiceCallIsAnAgentSpanWithItsModelCallsAndToolInside() {
    String answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = assistant(true).answer("88412", "Is claim 88412 covered?");
    }
    assertEquals("Covered: sudden water damage.", answer);
    List<Map<String, Object>> spans = spans();
    Map<String, Object> root = intake.span("handler");
    Map<String, Object> agent = spans.stream().filter(s -> "agent".equals(kind(s))).findFirst().orElseThrow();
    assertEquals("AiServiceTracingTest.Assistant.answer", agent.get("name"));
    assertEquals(root.get("span_id"), agent.get("parent_id"));
    assertEquals("88412", agent.get("session_id"));
    assertEquals(Map.of("value", "Is claim 88412 covered?"), meta(agent).get("input"));
    assertEquals(Map.of("value", "Covered: sudden water damage."), meta(agent).get("output"));
    List<Map<String, Object>> inside = spans.stream().filter(s -> agent.get("span_id").equals(s.get("parent_id")))
        .sorted(java.util.Comparator.comparing(s -> ((Number) s.get("start_ns")).longValue()))
        .collect(Collectors.toList());
    assertEquals(List.of("retrieval", "llm", "tool", "llm"), inside.stream().map(AiServiceTracingTest::kind).collect(Collectors.toList()));
    assertEquals(Map.of("documents", List.of(Map.of("text", "Clause 4.2: sudden water damage is covered.",
        "score", 0.91))), meta(inside.get(0)).get("output"));
    assertEquals(Map.of("value", "Is claim 88412 covered?"), meta(inside.get(0)).get("input"));
    Map<String, Object> tool = inside.get(2);
    assertEquals("get_claim", tool.get("name"));
    assertEquals(Map.of("value", "{\"claimId\":\"88412\"}"), meta(tool).get("input"));
    assertEquals(Map.of("value", "{\"claim\":\"88412\",\"cause\":\"burst pipe\"}"), meta(tool).get("output"));
    assertTrue(((Number) tool.get("duration")).longValue() >= Claims.ranNanos,
        "the tool span covers the tool's run: " + tool.get("duration") + " ns, the tool took " + Claims.ranNanos + " ns");
    assertEquals(null, meta(tool).get("metadata"), "reported, not ended by the invocation");
    List<Map<String, Object>> secondInput = (List<Map<String, Object>>) ((Map<String, Object>) meta(inside.get(3))
        .get("input")).get("messages");
    Map<String, Object> toolMessage = secondInput.get(secondInput.size() - 1);
    assertEquals(List.of(Map.of("name", "get_claim", "result", "{\"claim\":\"88412\",\"cause\":\"burst pipe\"}",
        "tool_id", "call_1", "type", "tool_result")), toolMessage.get("tool_results"));
  }

  interface StreamingAssistant {
    dev.langchain4j.service.TokenStream answer(String question);
  }

  @SuppressWarnings("unchecked")
  @Test void aStreamingAiServiceIsAnAgentSpanThatEndsWithItsStream() throws Exception {
    dev.langchain4j.model.chat.StreamingChatModel model = LLMObsLangChain4j.timed(
        dev.langchain4j.model.openai.OpenAiStreamingChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test")
            .modelName("gpt-4o-mini").listeners(List.of(LLMObsLangChain4j.listener())).build());
    StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class).streamingChatModel(model).build();
    java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      assistant.answer("Is it covered?").onPartialResponse(p -> {})
          .onCompleteResponse(r -> done.complete(r.aiMessage().text())).onError(done::completeExceptionally).start();
      assertEquals("Clause 4.2 covers it.", done.get(10, java.util.concurrent.TimeUnit.SECONDS));
      LLMObs.task("after").finish(); // the agent span ended on the model's thread: the handler's is current again
    }
    LLMObs.flush(Duration.ofSeconds(2));
    List<Map<String, Object>> spans = intake.spans();
    Map<String, Object> root = intake.span("handler");
    assertEquals(root.get("span_id"), intake.span("after").get("parent_id"));
    Map<String, Object> agent = intake.span("AiServiceTracingTest.StreamingAssistant.answer");
    Map<String, Object> llm = intake.span("langchain4j.chat");
    assertEquals(root.get("span_id"), agent.get("parent_id"));
    assertEquals(agent.get("span_id"), llm.get("parent_id"), "the streamed model call inside the agent");
    assertEquals(Map.of("value", "Clause 4.2 covers it."), meta(agent).get("output"));
    assertTrue(((Map<String, Object>) llm.get("metrics")).containsKey("time_to_first_token"));
    assertEquals(4, spans.size());
  }

  @Test void anInvocationsAnswerIsItsTextWhateverLangChain4jWrapsItIn() {
    dev.langchain4j.data.message.AiMessage message = dev.langchain4j.data.message.AiMessage.from("Covered.");
    dev.langchain4j.model.chat.response.ChatResponse response =
        dev.langchain4j.model.chat.response.ChatResponse.builder().aiMessage(message).build();
    assertEquals("Covered.", AiServiceTracing.answer(response), "a streaming service's completion");
    assertEquals("Covered.", AiServiceTracing.answer(message));
    assertEquals("Covered.", AiServiceTracing.answer(dev.langchain4j.service.Result.builder().content("Covered.").build()));
    Map<String, Object> structured = Map.of("covered", true);
    assertEquals(structured, AiServiceTracing.answer(dev.langchain4j.service.Result.builder().content(structured).build()),
        "structured output is kept as an object, sent as its JSON");
  }

  /** A claims system that is down. */
  static final class BrokenClaims {
    @Tool("Looks a claim up")
    String get_claim(@P("the claim id") String claimId) {
      throw new IllegalStateException("claims system down");
    }
  }

  @SuppressWarnings("unchecked")
  @Test void aToolThatThrowsIsAnErrorSpanThoughLangChain4jHandsTheErrorToTheModel() {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .maxRetries(0).listeners(List.of(LLMObsLangChain4j.listener())).build();
    Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(new BrokenClaims())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10)).build();
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      assertEquals("Covered: sudden water damage.", assistant.answer("88412", "Is claim 88412 covered?"),
          "LangChain4j's default: the exception's message goes to the model, which answers");
    }
    List<Map<String, Object>> spans = spans();
    Map<String, Object> tool = intake.span("get_claim");
    assertEquals("error", tool.get("status"));
    Map<String, Object> error = (Map<String, Object>) meta(tool).get("error");
    assertEquals("ToolExecutionError", error.get("type"));
    assertEquals("claims system down", error.get("message"));
    assertEquals(Map.of("value", "claims system down"), meta(tool).get("output"));
    long toolEnd = ((Number) tool.get("start_ns")).longValue() + ((Number) tool.get("duration")).longValue();
    long nextCall = spans.stream().filter(s -> "llm".equals(kind(s)))
        .mapToLong(s -> ((Number) s.get("start_ns")).longValue()).max().orElseThrow();
    assertTrue(toolEnd <= nextCall, "the span ends when the tool returned, not when the verdict came");
    assertEquals("ok", intake.span("AiServiceTracingTest.Assistant.answer").get("status"), "the invocation succeeded");
  }

  @Test void parallelInvocationsOnSeveralThreadsKeepTheirOwnTrees() throws Exception {
    Assistant assistant = assistant(false);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String claim = "claim-" + i;
        calls.add(pool.submit(() -> {
          try (LLMObsSpan root = LLMObs.workflow(claim)) {
            return assistant.answer(claim, "Is it covered?");
          }
        }));
      }
      for (Future<String> f : calls) assertEquals("Covered: sudden water damage.", f.get());
    } finally {
      pool.shutdownNow();
    }
    List<Map<String, Object>> spans = spans();
    for (int i = 0; i < 4; i++) {
      String claim = "claim-" + i;
      Map<String, Object> root = intake.span(claim);
      List<Map<String, Object>> tree = spans.stream().filter(s -> root.get("trace_id").equals(s.get("trace_id")))
          .collect(Collectors.toList());
      assertEquals(6, tree.size(), claim + ": workflow, agent, retrieval, llm, tool, llm");
      assertTrue(tree.stream().filter(s -> "agent".equals(kind(s))).allMatch(s -> root.get("span_id").equals(s.get("parent_id"))));
    }
  }

  @SuppressWarnings("unchecked")
  @Test void invocationsWhoseEndNeverComesAreBoundedAndTheOldestEndedAsAbandoned() throws Exception {
    List<dev.langchain4j.observability.api.listener.AiServiceListener<?>> listeners = LLMObsLangChain4j.aiServiceListeners();
    dev.langchain4j.observability.api.listener.AiServiceStartedListener started =
        (dev.langchain4j.observability.api.listener.AiServiceStartedListener) listeners.get(0);
    try (dev.llmobs.testing.LogCapture log = new dev.llmobs.testing.LogCapture()) {
      for (int i = 0; i <= AiServiceTracing.MAX_OPEN; i++) { // each on its own thread, as separate requests would be
        dev.langchain4j.invocation.InvocationContext ctx = dev.langchain4j.invocation.InvocationContext.builder()
            .invocationId(java.util.UUID.randomUUID()).interfaceName("Assistant").methodName("stream" + i).build();
        Thread t = new Thread(() -> started.onEvent(dev.langchain4j.observability.api.event.AiServiceStartedEvent.builder()
            .invocationContext(ctx).userMessage(dev.langchain4j.data.message.UserMessage.from("Hi")).build()));
        t.start();
        t.join();
      }
      Map<String, Object> oldest = spans().stream().filter(s -> "Assistant.stream0".equals(s.get("name")))
          .findFirst().orElseThrow();
      assertEquals(true, ((Map<String, Object>) meta(oldest).get("metadata")).get("abandoned"));
      assertEquals(1, log.lines().stream().filter(l -> l.contains("ended as abandoned")).count(), log.all());
      assertTrue(spans().stream().noneMatch(s -> "Assistant.stream1".equals(s.get("name"))), "the others stay open");
    }
  }

  /** Refuses questions about other people's claims. */
  public static final class OwnClaimsOnly implements InputGuardrail {
    @Override public InputGuardrailResult validate(dev.langchain4j.data.message.UserMessage message) {
      return message.singleText().contains("neighbour") ? fatal("not your claim") : success();
    }
  }

  @SuppressWarnings("unchecked")
  @Test void guardrailOutcomesAreTagsOnTheAgentSpanAndARejectionIsItsError() {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .maxRetries(0).listeners(List.of(LLMObsLangChain4j.listener())).build();
    Assistant guarded = AiServices.builder(Assistant.class).chatModel(model).tools(new Claims())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
        .inputGuardrails(List.of(new OwnClaimsOnly()))
        .registerListeners(LLMObsLangChain4j.aiServiceListeners()).build();
    guarded.answer("88412", "Is claim 88412 covered?");
    RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> guarded.answer("99", "Is my neighbour's claim covered?"));
    List<Map<String, Object>> agents = spans().stream().filter(s -> "agent".equals(kind(s)))
        .sorted(java.util.Comparator.comparing(s -> ((Number) s.get("start_ns")).longValue()))
        .collect(Collectors.toList());
    assertEquals(2, agents.size());
    assertTrue(((List<String>) agents.get(0).get("tags")).contains("guardrail.OwnClaimsOnly:success"));
    Map<String, Object> rejected = agents.get(1);
    assertTrue(((List<String>) rejected.get("tags")).contains("guardrail.OwnClaimsOnly:fatal"), rejected.get("tags") + "");
    assertEquals(List.of("not your claim"),
        ((Map<String, Object>) meta(rejected).get("metadata")).get("guardrail.OwnClaimsOnly.failures"));
    assertEquals("error", rejected.get("status"));
    assertEquals(refused.getClass().getName(), ((Map<String, Object>) meta(rejected).get("error")).get("type"));
  }
}
