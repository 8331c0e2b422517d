package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.bedrock.BedrockStub.Reply;
import dev.llmobs.bedrock.ConverseTest.Collector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * A span covers the call as its caller sees it, however many attempts the AWS SDK made: its whole duration, the final
 * outcome and output, the final attempt's tokens, and the attempts and retried errors as metadata. Each scenario runs
 * twice, with Bedrock tracing off and on, and the caller must see the same thing both times.
 */
class BedrockRetryTest extends BedrockTest {
  static final String PARTIAL = "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Sudden wa\"}}";

  /** What the caller saw: the streamed text and events, or the exception's class and message. */
  static String outcome(Supplier<Collector> call) {
    try {
      Collector c = call.get();
      return "text=" + c.text + " events=" + c.events;
    } catch (CompletionException e) {
      Throwable cause = cause(e);
      return cause.getClass().getName() + ": " + cause.getMessage();
    }
  }

  /** Runs the scenario with tracing off, then on; asserts the caller's outcome is the same; returns it. */
  String sameOutcomeWithAndWithoutUs(Runnable script, Supplier<Collector> call) {
    configure(Map.of("LLMOBS_BEDROCK_ENABLED", "false"));
    script.run();
    String without = outcome(call);
    assertNoBedrockSpan(flushed());
    stub.clear();
    configure(Map.of());
    script.run();
    String with = outcome(call);
    assertEquals(without, with, "the caller sees the same with and without us");
    return with;
  }

  static Supplier<Collector> stream(BedrockRuntimeAsyncClient client) {
    return () -> {
      Collector c = new Collector();
      client.converseStream(ConverseTest.streamQuestion(), c.handler()).join();
      return c;
    };
  }

  static BedrockRuntimeAsyncClient client(
      java.util.function.Consumer<software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder> config) {
    return BedrockRuntimeAsyncClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
        .overrideConfiguration(config).build();
  }

