package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user-facing API: kinds, nesting, current span, functional forms, detached spans, disabled mode. */
class SpanApiTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "app"), false), new ManualClock());
  }

  @AfterEach void stop() {
    intake.close();
  }

  List<Map<String, Object>> flushed() {
    LLMObs.flush(Duration.ofSeconds(5));
    return intake.spans();
  }

  static Map<String, Object> byName(List<Map<String, Object>> spans, String name) {
    return WireFormatTest.byName(spans, name);
  }

  static String kindOf(Map<String, Object> span) {
    return (String) WireFormatTest.map(WireFormatTest.map(span.get("meta")).get("span")).get("kind");
  }

  @Test void everyKindCanBeCreatedInlineAndFunctionally() throws Exception {
    LLMObs.workflow("workflow").finish();
    LLMObs.task("task").finish();
    LLMObs.tool("tool").finish();
    LLMObs.agent("agent").finish();
    LLMObs.retrieval("retrieval").finish();
    LLMObs.llm("llm", "m", "p").finish();
    LLMObs.embedding("embedding", "m", "p").finish();
    assertEquals(1, LLMObs.workflow("f-wf", () -> 1));
    assertEquals(2, LLMObs.task("f-task", () -> 2));
    assertEquals(3, LLMObs.tool("f-tool", () -> 3));
    assertEquals(4, LLMObs.agent("f-agent", () -> 4));
    assertEquals(5, LLMObs.retrieval("f-retrieval", () -> 5));
    LLMObs.task("f-runnable", () -> { });
    java.util.concurrent.Callable<String> callable = () -> "from callable";
    assertEquals("from callable", LLMObs.task("f-callable", callable::call));
    java.util.function.Supplier<String> supplier = () -> "from supplier";
    assertEquals("from supplier", LLMObs.task("f-supplier", supplier::get));
    Runnable runnable = () -> { };
    LLMObs.task("f-runnable-object", runnable::run);
    assertEquals("llm-result", LLMObs.span(SpanKind.LLM, "f-llm").modelName("m").call(() -> "llm-result"));

    List<Map<String, Object>> spans = flushed();
    assertEquals(17, spans.size());
    for (SpanKind k : SpanKind.values()) {
      String n = k.wireName();
      assertEquals(n, kindOf(byName(spans, n)));
    }
    assertEquals("task", kindOf(byName(spans, "f-supplier")));
    assertEquals(Map.of("value", "2"), WireFormatTest.map(byName(spans, "f-task").get("meta")).get("output"),
        "a functional span's result becomes its output");
  }

  @Test void nestedSpansShareTheTraceAndPointAtTheirParent() {
    try (LLMObsSpan root = LLMObs.workflow("root")) {
      assertSame(root, LLMObs.currentSpan());
      try (LLMObsSpan child = LLMObs.task("child")) {
        assertSame(child, LLMObs.currentSpan());
        LLMObs.tool("grandchild").finish();
      }
      assertSame(root, LLMObs.currentSpan());
    }
    assertFalse(LLMObs.currentSpan().isRecording(), "no span is current after the root closes");
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> root = byName(spans, "root"), child = byName(spans, "child"), gc = byName(spans, "grandchild");
    assertEquals(root.get("trace_id"), child.get("trace_id"));
    assertEquals(root.get("trace_id"), gc.get("trace_id"));
    assertEquals(root.get("span_id"), child.get("parent_id"));
    assertEquals(child.get("span_id"), gc.get("parent_id"));
  }

  @Test void separateRootsAreSeparateTraces() {
    LLMObs.workflow("a").finish();
    LLMObs.workflow("b").finish();
    List<Map<String, Object>> spans = flushed();
    assertNotEquals(byName(spans, "a").get("trace_id"), byName(spans, "b").get("trace_id"));
    assertEquals("undefined", byName(spans, "b").get("parent_id"));
  }

  @Test void functionalFormRecordsTheErrorAndRethrowsTheSameException() {
    IOException thrown = new IOException("disk gone");
    IOException caught = assertThrows(IOException.class, () -> LLMObs.task("failing", () -> {
      throw thrown;
    }));
    assertSame(thrown, caught);
    Error err = new AssertionError("bad");
    assertSame(err, assertThrows(AssertionError.class, () -> LLMObs.workflow("failing-runnable", () -> {
      throw err;
    })));
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> span = byName(spans, "failing");
    assertEquals("error", span.get("status"));
    Map<String, Object> error = WireFormatTest.map(WireFormatTest.map(span.get("meta")).get("error"));
    assertEquals("java.io.IOException", error.get("type"));
    assertEquals("disk gone", error.get("message"));
    assertEquals("error", byName(spans, "failing-runnable").get("status"));
  }

  @Test void inlineFormRecordsAnExplicitError() {
    RuntimeException boom = new IllegalArgumentException("no");
    RuntimeException caught = assertThrows(RuntimeException.class, () -> {
      try (LLMObsSpan span = LLMObs.workflow("inline")) {
        try {
          throw boom;
        } catch (RuntimeException e) {
          span.error(e);
          throw e;
        }
      }
    });
    assertSame(boom, caught);
    assertEquals("error", flushed().get(0).get("status"));
  }

  @Test void finishingTwiceIsHarmlessAndSendsOnce() {
    LLMObsSpan s = LLMObs.workflow("twice");
    s.finish();
    s.finish();
    s.close();
    assertEquals(1, flushed().size());
  }

  @Test void annotatingAFinishedSpanDoesNothingButLogOnce() {
    try (LogCapture logs = new LogCapture()) {
      LLMObsSpan s = LLMObs.workflow("done");
      s.input("before");
      s.finish();
      s.input("after").output("after").metadata("k", "v").metric("m", 1).tag("t", "v");
      Map<String, Object> span = flushed().get(0);
      Map<String, Object> meta = WireFormatTest.map(span.get("meta"));
      assertEquals(Map.of("value", "before"), meta.get("input"));
      assertFalse(meta.containsKey("output"));
      assertFalse(meta.containsKey("metadata"));
      assertEquals(Map.of(), span.get("metrics"));
      long warnings = logs.lines().stream().filter(l -> l.contains("WARN") && l.contains("already finished")).count();
      assertEquals(1, warnings, logs.all());
    }
  }

  @Test void aCurrentSpanFinishedOnAnotherThreadLeavesItsParentCurrentHere() throws Exception {
    // As a LangChain4j streaming call does: its span is made current on the caller's thread and ends on the model's.
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      LLMObsSpan streamed = LLMObs.span(SpanKind.WORKFLOW, "langchain4j.chat").start();
      Thread model = new Thread(streamed::finish);
      model.start();
      model.join();
      assertSame(root, LLMObs.currentSpan(), "the caller's span is current again, not nothing");
      LLMObs.task("after").finish();
    }
    List<Map<String, Object>> spans = flushed();
    assertEquals(byName(spans, "handler").get("span_id"), byName(spans, "after").get("parent_id"),
        "a span started after it is the caller's span's child, in the same trace");
  }

  @Test void spansFinishedOutOfOrderOnTheirThreadLeaveTheRightSpanCurrent() {
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      LLMObsSpan a = LLMObs.task("a");
      LLMObsSpan b = LLMObs.task("b");
      a.finish(); // before its child
      assertSame(b, LLMObs.currentSpan());
      b.finish();
      assertSame(root, LLMObs.currentSpan(), "a was finished: its parent is current");
    }
  }

  @Test void aDetachedSpanIsAnnotatedAndFinishedOnAnotherThread() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (LLMObsSpan root = LLMObs.workflow("root")) {
      LLMObsSpan detached = LLMObs.span(SpanKind.TOOL, "callback").startDetached();
      assertSame(root, LLMObs.currentSpan(), "a detached span does not become current");
      pool.submit(() -> {
        detached.input("on another thread").output("done");
        detached.finish();
      }).get();
    } finally {
      pool.shutdownNow();
    }
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> cb = byName(spans, "callback");
    assertEquals(byName(spans, "root").get("span_id"), cb.get("parent_id"));
    assertEquals(Map.of("value", "on another thread"), WireFormatTest.map(cb.get("meta")).get("input"));
  }

  @Test void explicitParentAndWrapNestParallelToolCalls() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (LLMObsSpan agent = LLMObs.agent("planner")) {
      Future<?> a = pool.submit(LLMObs.wrap(() -> LLMObs.tool("search", () -> "found")));
      Future<?> b = pool.submit(() -> {
        try (LLMObsSpan t = LLMObs.tool("calc").parent(agent)) {
          t.output("4");
        }
      });
      Future<String> c = pool.submit(LLMObs.wrap(() -> LLMObs.task("callable-in-pool", () -> "x")));
      a.get();
      b.get();
      assertEquals("x", c.get());
    } finally {
      pool.shutdownNow();
    }
    List<Map<String, Object>> spans = flushed();
    Object agentId = byName(spans, "planner").get("span_id");
    Object traceId = byName(spans, "planner").get("trace_id");
    for (String n : List.of("search", "calc", "callable-in-pool")) {
      assertEquals(agentId, byName(spans, n).get("parent_id"), n);
      assertEquals(traceId, byName(spans, n).get("trace_id"), n);
    }
  }

  @Test void reparentingASpanWithChildrenIsRefused() {
    try (LogCapture logs = new LogCapture()) {
      LLMObsSpan other = LLMObs.span(SpanKind.WORKFLOW, "other").startDetached();
      try (LLMObsSpan s = LLMObs.workflow("has-children")) {
        LLMObs.task("c").finish();
        s.parent(other);
      }
      other.finish();
      assertEquals("undefined", byName(flushed(), "has-children").get("parent_id"));
      assertTrue(logs.contains("already has children"));
    }
  }

  @Test void disabledSdkRunsUserCodeAndSendsNothing() throws Exception {
    LLMObs.configure(Map.of("DD_LLMOBS_ENABLED", "false", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef"));
    assertFalse(LLMObs.isEnabled());
    AtomicBoolean ran = new AtomicBoolean();
    assertEquals(7, LLMObs.workflow("w", () -> {
      ran.set(true);
      return 7;
    }));
    assertTrue(ran.get());
    try (LLMObsSpan s = LLMObs.llm("l", "m", "p")) {
      s.input("x").output("y").metric("m", 1).tag("a", "b").error(new RuntimeException());
      assertFalse(s.isRecording());
    }
    RuntimeException boom = new RuntimeException("still thrown");
    assertSame(boom, assertThrows(RuntimeException.class, () -> LLMObs.task("t", () -> {
      throw boom;
    })));
    LLMObs.submitEvaluation(Evaluation.score("s", 1).forTag("a", "b"));
    assertEquals(0, LLMObs.flush(Duration.ofSeconds(1)).spansSent());
    assertTrue(intake.requests().isEmpty());
  }

  @Test void ioCaptureCanBeTurnedOff() {
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "LLMOBS_CAPTURE_IO", "false"), false), new ManualClock());
    try (LLMObsSpan s = LLMObs.workflow("private")) {
      s.input("secret question").output("secret answer").metadata("kept", 1);
    }
    Map<String, Object> meta = WireFormatTest.map(flushed().get(0).get("meta"));
    assertFalse(meta.containsKey("input"));
    assertFalse(meta.containsKey("output"));
    assertEquals(Map.of("kept", 1), meta.get("metadata"));
  }
}
