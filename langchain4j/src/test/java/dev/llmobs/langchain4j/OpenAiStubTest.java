package dev.llmobs.langchain4j;


import com.sun.net.httpserver.HttpServer;
import dev.llmobs.LLMObs;
import dev.llmobs.testing.TestIntake;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A loopback OpenAI-compatible chat server (tool call first, the answer once a tool result is in the conversation;
 * streams when asked) and a loopback intake, for real LangChain4j OpenAI models.
 */
abstract class OpenAiStubTest {
  static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_claim\","
      + "\"arguments\":\"{\\\"claimId\\\":\\\"88412\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],"
      + "\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":7,\"total_tokens\":28}}";
  static final String FINAL = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Covered: sudden water damage.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":6,\"total_tokens\":46}}";
  static final String EMBEDDINGS = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
      + "\"embedding\":[0.1,0.2,0.3]},{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.3,0.2,0.1]}],"
      + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}";
  static final String ONE_EMBEDDING = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
      + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";
  static final String STREAM = chunk("{\"role\":\"assistant\",\"content\":\"Clause \"}", null)
      + chunk("{\"content\":\"4.2 covers it.\"}", null) + chunk("{}", "\"stop\"")
      + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],"
      + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}\n\ndata: [DONE]\n\n";

  static String chunk(String delta, String finish) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
  }

  TestIntake intake;
  HttpServer openAi;
  volatile int status = 200;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims"));
    openAi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    openAi.createContext("/v1/chat/completions", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean stream = body.replace(" ", "").contains("\"stream\":true");
      boolean toolResultIn = body.replace(" ", "").contains("\"role\":\"tool\"");
      byte[] answer = (status != 200 ? "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"
          : stream ? STREAM : toolResultIn ? FINAL : ANSWER).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", stream && status == 200 ? "text/event-stream" : "application/json");
      exchange.sendResponseHeaders(status, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    openAi.createContext("/v1/embeddings", exchange -> {
      Object input = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(exchange.getRequestBody()).get("input");
      // as many vectors as texts asked for (two at most): one for a retriever's query
      String body = input instanceof java.util.List && ((java.util.List<?>) input).size() == 1 ? ONE_EMBEDDING : EMBEDDINGS;
      byte[] answer = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    openAi.start();
  }

  @AfterEach void stop() {
    openAi.stop(0);
    intake.close();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + openAi.getAddress().getPort() + "/v1";
  }

  Map<String, Object> span(String name) {
    LLMObs.flush(Duration.ofSeconds(2));
    return intake.span(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

}
