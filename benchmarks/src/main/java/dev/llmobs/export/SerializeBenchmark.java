package dev.llmobs.export;

import dev.llmobs.BenchSpans;
import dev.llmobs.FinishedSpan;
import dev.llmobs.export.datadog.SpanEncoder;
import dev.llmobs.export.otlp.OtlpEncoder;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.json.JsonWriter;
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
 * {@code dev.llmobs.export} to reach the encoder directly. Run: {@code benchmarks/run-jmh.sh SerializeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializeBenchmark {
  SpanEncoder encoder;
  OtlpEncoder otlp, otlpProtobuf;
  List<FinishedSpan> finished;
  JsonWriter writer = new JsonWriter(4096);

  @Setup(Level.Trial) public void configure() {
    encoder = new SpanEncoder(Config.fromEnv(Map.of(), false), "bench");
    otlp = new OtlpEncoder(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), false), "bench");
    otlpProtobuf = new OtlpEncoder(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "otlp"), false), "bench");
    finished = BenchSpans.llmSpans(1000);
  }

  @Benchmark @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void serializeThousandSpans(Blackhole bh) {
    for (FinishedSpan s : finished) {
      encoder.span(s, writer, false);
      bh.consume(writer.toByteArray());
    }
  }

  /** The same spans in OTLP/JSON with the GenAI conventions. */
  @Benchmark @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void serializeThousandSpansOtlp(Blackhole bh) {
    for (FinishedSpan s : finished) {
      otlp.span(s, writer, false);
      bh.consume(writer.toByteArray());
    }
  }

  /** The same spans in OTLP/protobuf (the OTLP default), by our own encoder. */
  @Benchmark @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void serializeThousandSpansOtlpProtobuf(Blackhole bh) {
    for (FinishedSpan s : finished) {
      otlpProtobuf.span(s, writer, false);
      bh.consume(writer.toByteArray());
    }
  }
}
