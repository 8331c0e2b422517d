package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.OtlpBodies;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tool definitions set from code: meta.tool_definitions on the Datadog wire, gen_ai.tool.definitions over OTLP. */
class ToolDefinitionsTest {
  static final Map<String, Object> SCHEMA = Map.of("type", "object",
      "properties", Map.of("claimId", Map.of("type", "string")), "required", List.of("claimId"));
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  static void call() {
    try (LLMObsSpan llm = LLMObs.llm("converse", "m", "p")) {
      llm.toolDefinitions(List.of(ToolDefinition.of("get_claim", "Looks a claim up", SCHEMA).withVersion("2"),
          ToolDefinition.of("escalate", null, null)));
    }
  }

  @SuppressWarnings("unchecked")
  @Test void onTheDatadogWire() {
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY",
        "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()), false), new ManualClock());
    call();
    try (LogCapture logs = new LogCapture()) {
      try (LLMObsSpan task = LLMObs.task("not-an-llm")) {
        task.toolDefinitions(List.of(ToolDefinition.of("x", null, null)));
      }
      assertTrue(logs.contains("tool definitions are for llm spans"), logs.all());
    }
    LLMObs.flush(Duration.ofSeconds(2));
    Map<String, Object> llm = intake.span("converse");
    assertEquals(List.of(Map.of("name", "get_claim", "description", "Looks a claim up", "schema", SCHEMA, "version", "2"),
        Map.of("name", "escalate")), ((Map<String, Object>) llm.get("meta")).get("tool_definitions"));
    Map<String, Object> task = intake.span("not-an-llm");
    assertNull(((Map<String, Object>) task.get("meta")).get("tool_definitions"));
  }

  @Test void overOtlp() throws Exception {
    LLMObs.configure(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin()),
        false), new ManualClock());
    call();
    LLMObs.flush(Duration.ofSeconds(2));
    var span = OtlpBodies.traces(intake.requestsTo("/v1/traces").get(0).body).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    String defs = (String) OtlpBodies.attributes(span.getAttributesList()).get("gen_ai.tool.definitions");
    assertEquals(List.of(Map.of("type", "function", "name", "get_claim", "description", "Looks a claim up",
        "parameters", SCHEMA), Map.of("type", "function", "name", "escalate")), JSON.std.listFrom(defs));
  }
}
