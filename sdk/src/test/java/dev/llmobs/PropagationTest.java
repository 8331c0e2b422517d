package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An LLM trace crosses a service boundary in Datadog's headers. */
class PropagationTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "callee-app"), false), new ManualClock());
  }

  @AfterEach void stop() {
    intake.close();
  }

  @Test void injectWritesDatadogAndW3cHeaders() {
    Map<String, String> headers = new HashMap<>();
    SpanContext ctx;
    try (LLMObsSpan s = LLMObs.workflow("caller").mlApp("claims-assistant").sessionId("claim-1")) {
      ctx = s.context();
      LLMObs.inject(headers);
    }
    String traceDecimal = new BigInteger(ctx.traceId(), 16).toString();
    assertEquals("_dd.p.tid=" + ctx.traceId().substring(0, 16) + ",_dd.p.llmobs_trace_id=" + traceDecimal
        + ",_dd.p.llmobs_parent_id=" + ctx.spanId() + ",_dd.p.llmobs_sd=1,_dd.p.llmobs_sr=1.0"
        + ",_dd.p.llmobs_ml_app=claims-assistant,_dd.p.llmobs_sid=claim-1",
        headers.get("x-datadog-tags"));
    assertEquals(ctx.spanId(), headers.get("x-datadog-parent-id"));
    assertEquals(Long.toUnsignedString(Long.parseUnsignedLong(ctx.traceId().substring(16), 16)),
        headers.get("x-datadog-trace-id"));
    assertEquals("00-" + ctx.traceId() + "-" + String.format("%016x", Long.parseUnsignedLong(ctx.spanId())) + "-01",
        headers.get("traceparent"));
    assertTrue(headers.get("tracestate").startsWith("dd=s:1;p:"));
    assertTrue(headers.get("x-datadog-tags").length() <= 512);
  }

  @Test void injectKeepsAnotherTracersContextAndOtherVendorsEntries() {
    Map<String, String> headers = new HashMap<>(Map.of(
        "x-datadog-trace-id", "1234567890", "x-datadog-parent-id", "987654321", "x-datadog-sampling-priority", "2",
        "X-Datadog-Tags", "_dd.p.dm=-4,_dd.p.tid=640cfd8d00000000,_dd.p.llmobs_parent_id=1",
        "traceparent", "00-640cfd8d0000000000000000499602d2-000000003ade68b1-01",
        "tracestate", "dd=s:2;p:000000003ade68b1;t.dm:-4;t.llmobs_parent_id:1,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
    SpanContext ctx;
    try (LLMObsSpan s = LLMObs.workflow("caller")) {
      ctx = s.context();
      LLMObs.inject(headers);
    }
    assertEquals("1234567890", headers.get("x-datadog-trace-id"), "the APM tracer's ids stay");
    assertEquals("987654321", headers.get("x-datadog-parent-id"));
    assertEquals("2", headers.get("x-datadog-sampling-priority"));
    assertEquals("00-640cfd8d0000000000000000499602d2-000000003ade68b1-01", headers.get("traceparent"));
    String tags = headers.get("x-datadog-tags");
    assertTrue(tags.startsWith("_dd.p.dm=-4,_dd.p.tid=640cfd8d00000000,_dd.p.llmobs_trace_id="), tags);
    assertTrue(tags.contains(",_dd.p.llmobs_parent_id=" + ctx.spanId()), tags);
    assertEquals(1, tags.split("_dd.p.llmobs_parent_id=", -1).length - 1, "ours replaced, not doubled: " + tags);
    assertEquals(null, headers.get("X-Datadog-Tags"), "one header, whatever the case it came in");
    String state = headers.get("tracestate");
    assertTrue(state.startsWith("dd=s:2;p:000000003ade68b1;t.dm:-4;t.llmobs_trace_id:"), state);
    assertTrue(state.endsWith(",rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"), "other vendors' members stay: " + state);
    assertEquals(ctx.traceId(), LLMObs.extract(headers).traceId(), "and ours is read back");
  }

  @Test void aContinuedTraceKeepsItsCallersSamplingDecision() throws Exception {
    Map<String, String> headers = new HashMap<>();
    try (LLMObsSpan s = LLMObs.workflow("caller")) {
      LLMObs.inject(headers);
    }
    // The caller decided to drop its trace: the callee, whose own rate keeps everything, follows it.
    headers.put("x-datadog-tags", headers.get("x-datadog-tags").replace("_dd.p.llmobs_sd=1", "_dd.p.llmobs_sd=0"));
    headers.remove("tracestate");
    SpanContext parent = LLMObs.extract(headers);
    intake.clear();
    try (LLMObsSpan callee = LLMObs.span(SpanKind.WORKFLOW, "callee").parent(parent).start()) {
      callee.input("never sent");
      LLMObs.task("child").finish();
    }
    LLMObs.flush(java.time.Duration.ofSeconds(2));
    assertTrue(intake.spans().stream().noneMatch(s -> "callee".equals(s.get("name")) || "child".equals(s.get("name"))),
        "a trace its caller dropped is not sent");
  }

  @Test void extractContinuesTheCallersTraceSessionAndMlApp() {
    Map<String, String> headers = new HashMap<>();
    SpanContext caller;
    try (LLMObsSpan s = LLMObs.workflow("caller").mlApp("claims-assistant").sessionId("claim-1")) {
      caller = s.context();
      LLMObs.inject(headers);
    }
    Map<String, String> incoming = new HashMap<>();
    headers.forEach((k, v) -> incoming.put(k.toUpperCase(), v)); // header names are case-insensitive
    SpanContext parent = LLMObs.extract(incoming);
    assertEquals(caller.traceId(), parent.traceId());
    try (LLMObsSpan callee = LLMObs.span(SpanKind.WORKFLOW, "callee").parent(parent).start()) {
      LLMObs.task("callee-child").finish();
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> spans = intake.spans();
    Map<String, Object> callee = WireFormatTest.byName(spans, "callee");
    assertEquals(caller.traceId(), callee.get("trace_id"));
    assertEquals(caller.spanId(), callee.get("parent_id"));
    assertEquals("claim-1", callee.get("session_id"));
    assertTrue(((List<?>) callee.get("tags")).contains("ml_app:claims-assistant"));
    Map<String, Object> child = WireFormatTest.byName(spans, "callee-child");
    assertEquals(caller.traceId(), child.get("trace_id"));
    assertEquals(callee.get("span_id"), child.get("parent_id"));
  }

  @Test void extractFallsBackToTracestate() {
    Map<String, String> headers = new HashMap<>();
    try (LLMObsSpan s = LLMObs.workflow("caller")) {
      LLMObs.inject(headers);
    }
    SpanContext parent = LLMObs.extract(Map.of("tracestate", headers.get("tracestate")));
    assertEquals(LLMObs.extract(headers), parent);
  }

  @Test void extractWithoutLlmObsHeadersOrWithGarbageIsNull() {
    assertNull(LLMObs.extract(Map.of("x-datadog-trace-id", "123", "x-datadog-parent-id", "456")));
    assertNull(LLMObs.extract(Map.of("x-datadog-tags", "_dd.p.llmobs_trace_id=zz,_dd.p.llmobs_parent_id=1")));
    assertNull(LLMObs.extract(Map.of()));
  }
}
