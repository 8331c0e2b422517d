package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.internal.TracerHandle;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spans nobody finishes: at an invocation's end they are finished, sent with their trace and said once, and the
 * thread is left as the invocation found it; outside any invocation, they are bounded and counted.
 */
class OpenSpansTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    configure();
  }

  @AfterEach void stop() {
    intake.close();
  }

  void configure(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "LLMOBS_BUFFER_MAX_SPANS", "100000"));
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  static Recorder recorder() {
    return LLMObs.tracer().recorder;
  }

  @SuppressWarnings("unchecked")
  static List<String> tags(Map<String, Object> span) {
    return (List<String>) span.get("tags");
  }

  /** What the Lambda wrapper does around a handler. */
  static void invocation(String name, Runnable handler) {
    Object mark = TracerHandle.current().enterInvocation();
    LLMObsSpan root = LLMObs.span(SpanKind.WORKFLOW, name).root().start();
    handler.run();
    TracerHandle.current().endInvocation(mark, root, System.nanoTime());
    root.finish();
  }

  @Test void spansAHandlerLeftOpenAreFinishedSentWithTheirTraceAndSaidOnce() {
    try (LogCapture logs = new LogCapture()) {
      for (int i = 0; i < 3; i++) {
        int n = i;
        invocation("inv-" + i, () -> {
          LLMObs.task("forgotten-" + n).tag("k", "v"); // started current, never finished
          LLMObs.span(SpanKind.TOOL, "detached-" + n).startDetached(); // never finished either
        });
      }
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      assertEquals(9, r.spansSent(), r.toString());
      for (int i = 0; i < 3; i++) {
        Map<String, Object> root = intake.span("inv-" + i), forgotten = intake.span("forgotten-" + i);
        assertEquals(root.get("trace_id"), forgotten.get("trace_id"), "left with its trace");
        assertEquals(root.get("span_id"), forgotten.get("parent_id"));
        assertTrue(tags(forgotten).contains("llmobs.not_closed:invocation_end"), tags(forgotten).toString());
        assertTrue(tags(intake.span("detached-" + i)).contains("llmobs.not_closed:invocation_end"));
        assertEquals("undefined", root.get("parent_id"), "each invocation's root starts a trace of its own");
      }
      assertEquals(1, logs.lines().stream().filter(l -> l.contains("WARN") && l.contains("still open")).count(),
          logs.all());
      assertTrue(logs.all().contains("6 spans left open were finished by the SDK"), "counted in the summary: " + logs.all());
    }
    assertEquals(0, recorder().openSpans());
  }

  @Test void theThreadsCurrentSpanIsWhatItWasBeforeTheInvocation() {
    try (LLMObsSpan outer = LLMObs.workflow("outside")) {
      invocation("inv", () -> LLMObs.task("left-open"));
      assertSame(outer, LLMObs.currentSpan());
    }
    invocation("alone", () -> LLMObs.task("left-open-too"));
    assertSame(NoopSpan.class, LLMObs.currentSpan().getClass(), "no span current after the invocation");
  }

  @Test void outsideAnyInvocationOpenSpansAreBoundedAndTheOldestFinishedAndCounted() {
    configure("LLMOBS_MAX_OPEN_SPANS", "50");
    for (int i = 0; i < 5_000; i++) LLMObs.task("never-closed-" + i); // each the child of the one before
    assertTrue(recorder().openSpans() <= 50, "open: " + recorder().openSpans());
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(4_950, r.spansSent() + r.spansDropped(), r.toString());
    Map<String, Object> first = intake.span("never-closed-0");
    assertTrue(tags(first).contains("llmobs.not_closed:open_span_limit"), tags(first).toString());
  }

  @Test void aThreadsChainOfCurrentSpansStaysBoundedWhenSpansAreNeverClosed() {
    configure("DD_LLMOBS_SAMPLE_RATE", "0"); // sampled out: not even counted as open, so only the chain bounds them
    LLMObsSpan last = null;
    for (int i = 0; i < 10_000; i++) last = LLMObs.task("deep-" + i);
    assertSame(last, LLMObs.currentSpan());
    int depth = 0;
    for (Object mark = recorder().mark(); mark != null; depth++) mark = next(mark);
    assertTrue(depth <= Recorder.MAX_CHAIN, "chain of " + depth);
  }

  /** The frame below, read reflectively: the chain is the recorder's private business. */
  private static Object next(Object frame) {
    try {
      java.lang.reflect.Field below = frame.getClass().getDeclaredField("below");
      below.setAccessible(true);
      return below.get(frame);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test void aSpanFrozenWithItsTraceLetsGoOfItsParentButKeepsItsSession() {
    LLMObsSpan root = LLMObs.workflow("root").sessionId("s-1");
    LLMObsSpan child = LLMObs.task("child");
    child.finish();
    root.finish();
    assertNull(((RealSpan) child).parentSnapshot(), "the ancestry is no longer held");
    assertEquals("s-1", ((RealSpan) child).effectiveSessionId());
    LLMObs.flush(Duration.ofSeconds(2));
    assertEquals("s-1", intake.span("child").get("session_id"));
  }
}
