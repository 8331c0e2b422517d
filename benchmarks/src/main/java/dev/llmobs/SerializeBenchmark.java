package dev.llmobs;

import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.JsonWriter;
import java.util.ArrayList;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Serializing 1,000 finished, annotated llm spans to their wire bytes, as a flush does. In package
 * {@code dev.llmobs} to reach the encoder directly. Run: {@code benchmarks/run-jmh.sh SerializeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializeBenchmark {
  Tracer tracer;
  List<RealSpan> finished;
  JsonWriter writer = new JsonWriter(4096);

  @Setup(Level.Trial) public void configure() {
    LLMObs.configure(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null",
        "LLMOBS_LOG_LEVEL", "warn"), false), Clock.SYSTEM);
    tracer = LLMObs.tracer();
  }

  @Setup(Level.Invocation) public void makeThousandSpans() {
    finished = new ArrayList<>(1000);
    for (int i = 0; i < 1000; i++) {
      RealSpan s = tracer.start(SpanKind.LLM, "converse", null, null, false);
      s.modelName("anthropic.claude-3-5-haiku-20241022-v1:0").modelProvider("amazon_bedrock");
      s.inputMessages(List.of(Message.system("You answer questions about the policy."), Message.user(SpanBenchmark.QUESTION)));
      s.outputMessages(List.of(Message.assistant(SpanBenchmark.ANSWER)));
      s.tokens(231, 18).metadata("temperature", 0.2).metadata("max_tokens", 400).sessionId("claim-88412");
      s.durationNanos = 1_840_000_000L;
      finished.add(s);
    }
  }

  @Benchmark @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void serializeThousandSpans(Blackhole bh) {
    for (RealSpan s : finished) {
      tracer.encoder.encode(s, writer, false);
      bh.consume(writer.toByteArray());
    }
  }
}
