package dev.llmobs.bedrock;

import dev.llmobs.bedrock.BedrockStub.Reply;
import dev.llmobs.bedrock.ConverseFixtures.Collector;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * A ConverseStream call the AWS SDK retries or gives up on, and what its caller sees. Touches nothing of ours: {@link
 * #main} runs one in a JVM without llmobs on the class path, so that the caller's outcome with our jar can be held
 * against the outcome without it.
 */
enum RetryScenario {
  /** A throttling exception frame mid-stream, then a whole stream on the next attempt. */
  FRAME_THEN_WHOLE_STREAM(o -> {}) {
    @Override void script(BedrockStub stub) {
      stub.reply(Reply.stream(BedrockStub.frames(
              BedrockStub.event("messageStart", "{\"role\":\"assistant\"}"),
              BedrockStub.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Sudden wa\"}}"),
              BedrockStub.event("metadata", "{\"usage\":{\"inputTokens\":8,\"outputTokens\":3,\"totalTokens\":11}}"),
              BedrockStub.exception("throttlingException", "Too many tokens, please wait"))),
          Reply.stream(ConverseFixtures.streamFrames()));
    }
  },
  /** A 429, then a 500, before the stream. */
  THROTTLED_AND_5XX_BEFORE_STREAM(o -> {}) {
    @Override void script(BedrockStub stub) {
      stub.reply(Reply.error(429, "ThrottlingException", "Too many requests"),
          Reply.error(500, "InternalServerException", "Try again"), Reply.stream(ConverseFixtures.streamFrames()));
    }
  },
  /** Throttling frames on every attempt: three, all the retry strategy allows. */
  OUT_OF_RETRIES(o -> {}) {
    @Override void script(BedrockStub stub) {
      for (int i = 0; i < 3; i++) {
        stub.reply(Reply.stream(BedrockStub.frames(BedrockStub.event("messageStart", "{\"role\":\"assistant\"}"),
            BedrockStub.exception("throttlingException", "Slow down " + i))));
      }
    }
  },
  /**
   * Three frames, then a stall longer than the client's API call timeout (1 s: a cold Netty client on a busy machine
   * needs a few hundred milliseconds to receive the frames).
   */
  STALLED_PAST_TIMEOUT(o -> o.apiCallTimeout(Duration.ofSeconds(1))) {
    @Override void script(BedrockStub stub) {
      stall = new CountDownLatch(1);
      stub.reply(Reply.stream(ConverseFixtures.streamFrames()).holdAfter(3, stall));
    }
  };

  /**
   * The SDK's standard retry strategy, three attempts, with a short fixed back-off instead of its exponential one:
   * which errors are retried, and how, stay the SDK's; the test just does not wait seconds for it.
   */
  static final software.amazon.awssdk.retries.StandardRetryStrategy RETRIES =
      software.amazon.awssdk.retries.StandardRetryStrategy.builder().maxAttempts(3)
          .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofMillis(20)))
          .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofMillis(20)))
          .build();

  private final Consumer<ClientOverrideConfiguration.Builder> config;
  /** Holds the stub's stalled stream; {@link #release} ends it, once the caller and the span are done with it. */
  CountDownLatch stall;

  RetryScenario(Consumer<ClientOverrideConfiguration.Builder> config) {
    this.config = config;
  }

  abstract void script(BedrockStub stub);

  /** Scripts the stub, makes the call with a client of its own, returns what the caller saw. */
  String run(BedrockStub stub) {
    script(stub);
    try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder().endpointOverride(stub.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
        .overrideConfiguration(o -> config.accept(o.retryStrategy(RETRIES))).build()) {
      Collector c = new Collector();
      client.converseStream(ConverseFixtures.streamQuestion(), c.handler()).join();
      return "text=" + c.text + " events=" + c.events;
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return cause.getClass().getName() + ": " + cause.getMessage();
    }
  }

  /**
   * Ends a stalled stream. Not before the connection was given up: released earlier, the rest of the stream could
   * still reach a tap the SDK has not cancelled yet.
   */
  void release() {
    if (stall != null) stall.countDown();
  }

  /** Runs the named scenarios, each against a stub of its own, and prints {@code NAME=outcome} for each. */
  public static void main(String[] args) throws Exception {
    boolean ours;
    try {
      Class.forName("dev.llmobs.bedrock.LlmObsBedrockInterceptor");
      ours = true;
    } catch (ClassNotFoundException absent) {
      ours = false;
    }
    System.out.println("interceptor on the class path=" + ours);
    for (String name : args) {
      RetryScenario scenario = valueOf(name);
      try (BedrockStub stub = new BedrockStub()) {
        try {
          System.out.println(name + "=" + scenario.run(stub));
        } finally {
          scenario.release(); // before the stub closes: a handler still holding its stream would keep this JVM alive
        }
      }
    }
  }
}
