package dev.llmobs.bench;

import dev.llmobs.BenchSpans;
import dev.llmobs.FinishedSpan;
import dev.llmobs.export.otlp.OtlpEncoder;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.json.JsonWriter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What our own OTLP protobuf encoder saves at cold start against protobuf-java: fresh JVMs encode ten annotated spans
 * into one OTLP/protobuf request with our encoder; on the other side, the same request then goes through
 * protobuf-java and the official OTLP message classes (parsed and serialized again), the least a protobuf-java
 * exporter does (load the runtime and the message classes, serialize a request). Run:
 * {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) dev.llmobs.bench.OtlpProtobufColdStart 12}.
 */
public final class OtlpProtobufColdStart {
  private OtlpProtobufColdStart() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    String cp = System.getProperty("java.class.path");
    ColdJvm.compare("ten spans to one OTLP/protobuf request", runs, "our encoder", "and protobuf-java",
        () -> ColdJvm.run(cp, Child.class.getName(), Map.of("LLMOBS_LOG_LEVEL", "warn"), "ours"),
        () -> ColdJvm.run(cp, Child.class.getName(), Map.of("LLMOBS_LOG_LEVEL", "warn"), "protobuf-java"));
  }

  /** Runs in each cold JVM. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      long start = System.nanoTime();
      OtlpEncoder encoder = new OtlpEncoder(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "otlp"), false), "bench");
      List<FinishedSpan> spans = BenchSpans.llmSpans(10);
      JsonWriter w = new JsonWriter(4096);
      List<byte[]> events = new ArrayList<>();
      for (FinishedSpan s : spans) {
        encoder.span(s, w, false);
        events.add(w.toByteArray());
      }
      byte[] body = encoder.tracesFraming().pack(events);
      if (args[0].equals("protobuf-java")) body = ExportTraceServiceRequest.parseFrom(body).toByteArray();
      long elapsed = System.nanoTime() - start;
      if (body.length < 1000) throw new IllegalStateException("too small a request: " + body.length);
      System.out.println("elapsed_ns=" + elapsed);
    }
  }
}
