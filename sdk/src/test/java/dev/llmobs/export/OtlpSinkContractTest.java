package dev.llmobs.export;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmobs.export.http.HttpPoster;
import dev.llmobs.internal.Config;
import dev.llmobs.testing.TestIntake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OTLP sink: the contract's events travel inside the OTLP envelopes (spans in {@code resourceSpans}, evaluations
 * in {@code resourceLogs}), to {@code /v1/traces} and {@code /v1/logs}.
 */
class OtlpSinkContractTest extends IntakeSinkContract {
  @Override HttpSink sinkFor(String origin) {
    // The contract's events are opaque JSON: framed as OTLP/JSON they can be read back as they went. The protobuf
    // framing carries the same events the same way (OtlpExportTest parses its bodies with the official definitions).
    Config config = Config.fromEnv(Map.of("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", origin,
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), false);
    return HttpSink.otlp(config, new dev.llmobs.export.otlp.OtlpEncoder(config, "test"), new HttpPoster("contract-test"));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> elements(List<TestIntake.Request> requests, String outer, String scope,
      String items) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TestIntake.Request r : requests) {
      Map<String, Object> body = JSON.std.mapFrom(r.body);
      Map<String, Object> resource = ((List<Map<String, Object>>) body.get(outer)).get(0);
      Map<String, Object> scoped = ((List<Map<String, Object>>) resource.get(scope)).get(0);
      out.addAll((List<Map<String, Object>>) scoped.get(items));
    }
    return out;
  }

  @Override List<Map<String, Object>> receivedSpans() throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> e : elements(intake.requestsTo("/v1/traces"), "resourceSpans", "scopeSpans", "spans")) {
      out.addAll(InMemorySinkAccess.spans(e));
    }
    return out;
  }

  @Override List<Map<String, Object>> receivedEvaluations() throws Exception {
    return elements(intake.requestsTo("/v1/logs"), "resourceLogs", "scopeLogs", "logRecords");
  }
}
