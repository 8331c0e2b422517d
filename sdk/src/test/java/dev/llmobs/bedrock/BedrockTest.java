package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Shared set-up: the REAL Bedrock Runtime clients (sync over url-connection, async over Netty with HTTP/1.1),
 * fake static credentials, pointed at a loopback stub; our interceptor registered only through the SDK's global
 * resource, as in a user's function; spans flushed to a real loopback intake.
 */
abstract class BedrockTest {
  static BedrockStub stub;
  static BedrockRuntimeClient sync;
  static BedrockRuntimeAsyncClient async;
  TestIntake intake;

  @BeforeAll static void clients() throws Exception {
    stub = new BedrockStub();
    sync = BedrockRuntimeClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    // Never closed: Netty's threads stay put for the rest of the test JVM.
    async = BedrockRuntimeAsyncClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
  }

  @AfterAll static void stopStub() {
    sync.close();
    stub.close();
  }

  @BeforeEach void configure() throws Exception {
    intake = new TestIntake();
    configure(Map.of());
    stub.clear();
  }

  void configure(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims-assistant"));
    env.putAll(extra);
    LLMObs.configure(env);
  }

  @AfterEach void stopIntake() {
    intake.close();
  }

  List<Map<String, Object>> flushed() {
    LLMObs.flush(Duration.ofSeconds(5));
    return intake.spans();
  }

  /** The one span the integration made. */
  Map<String, Object> bedrockSpan() {
    List<Map<String, Object>> found = new ArrayList<>();
    for (Map<String, Object> s : flushed()) {
      if (tags(s).contains("integration:bedrock")) found.add(s);
    }
    assertEquals(1, found.size(), "one Bedrock span: " + found);
    return found.get(0);
  }

  static <T> T inWorkflow(java.util.concurrent.Callable<T> call) throws Exception {
    try (LLMObsSpan wf = LLMObs.workflow("caller")) {
      return call.call();
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metrics(Map<String, Object> span) {
    return (Map<String, Object>) span.get("metrics");
  }

  @SuppressWarnings("unchecked")
  static List<String> tags(Map<String, Object> span) {
    return (List<String>) span.get("tags");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metadata(Map<String, Object> span) {
    return (Map<String, Object>) meta(span).get("metadata");
  }

  static String kind(Map<String, Object> span) {
    return (String) ((Map<?, ?>) meta(span).get("span")).get("kind");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> error(Map<String, Object> span) {
    return (Map<String, Object>) meta(span).get("error");
  }

  static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  static void assertMetric(Map<String, Object> span, String key, long expected) {
    Object v = metrics(span).get(key);
    assertNotNull(v, key + " in " + metrics(span));
    assertEquals(expected, ((Number) v).longValue(), key);
  }

  static void assertNoBedrockSpan(List<Map<String, Object>> spans) {
    for (Map<String, Object> s : spans) assertFalse(tags(s).contains("integration:bedrock"), s.toString());
  }
}
