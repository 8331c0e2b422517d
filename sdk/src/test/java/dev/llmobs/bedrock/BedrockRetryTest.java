package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.bedrock.BedrockStub.Reply;
import dev.llmobs.testing.ClassPaths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * A span covers the call as its caller sees it, however many attempts the AWS SDK made: its whole duration, the final
 * outcome and output, the final attempt's tokens, and the attempts and retried errors as metadata. Each stream scenario
 * runs twice, in a JVM without our jar and here with it, and the caller must see the same thing both times.
 */
class BedrockRetryTest extends BedrockTest {
  /**
   * What the caller of {@code scenario} sees without our jar (a JVM whose class path lacks it, so the AWS SDK finds
   * no interceptor of ours) and with it (this JVM, traced); asserts they are the same and returns it.
   */
  String sameOutcomeWithAndWithoutUs(RetryScenario scenario) throws Exception {
    String without = withoutOurJar(scenario);
    stub.clear();
    String with = scenario.run(stub);
    assertEquals(without, with, "the caller sees the same with and without us");
    return with;
  }

  private static Map<String, String> withoutUs;

  /** Every scenario's outcome without our jar, from one JVM run once: starting a JVM costs more than a scenario. */
  static synchronized String withoutOurJar(RetryScenario scenario) throws Exception {
    if (withoutUs == null) {
      List<String> kept = ClassPaths.entriesWithout(
          e -> e.replace('\\', '/').endsWith("/sdk/target/classes") || e.contains("llmobs-sdk"));
      List<String> cmd = new java.util.ArrayList<>(List.of(
          java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", String.join(java.io.File.pathSeparator, kept), RetryScenario.class.getName()));
      for (RetryScenario s : RetryScenario.values()) cmd.add(s.name());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), out);
      assertTrue(out.contains("interceptor on the class path=false"), out);
      Map<String, String> outcomes = new java.util.HashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) outcomes.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
      withoutUs = outcomes;
    }
    String outcome = withoutUs.get(scenario.name());
    assertTrue(outcome != null, "no outcome for " + scenario + ": " + withoutUs);
    return outcome;
  }

  @Test void aStreamRetriedAfterAnExceptionFrameIsOneSpanWithTheFinalAttemptsOutputAndTokens() throws Exception {
    String outcome = sameOutcomeWithAndWithoutUs(RetryScenario.FRAME_THEN_WHOLE_STREAM);
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

  @Test void throttlingAndAServerErrorBeforeTheStreamAreRetriedWithinOneSpan() throws Exception {
    String outcome = sameOutcomeWithAndWithoutUs(RetryScenario.THROTTLED_AND_5XX_BEFORE_STREAM);
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

  @Test void aStreamThatRunsOutOfRetriesRecordsTheCallersExceptionAndEveryAttempt() throws Exception {
    String outcome = sameOutcomeWithAndWithoutUs(RetryScenario.OUT_OF_RETRIES);
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
    String without = withoutOurJar(RetryScenario.STALLED_PAST_TIMEOUT);
    stub.clear();
    String outcome, traceId;
    try (dev.llmobs.LLMObsSpan handler = dev.llmobs.LLMObs.workflow("handler")) {
      traceId = handler.context().traceId();
      outcome = RetryScenario.STALLED_PAST_TIMEOUT.run(stub);
    }
    assertEquals(without, outcome, "the caller sees the same with and without us");
    assertTrue(outcome.startsWith(ApiCallTimeoutException.class.getName()), outcome);
    try {
      // As the Lambda wrapper does: wait for the invocation's open calls, which end by themselves here.
      assertEquals(0, dev.llmobs.internal.TracerHandle.current().endCalls(traceId, System.nanoTime() + 10_000_000_000L));
    } finally {
      RetryScenario.STALLED_PAST_TIMEOUT.release();
    }

    Map<String, Object> llm = bedrockSpan();
    assertEquals("error", llm.get("status"));
    assertEquals(ApiCallTimeoutException.class.getName(), error(llm).get("type"), "not the SDK's own cancellation");
    assertEquals(outcome.substring(outcome.indexOf(": ") + 2), error(llm).get("message"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered."))),
        meta(llm).get("output"), "what arrived before the timeout");
    assertTrue(((Number) llm.get("duration")).longValue() >= 1_000_000_000L, "the span lasts as long as the caller waited");
  }

  @Test void anInvocationThatEndsWhileTheSdkWaitsToRetryIsSentWithTheFailedAttempt() throws Exception {
    // A stub of its own: the SDK's retry, still scheduled when this test ends, must not reach another test's stub.
    // The SDK asks for its backoff once an attempt has failed: the test waits for that, not for the clock.
    java.util.concurrent.CountDownLatch backingOff = new java.util.concurrent.CountDownLatch(1);
    software.amazon.awssdk.retries.api.BackoffStrategy thirtySeconds = attempt -> {
      backingOff.countDown();
      return java.time.Duration.ofSeconds(30);
    };
    try (BedrockStub own = new BedrockStub();
        software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient patient =
        software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient.builder()
            .endpointOverride(own.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.retries.StandardRetryStrategy.builder()
                .maxAttempts(3).backoffStrategy(thirtySeconds).throttlingBackoffStrategy(thirtySeconds).build()))
            .build()) {
      // The first attempt fails with a throttling frame; a second, should the SDK not wait its 30 s (it does not
      // always, for an exception frame), is held open: either way the call is open when the invocation ends.
      java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
      own.reply(BedrockStub.Reply.stream(BedrockStub.frames(BedrockStub.event("messageStart", "{\"role\":\"assistant\"}"),
          BedrockStub.exception("throttlingException", "Slow down 0"))));
      own.reply(BedrockStub.Reply.stream(BedrockStub.frames(BedrockStub.event("messageStart", "{\"role\":\"assistant\"}"),
          BedrockStub.exception("throttlingException", "Slow down 1"))).holdAfter(1, held));
      String traceId;
      try (dev.llmobs.LLMObsSpan handler = dev.llmobs.LLMObs.workflow("handler")) {
        traceId = handler.context().traceId();
        patient.converseStream(ConverseFixtures.streamQuestion(), new ConverseFixtures.Collector().handler());
        assertTrue(backingOff.await(10, java.util.concurrent.TimeUnit.SECONDS), "the first attempt failed");
      } // the handler returns while the SDK waits before its next attempt (or, should it not wait, that one is held)
      try {
        assertEquals(1, dev.llmobs.internal.TracerHandle.current().endCalls(traceId, System.nanoTime() + 1_000_000_000L),
            "still open when the invocation ends");
      } finally {
        held.countDown();
      }
      Map<String, Object> llm = bedrockSpan();
      assertEquals(true, metadata(llm).get("incomplete"));
      assertEquals("error", llm.get("status"), "the attempt in flight failed: that is what is known");
      assertEquals("throttlingException", error(llm).get("type"));
      assertEquals("Slow down 0", error(llm).get("message"));
    }
  }

  @Test void aSyncCallRetriedAfterThrottlingSucceedsInOneSpanWithItsAttempts() {
    stub.reply(Reply.error(429, "ThrottlingException", "Too many requests"), Reply.json(ConverseFixtures.TEXT_REPLY));
    sync.converse(ConverseFixtures.question());
    Map<String, Object> llm = bedrockSpan();
    assertEquals("ok", llm.get("status"));
    assertEquals(2, metadata(llm).get("attempts"));
    assertEquals(List.of("ThrottlingException (HTTP 429)"), metadata(llm).get("retried_errors"));
    assertMetric(llm, "output_tokens", 185);
  }

  @Test void aCallAnsweredAtOnceCarriesNoAttemptMetadata() {
    stub.reply(Reply.json(ConverseFixtures.TEXT_REPLY));
    sync.converse(ConverseFixtures.question());
    Map<String, Object> llm = bedrockSpan();
    assertNull(metadata(llm).get("attempts"));
    assertNull(metadata(llm).get("retried_errors"));
    assertInstanceOf(Map.class, meta(llm).get("output"));
  }
}
