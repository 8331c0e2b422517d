package dev.llmobs.bench;

import dev.llmobs.LLMObs;
import dev.llmobs.springai.LLMObsObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.observation.AiOperationMetadata;

/**
 * What our observation handler adds to a Spring AI chat client call: the same in-process model (a canned answer,
 * observed as Spring AI's models observe their calls; no network in the figure) through a registry whose observations
 * are real (a handler that does nothing), with and without ours. Run: {@code benchmarks/run-jmh.sh SpringAiBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpringAiBenchmark {
  static final ChatResponse ANSWER = new ChatResponse(List.of(new Generation(new AssistantMessage("Clause 4.2 covers it."))),
      ChatResponseMetadata.builder().model("gpt-4o-mini-2024-07-18").usage(new DefaultUsage(231, 18)).build());

  /** A model that answers at once, observing its call as Spring AI's models do. */
  static final class CannedModel implements ChatModel {
    private final ObservationRegistry registry;

    CannedModel(ObservationRegistry registry) {
      this.registry = registry;
    }

    @Override public ChatResponse call(Prompt prompt) {
      ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(prompt)
          .provider("openai").build();
      return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
          .observation(null, new DefaultChatModelObservationConvention(), () -> context, registry)
          .observe(() -> {
            context.setResponse(ANSWER);
            return ANSWER;
          });
    }
  }

  /** Makes observations real (not no-ops) without doing anything: the baseline's registry. */
  static final class Nothing implements ObservationHandler<Observation.Context> {
    @Override public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  ChatClient bare, traced;

  @Setup(Level.Trial) public void configure() {
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null", "LLMOBS_LOG_LEVEL", "warn"));
    ObservationRegistry plain = ObservationRegistry.create();
    plain.observationConfig().observationHandler(new Nothing());
    ObservationRegistry ours = ObservationRegistry.create();
    ours.observationConfig().observationHandler(new Nothing()).observationHandler(new LLMObsObservationHandler());
    bare = ChatClient.builder(new CannedModel(plain), plain, null, null).build();
    traced = ChatClient.builder(new CannedModel(ours), ours, null, null).build();
  }

  @Setup(Level.Iteration) public void drain() {
    LLMObs.flush(Duration.ofSeconds(10));
  }

  @Benchmark public String chatClientWithoutOurHandler() {
    return bare.prompt().system("You handle claims.").user("Is claim 88412 covered?").call().content();
  }

  @Benchmark public String chatClientWithOurHandler() {
    return traced.prompt().system("You handle claims.").user("Is claim 88412 covered?").call().content();
  }
}
