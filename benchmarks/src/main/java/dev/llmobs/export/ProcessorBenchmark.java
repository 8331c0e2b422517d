package dev.llmobs.export;

import dev.llmobs.BenchSpans;
import dev.llmobs.FinishedSpan;
import dev.llmobs.SpanProcessor;
import dev.llmobs.export.datadog.SpanEncoder;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.json.JsonWriter;
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
 * A span processor redacting a 6 MB input, against encoding that span: the bound is that the first costs no
 * more than the second. Run: {@code benchmarks/run-jmh.sh ProcessorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProcessorBenchmark {
  static final int SIX_MB = 6 << 20;
  FinishedSpan span;
  SpanEncoder encoder;
  JsonWriter writer = new JsonWriter(SIX_MB + 4096);

  /** What a user writes: one pass over the text, replacing card numbers. */
  final SpanProcessor redactCards = s -> s.inputText() == null ? s
      : s.withInputText(s.inputText().replace("4111-1111-1111-1111", "[card]"));

  @Setup(Level.Trial) public void configure() {
    span = BenchSpans.bigInputSpan(SIX_MB);
    encoder = new SpanEncoder(Config.fromEnv(Map.of(), false), "bench");
  }

  @Benchmark public FinishedSpan redactSixMegabyteInput() {
    return redactCards.process(span);
  }

  @Benchmark public void encodeSixMegabyteInput(Blackhole bh) {
    encoder.span(span, writer, false);
    bh.consume(writer.toByteArray());
  }
}
