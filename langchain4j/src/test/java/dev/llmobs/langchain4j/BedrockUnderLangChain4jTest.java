package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.TestIntake;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * LangChain4j's Bedrock model goes through the AWS SDK, where our interceptor sees the same call: one llm span, the
 * interceptor's, with the tokens; LangChain4j's span is its parent workflow.
 */
class BedrockUnderLangChain4jTest {
  static final String CONVERSE = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":"
      + "\"Covered: sudden water damage.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":21,"
      + "\"outputTokens\":6,\"totalTokens\":27},\"metrics\":{\"latencyMs\":120}}";
  TestIntake intake;
  HttpServer bedrock;
  /** Requests to answer with a 500 before answering normally. */
  final java.util.concurrent.atomic.AtomicInteger failFirst = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims"));
    bedrock = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    bedrock.createContext("/model/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (failFirst.getAndDecrement() > 0) {
        byte[] error = "{\"message\":\"Model is busy\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "InternalServerException");
        exchange.sendResponseHeaders(500, error.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(error);
        }
        return;
      }
      byte[] answer = CONVERSE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    bedrock.start();
  }

  @AfterEach void stop() {
    bedrock.stop(0);
    intake.close();
  }

  BedrockRuntimeClient client() {
    return BedrockRuntimeClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + bedrock.getAddress().getPort())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @SuppressWarnings("unchecked")
  @Test void langChain4jsOwnRetriesAreAttemptsOfItsSpan() {
    failFirst.set(1);
    BedrockChatModel model = BedrockChatModel.builder().client(client()).modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
        .maxRetries(2).listeners(List.of(LLMObsLangChain4j.listener())).build();
    String answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = model.chat("Is claim 88412 covered?");
    }
    assertEquals("Covered: sudden water damage.", answer, "LangChain4j retried the 500, the AWS SDK did not");
    LLMObs.flush(Duration.ofSeconds(2));
    Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) intake.span("langchain4j.chat").get("meta")).get("metadata");
    assertEquals(2, metadata.get("attempts"));
    List<String> retried = (List<String>) metadata.get("retried_errors");
    assertEquals(1, retried.size());
    assertTrue(retried.get(0).startsWith("InternalServerException: Model is busy"), retried.toString());
    assertEquals("end_turn", metadata.get("finish_reason"), "Bedrock's own word");
  }

  @SuppressWarnings("unchecked")
  @Test void oneLlmSpanPerCallAndTokensCountedOnce() {
    BedrockRuntimeClient client = client();
    BedrockChatModel model = BedrockChatModel.builder().client(client).modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
        .listeners(List.of(LLMObsLangChain4j.listener())).build();
    String answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = model.chat("Is claim 88412 covered?");
    }
    assertEquals("Covered: sudden water damage.", answer);
    LLMObs.flush(Duration.ofSeconds(2));
    List<Map<String, Object>> spans = intake.spans();
    Map<String, Object> root = intake.span("handler"), chat = intake.span("langchain4j.chat");
    List<Map<String, Object>> llms = spans.stream()
        .filter(s -> "llm".equals(((Map<String, Object>) ((Map<String, Object>) s.get("meta")).get("span")).get("kind")))
        .collect(java.util.stream.Collectors.toList());
    assertEquals(1, llms.size(), "one llm span per model call");
    Map<String, Object> llm = llms.get(0);
    assertEquals("bedrock-runtime.converse", llm.get("name"));
    assertEquals(root.get("span_id"), chat.get("parent_id"));
    assertEquals(chat.get("span_id"), llm.get("parent_id"), "the Bedrock span nests in LangChain4j's");
    assertEquals("workflow", ((Map<String, Object>) ((Map<String, Object>) chat.get("meta")).get("span")).get("kind"));
    assertEquals(27, ((Map<String, Object>) llm.get("metrics")).get("total_tokens"));
    for (Map<String, Object> s : spans) {
      if (s != llm) assertFalse(((Map<String, Object>) s.get("metrics")).containsKey("total_tokens"), s.get("name") + "");
    }
    assertEquals(Map.of("value", "Is claim 88412 covered?"),
        ((Map<String, Object>) chat.get("meta")).get("input"));
  }
}
