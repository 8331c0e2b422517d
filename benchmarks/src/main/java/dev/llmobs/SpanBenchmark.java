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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-span cost: start + annotate + finish of an llm span, in a kept trace ({@code sampleRate=1.0}) and in one that
 * {@code DD_LLMOBS_SAMPLE_RATE=0} samples out ({@code sampleRate=0}: what an unsent trace costs). Run:
 * {@code benchmarks/run-jmh.sh SpanBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanBenchmark {
  static final String QUESTION = "Is sudden water damage from a burst pipe covered by policy 88412?";
  static final String ANSWER = "Yes: clause 4.2 covers sudden water damage up to the policy limit.";

  @Param({"1.0", "0"}) public String sampleRate;

  @Setup(Level.Trial) public void configure() {
    // The file sink on /dev/null: no I/O cost. The export queue keeps its default bound (1,000 spans), so in steady
    // state each finish also evicts the oldest queued span: memory stays flat and GC does not swamp the figure.
    LLMObs.configure(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null",
        "LLMOBS_LOG_LEVEL", "warn", "DD_LLMOBS_SAMPLE_RATE", sampleRate), false), Clock.SYSTEM);
  }

  @Setup(Level.Iteration) public void drain() {
    LLMObs.flush(java.time.Duration.ofSeconds(10));
  }

  /** One llm span, the common case: started, given I/O, tokens and a metadata entry, finished. */
  @Benchmark @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public LLMObsSpan spanStartAnnotateFinish() {
    LLMObsSpan s = LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock");
    s.input(QUESTION).output(ANSWER).tokens(231, 18).metadata("temperature", 0.2).tag("turn", "3");
    s.finish();
    return s;
  }
}
