package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real LangChain4j OpenAI models against a loopback OpenAI-compatible server; spans read at a loopback intake. */
class ChatListenerTest extends OpenAiStubTest {
  @SuppressWarnings("unchecked")
  @Test void aChatCallIsAnLlmSpanUnderTheCallersSpan() {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .temperature(0.2).maxRetries(0).listeners(List.of(LLMObsLangChain4j.listener())).build();
    ToolSpecification getClaim = ToolSpecification.builder().name("get_claim").description("Looks a claim up")
        .parameters(JsonObjectSchema.builder().addStringProperty("claimId").required("claimId").build()).build();
    ChatResponse response;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      response = model.chat(ChatRequest.builder().messages(SystemMessage.from("You handle claims"),
          UserMessage.from("Is claim 88412 covered?")).toolSpecifications(getClaim).build());
    }
    assertEquals("get_claim", response.aiMessage().toolExecutionRequests().get(0).name(), "the caller's answer");
    Map<String, Object> llm = span("langchain4j.chat"), root = span("handler");
    assertEquals(root.get("span_id"), llm.get("parent_id"));
    Map<String, Object> meta = meta(llm);
    assertEquals("llm", ((Map<String, Object>) meta.get("span")).get("kind"));
    assertEquals("gpt-4o-mini-2024-07-18", meta.get("model_name"));
    assertEquals("openai", meta.get("model_provider"));
    assertEquals(List.of(Map.of("role", "system", "content", "You handle claims"),
        Map.of("role", "user", "content", "Is claim 88412 covered?")), ((Map<String, Object>) meta.get("input")).get("messages"));
    List<Map<String, Object>> out = (List<Map<String, Object>>) ((Map<String, Object>) meta.get("output")).get("messages");
    assertEquals(List.of(Map.of("name", "get_claim", "arguments", Map.of("claimId", "88412"), "tool_id", "call_1",
        "type", "function")), out.get(0).get("tool_calls"));
    List<Map<String, Object>> tools = (List<Map<String, Object>>) meta.get("tool_definitions");
    assertEquals("get_claim", tools.get(0).get("name"));
    assertEquals(Map.of("claimId", Map.of("type", "string")), ((Map<String, Object>) tools.get(0).get("schema")).get("properties"));
    Map<String, Object> metadata = (Map<String, Object>) meta.get("metadata");
    assertEquals(0.2, metadata.get("temperature"));
    assertEquals("tool_calls", metadata.get("finish_reason"), "OpenAI's own word, not LangChain4j's TOOL_EXECUTION");
    assertEquals(Map.of("input_tokens", 21, "output_tokens", 7, "total_tokens", 28), llm.get("metrics"));
  }

  @SuppressWarnings("unchecked")
  @Test void aStreamEndsItsSpanOnTheModelsThreadUnderTheCallersSpan() throws Exception {
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test")
        .modelName("gpt-4o-mini").listeners(List.of(LLMObsLangChain4j.listener())).build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      model.chat(List.of(UserMessage.from("Is it covered?")), new StreamingChatResponseHandler() {
        @Override public void onPartialResponse(String partial) {}

        @Override public void onCompleteResponse(ChatResponse response) {
          callbackThread.complete(Thread.currentThread());
          done.complete(response);
        }

        @Override public void onError(Throwable error) {
          done.completeExceptionally(error);
        }
      });
      assertEquals("Clause 4.2 covers it.", done.get(10, TimeUnit.SECONDS).aiMessage().text());
    }
    assertTrue(callbackThread.get() != Thread.currentThread(), "the model called back on its own thread");
    Map<String, Object> llm = span("langchain4j.chat"), root = span("handler");
    assertEquals(root.get("span_id"), llm.get("parent_id"));
    assertEquals(List.of(Map.of("role", "assistant", "content", "Clause 4.2 covers it.")),
        ((Map<String, Object>) meta(llm).get("output")).get("messages"));
    assertEquals(Map.of("input_tokens", 12, "output_tokens", 5, "total_tokens", 17), llm.get("metrics"));
  }

  @Test void aTimedStreamHasItsTimeToFirstTokenAndTheCallerItsEveryCallback() throws Exception {
    java.util.concurrent.CountDownLatch firstSeen = new java.util.concurrent.CountDownLatch(1);
    openAi.createContext("/held/v1/chat/completions", exchange -> { // the first chunk, then the rest once it was seen
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      String first = chunk("{\"role\":\"assistant\",\"content\":\"Clause \"}", null);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(first.getBytes(StandardCharsets.UTF_8));
        out.flush();
        firstSeen.await(10, TimeUnit.SECONDS);
        out.write(STREAM.substring(first.length()).getBytes(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    dev.langchain4j.model.chat.StreamingChatModel model = LLMObsLangChain4j.timed(OpenAiStreamingChatModel.builder()
        .baseUrl(baseUrl().replace("/v1", "/held/v1")).apiKey("sk-test").modelName("gpt-4o-mini")
        .listeners(List.of(LLMObsLangChain4j.listener())).build());
    List<String> partials = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    long[] firstAfter = new long[1];
    long start = System.nanoTime();
    model.chat(List.of(UserMessage.from("Is it covered?")), new StreamingChatResponseHandler() {
      @Override public void onPartialResponse(String partial) {
        if (partials.isEmpty()) firstAfter[0] = System.nanoTime() - start;
        partials.add(partial);
        firstSeen.countDown();
      }

      @Override public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    assertEquals("Clause 4.2 covers it.", done.get(10, TimeUnit.SECONDS).aiMessage().text());
    assertEquals(List.of("Clause ", "4.2 covers it."), partials, "every partial reached the caller");

    Map<String, Object> llm = span("langchain4j.chat");
    @SuppressWarnings("unchecked") Map<String, Object> metrics = (Map<String, Object>) llm.get("metrics");
    double ttft = ((Number) metrics.get("time_to_first_token")).doubleValue();
    assertTrue(ttft > 0 && ttft * 1e9 <= firstAfter[0],
        "measured when the first token arrived, not when the stream ended: " + ttft + " s");
    assertEquals(17, ((Number) metrics.get("total_tokens")).intValue());
  }

  @Test void anUntimedStreamHasNoTimeToFirstToken() throws Exception {
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test")
        .modelName("gpt-4o-mini").listeners(List.of(LLMObsLangChain4j.listener())).build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat("Is it covered?", new StreamingChatResponseHandler() {
      @Override public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    done.get(10, TimeUnit.SECONDS);
    @SuppressWarnings("unchecked") Map<String, Object> metrics = (Map<String, Object>) span("langchain4j.chat").get("metrics");
    assertEquals(null, metrics.get("time_to_first_token"), "LangChain4j's listener sees no partial response");
  }

  @Test void aFailedCallIsAnErrorSpanAndTheCallerSeesTheSameException() {
    status = 500;
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .maxRetries(0).listeners(List.of(LLMObsLangChain4j.listener())).build();
    OpenAiChatModel bare = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .maxRetries(0).build();
    RuntimeException without = assertThrows(RuntimeException.class, () -> bare.chat("Is it covered?"));
    RuntimeException with = assertThrows(RuntimeException.class, () -> model.chat("Is it covered?"));
    assertSame(without.getClass(), with.getClass());
    assertEquals(without.getMessage(), with.getMessage());
    Map<String, Object> llm = span("langchain4j.chat");
    assertEquals("error", llm.get("status"));
    @SuppressWarnings("unchecked") Map<String, Object> error = (Map<String, Object>) meta(llm).get("error");
    assertNotNull(error);
    assertEquals(with.getClass().getName(), error.get("type"));
  }

  @Test void aStreamCutMidwayIsAnErrorSpanAndTheCallerHearsOfItAsWithout() throws Exception {
    try (java.net.ServerSocket cutter = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      // A permit for each stream whose caller has heard a partial answer.
      java.util.concurrent.Semaphore heard = new java.util.concurrent.Semaphore(0);
      Thread server = new Thread(() -> cutTwoStreams(cutter, heard), "stream-cutter");
      server.start();
      String url = "http://127.0.0.1:" + cutter.getLocalPort() + "/v1";
      Throwable traced = streamError(OpenAiStreamingChatModel.builder().baseUrl(url).apiKey("sk-test")
          .modelName("gpt-4o-mini").listeners(List.of(LLMObsLangChain4j.listener())).build(), heard);
      Throwable bare = streamError(OpenAiStreamingChatModel.builder().baseUrl(url).apiKey("sk-test")
          .modelName("gpt-4o-mini").build(), heard);
      server.join(10_000);
      assertAnErrorSpanWithTheCallersError(traced, bare);
    }
  }

  /**
   * Answers two requests with half a stream each and resets the connection once the caller has heard a partial
   * answer: the cut always comes midway through a stream the client is reading, never before it has the headers
   * (which the client reports as another exception, traced or not).
   */
  static void cutTwoStreams(java.net.ServerSocket cutter, java.util.concurrent.Semaphore heard) {
    byte[] stream = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 2; i++) {
      try (java.net.Socket s = cutter.accept()) {
        java.io.InputStream in = s.getInputStream();
        String head = "";
        while (!head.endsWith("\r\n\r\n")) head += (char) in.read();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (m.find()) in.readNBytes(Integer.parseInt(m.group(1)));
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + stream.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(stream, 0, stream.length / 2);
        out.flush();
        heard.tryAcquire(10, TimeUnit.SECONDS);
        s.setSoLinger(true, 0); // a reset, as a dropped connection looks
      } catch (java.io.IOException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void assertAnErrorSpanWithTheCallersError(Throwable traced, Throwable bare) {
    assertEquals(bare.getClass(), traced.getClass());
    Map<String, Object> llm = span("langchain4j.chat");
    assertEquals("error", llm.get("status"));
    @SuppressWarnings("unchecked") Map<String, Object> error = (Map<String, Object>) meta(llm).get("error");
    assertEquals(traced.getClass().getName(), error.get("type"));
  }

  static Throwable streamError(OpenAiStreamingChatModel model, java.util.concurrent.Semaphore heard) throws Exception {
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    model.chat(List.of(UserMessage.from("Please cut the stream")), new StreamingChatResponseHandler() {
      private boolean once;

      @Override public void onPartialResponse(String partial) {
        if (!once) heard.release(); // one permit a stream: the server cuts each stream after its own
        once = true;
      }

      @Override public void onCompleteResponse(ChatResponse response) {
        failed.completeExceptionally(new AssertionError("completed: " + response));
      }

      @Override public void onError(Throwable error) {
        failed.complete(error);
      }
    });
    return failed.get(10, TimeUnit.SECONDS);
  }
}