  @Test void aStreamRetriedAfterAnExceptionFrameIsOneSpanWithTheFinalAttemptsOutputAndTokens() {
    String outcome = sameOutcomeWithAndWithoutUs(() -> stub.reply(
        Reply.stream(BedrockStub.frames(
            BedrockStub.event("messageStart", "{\"role\":\"assistant\"}"),
            BedrockStub.event("contentBlockDelta", PARTIAL),
            BedrockStub.event("metadata", "{\"usage\":{\"inputTokens\":8,\"outputTokens\":3,\"totalTokens\":11}}"),
            BedrockStub.exception("throttlingException", "Too many tokens, please wait"))),
        Reply.stream(ConverseTest.streamFrames())), stream(async));
    assertTrue(outcome.startsWith("text=Sudden wa"), "the SDK replays the first attempt's events, then the second's: "
        + outcome);

    Map<String, Object> llm = bedrockSpan();
    assertEquals("ok", llm.get("status"), "the caller succeeded");
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered.",
        "tool_calls", List.of(Map.of("name", "lookup_policy", "arguments", Map.of("claimId", "88412"),
            "tool_id", "tooluse_c4wN", "type", "toolUse"))))), meta(llm).get("output"), "the final attempt's output");
    assertMetric(llm, "input_tokens", 8);
    assertMetric(llm, "output_tokens", 26);
    assertMetric(llm, "total_tokens", 34);
    assertEquals(2, metadata(llm).get("attempts"));
    assertEquals(List.of("throttlingException: Too many tokens, please wait"), metadata(llm).get("retried_errors"));
    assertEquals("tool_use", metadata(llm).get("stop_reason"));
    assertNull(metadata(llm).get("stream_cancelled"));
    assertEquals(400, metadata(llm).get("max_tokens"), "the request's parameters survive the retry");
    long between = stub.received.get(1).nanos - stub.received.get(0).nanos;
    assertTrue(((Number) llm.get("duration")).longValue() >= between,
        "the span covers both attempts: " + llm.get("duration") + " ns, attempts " + between + " ns apart");
  }

  @Test void throttlingAndAServerErrorBeforeTheStreamAreRetriedWithinOneSpan() {
    String outcome = sameOutcomeWithAndWithoutUs(() -> stub.reply(
        Reply.error(429, "ThrottlingException", "Too many requests"),
        Reply.error(500, "InternalServerException", "Try again"),
        Reply.stream(ConverseTest.streamFrames())), stream(async));
    assertEquals("text=Sudden water damage is covered. events=[delta, delta, delta, delta, metadata]", outcome);

    Map<String, Object> llm = bedrockSpan();
    assertEquals("ok", llm.get("status"));
    assertEquals(3, metadata(llm).get("attempts"));
    assertEquals(List.of("ThrottlingException (HTTP 429)", "InternalServerException (HTTP 500)"),
        metadata(llm).get("retried_errors"));
    assertMetric(llm, "output_tokens", 26);
    double ttft = ((Number) metrics(llm).get("time_to_first_token")).doubleValue();
    double between = (stub.received.get(2).nanos - stub.received.get(0).nanos) / 1e9;
    assertTrue(ttft >= between, "time to first token is the caller's wait, retries included: " + ttft + " s");
  }

  @Test void aStreamThatRunsOutOfRetriesRecordsTheCallersExceptionAndEveryAttempt() {
    Runnable script = () -> {
      for (int i = 0; i < 3; i++) {
        stub.reply(Reply.stream(BedrockStub.frames(BedrockStub.event("messageStart", "{\"role\":\"assistant\"}"),
            BedrockStub.exception("throttlingException", "Slow down " + i))));
      }
    };
    String outcome;
    try (BedrockRuntimeAsyncClient twoRetries = client(o -> o.retryPolicy(r -> r.numRetries(2)))) {
      outcome = sameOutcomeWithAndWithoutUs(script, stream(twoRetries));
    }
    assertTrue(outcome.startsWith("software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException: Slow down 2"),
        outcome);

    Map<String, Object> llm = bedrockSpan();
    assertEquals("error", llm.get("status"));
    assertEquals("software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException", error(llm).get("type"));
    assertTrue(((String) error(llm).get("message")).startsWith("Slow down 2"), error(llm).toString());
    assertEquals(3, metadata(llm).get("attempts"));
    assertEquals(List.of("throttlingException: Slow down 0", "throttlingException: Slow down 1"),
        metadata(llm).get("retried_errors"));
  }

  @Test void anApiCallTimeoutOnAStalledStreamIsRecordedAsTheCallerSeesIt() throws Exception {
    BedrockRuntimeAsyncClient impatient = client(o -> o.apiCallTimeout(Duration.ofMillis(300)));
    CountDownLatch[] rest = new CountDownLatch[1];
    Runnable script = () -> {
      rest[0] = new CountDownLatch(1);
      stub.reply(Reply.stream(ConverseTest.streamFrames()).holdAfter(3, rest[0]));
    };
    String[] traceId = new String[1];
    Supplier<Collector> call = () -> {
      try (dev.llmobs.LLMObsSpan handler = dev.llmobs.LLMObs.workflow("handler")) {
        traceId[0] = handler.context().traceId();
        return stream(impatient).get();
      } finally {
        rest[0].countDown(); // the stub's stream ends once the caller has given up
      }
    };
    try {
      String outcome = sameOutcomeWithAndWithoutUs(script, call);
      assertTrue(outcome.startsWith(ApiCallTimeoutException.class.getName()), outcome);
      // As the Lambda wrapper does: wait for the invocation's open calls, which end by themselves here.
      assertEquals(0, dev.llmobs.internal.PendingCalls.awaitTrace(traceId[0], System.nanoTime() + 10_000_000_000L));

      Map<String, Object> llm = bedrockSpan();
      assertEquals("error", llm.get("status"));
      assertEquals(ApiCallTimeoutException.class.getName(), error(llm).get("type"), "not the SDK's own cancellation");
      assertEquals(outcome.substring(outcome.indexOf(": ") + 2), error(llm).get("message"));
      assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered."))),
          meta(llm).get("output"), "what arrived before the timeout");
      assertTrue(((Number) llm.get("duration")).longValue() >= 300_000_000L, "the span lasts as long as the caller waited");
    } finally {
      impatient.close();
    }
  }

  @Test void aSyncCallRetriedAfterThrottlingSucceedsInOneSpanWithItsAttempts() {
    stub.reply(Reply.error(429, "ThrottlingException", "Too many requests"), Reply.json(ConverseTest.TEXT_REPLY));
    sync.converse(ConverseTest.question());
    Map<String, Object> llm = bedrockSpan();
    assertEquals("ok", llm.get("status"));
    assertEquals(2, metadata(llm).get("attempts"));
    assertEquals(List.of("ThrottlingException (HTTP 429)"), metadata(llm).get("retried_errors"));
    assertMetric(llm, "output_tokens", 185);
  }

  @Test void aCallAnsweredAtOnceCarriesNoAttemptMetadata() {
    stub.reply(Reply.json(ConverseTest.TEXT_REPLY));
    sync.converse(ConverseTest.question());
    Map<String, Object> llm = bedrockSpan();
    assertNull(metadata(llm).get("attempts"));
    assertNull(metadata(llm).get("retried_errors"));
    assertInstanceOf(Map.class, meta(llm).get("output"));
  }
}
