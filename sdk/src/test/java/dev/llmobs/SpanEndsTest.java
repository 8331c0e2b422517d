package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmobs.internal.Config;
import dev.llmobs.internal.TracerHandle;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An integration may note when a span's work ended, annotate it after, and finish it later: the work's end counts. */
class SpanEndsTest {
  TestIntake intake;
  ManualClock clock = new ManualClock();

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()), false), clock);
  }

  @AfterEach void stop() {
    intake.close();
  }

  @Test void aSpanFinishedAfterItsMarkedEndLastsUntilTheMarkAndKeepsLaterAnnotations() {
    LLMObsSpan tool = LLMObs.span(SpanKind.TOOL, "get_claim").startDetached();
    clock.advanceNanos(7_000_000);
    TracerHandle.current().markEnd(tool);
    clock.advanceNanos(50_000_000); // the verdict comes later
    TracerHandle.current().markEnd(tool); // a second mark keeps the first
    tool.error("ToolExecutionError", "claims system down");
    tool.finish();
    LLMObs.flush(Duration.ofSeconds(5));
    Map<String, Object> span = intake.span("get_claim");
    assertEquals(7_000_000L, ((Number) span.get("duration")).longValue());
    assertEquals("error", span.get("status"));
  }

  @Test void anUnmarkedSpanLastsUntilItFinishes() {
    LLMObsSpan task = LLMObs.span(SpanKind.TASK, "plain").startDetached();
    clock.advanceNanos(9_000_000);
    task.finish();
    TracerHandle.current().markEnd(task); // after finishing: nothing changes
    LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(9_000_000L, ((Number) intake.span("plain").get("duration")).longValue());
  }
}
