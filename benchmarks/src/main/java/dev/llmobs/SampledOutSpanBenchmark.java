package dev.llmobs;

import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
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

/**
 * What a span in a trace that {@code DD_LLMOBS_SAMPLE_RATE=0} samples out costs: {@link SpanBenchmark}'s span, unsent.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SampledOutSpanBenchmark {
  static final String QUESTION = SpanBenchmark.QUESTION;
  static final String ANSWER = SpanBenchmark.ANSWER;

  @Setup(Level.Trial) public void configure() {
    // Every trace sampled out: nothing is queued, nothing is written.
    LLMObs.configure(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null",
        "LLMOBS_LOG_LEVEL", "warn", "DD_LLMOBS_SAMPLE_RATE", "0"), false), Clock.SYSTEM);
  }

  /** SpanBenchmark's llm span, annotated the same way, in a sampled-out trace. */
  @Benchmark @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public LLMObsSpan sampledOutSpanStartAnnotateFinish() {
    LLMObsSpan s = LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock");
    s.input(QUESTION).output(ANSWER).tokens(231, 18).metadata("temperature", 0.2).tag("turn", "3");
    s.finish();
    return s;
  }
}
