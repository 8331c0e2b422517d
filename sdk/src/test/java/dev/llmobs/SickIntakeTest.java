package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.Lateness;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake.Answer;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An intake that stays sick (refusing, or answering after the budget) costs an invocation little once that is
 * established, and what was kept meanwhile leaves in order, once, when it answers again.
 */
class SickIntakeTest {
  /** How late this machine wakes threads now: added to every time bound (a busy machine is not our fault). */
  final Lateness late = Lateness.watch();
  TestIntake intake;
  final CountDownLatch never = new CountDownLatch(1);

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    late.close();
    never.countDown();
    intake.close();
  }

  void configure() {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()));
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  static void invocation(int i) {
    try (LLMObsSpan root = LLMObs.workflow("root-" + i)) {
      LLMObs.task("child-" + i).finish();
    }
  }

  static long median(List<Long> v) {
    List<Long> c = new ArrayList<>(v);
    Collections.sort(c);
    return c.get(c.size() / 2);
  }

  /** Flushes until the intake has {@code spans}, at most {@code flushes} times; returns the results. */
  static List<FlushResult> drain(TestIntake intake, int spans, int flushes) {
    List<FlushResult> out = new ArrayList<>();
    for (int k = 0; k < flushes && intake.spans().size() < spans; k++) out.add(LLMObs.flush(Duration.ofSeconds(2)));
    return out;
  }

  @Test void aRefusingIntakeCostsAnInvocationAlmostNothingAndGetsEverythingInOrderWhenItIsBack() throws Exception {
    int port = intake.port();
    configure();
    intake.close(); // nothing listens: every connection is refused
    int invocations = 40, budgetMs = 300;
    List<Long> later = new ArrayList<>();
    int sent = 0, dropped = 0, unconfirmed = 0;
    for (int i = 0; i < invocations; i++) {
      invocation(i);
      FlushResult r = LLMObs.flush(Duration.ofMillis(budgetMs));
      if (i >= 3) later.add(r.durationNanos() / 1_000_000);
      sent += r.spansSent();
      dropped += r.spansDropped();
      unconfirmed += r.spansUnconfirmed();
      if (i == invocations - 1) assertEquals(2 * invocations, r.spansKept(), "all kept: " + r);
    }
    assertTrue(median(later) < 5 + late.worstMillis(), "a flush after three refused ones: " + later);
    assertTrue(Collections.max(later) < budgetMs / 10 + late.worstMillis(), "no flush pays retries and their sleeps: " + later);

    intake = new TestIntake(port); // back at the same address
    for (FlushResult r : drain(intake, 2 * invocations, 20)) {
      sent += r.spansSent();
      dropped += r.spansDropped();
      unconfirmed += r.spansUnconfirmed();
    }
    assertEquals(2 * invocations, sent);
    assertEquals(0, dropped + unconfirmed);
    List<Map<String, Object>> spans = intake.spans();
    assertEquals(2 * invocations, spans.size(), "each once");
    for (int i = 0; i < invocations; i++) { // in order: a trace's child, then its root, trace after trace
      assertEquals("child-" + i, spans.get(2 * i).get("name"));
      assertEquals("root-" + i, spans.get(2 * i + 1).get("name"));
    }
  }

  @Test void anIntakeAnsweringAfterTheBudgetCostsAProbingInvocationUnderATenthOfItsBudget() {
    configure();
    intake.always(Answer.heldUntil(never)); // takes every request, answers none in time
    int invocations = 30, budgetMs = 500;
    List<Long> later = new ArrayList<>();
    int unconfirmed = 0, sent = 0;
    for (int i = 0; i < invocations; i++) {
      invocation(i);
      FlushResult r = LLMObs.flush(Duration.ofMillis(budgetMs));
      if (i >= 3) later.add(r.durationNanos() / 1_000_000);
      unconfirmed += r.spansUnconfirmed();
      sent += r.spansSent();
    }
    assertEquals(3, intake.requestsTo("/api/v2/llmobs").size(), "three flushes tried, then only probes");
    assertTrue(intake.probes() >= 2, "it is asked from time to time: " + intake.probes());
    assertTrue(Collections.max(later) < budgetMs / 10 + late.worstMillis(), "no later flush pays a tenth of its budget: " + later);
    assertEquals(6, unconfirmed, "the three requests written and never answered: never sent again");

    intake.always(202); // answers at once again
    for (FlushResult r : drain(intake, 2 * invocations - 6, 20)) sent += r.spansSent();
    assertEquals(2 * invocations - 6, sent);
    assertEquals(2 * invocations - 6, intake.acknowledgedSpans().size(), "each kept span once");
  }
}
