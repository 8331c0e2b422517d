package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake.Answer;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code LLMOBS_FLUSH_ACK=next}: a flush writes its spans to an agent on this machine and returns without waiting for
 * the answer; the next flush reads it and counts the spans then. The delivery rules hold across the two: each span
 * sent once or counted, nothing unconfirmed sent again, what the agent did not take sent again.
 */
class CarriedAnswerTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "LLMOBS_FLUSH_ACK", "next"));
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  @AfterEach void stop() {
    intake.close();
  }

  static void trace(String name) {
    try (LLMObsSpan root = LLMObs.workflow(name)) {
      LLMObs.task(name + "-child").finish();
    }
  }

  @Test void theAnswerIsReadAtTheNextFlushAndTheSpansCountedThen() {
    trace("a");
    FlushResult first = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(0, first.spansSent(), first.toString());
    assertEquals(2, first.spansInFlight(), "written, the answer left for the next flush");
    trace("b");
    FlushResult second = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(2, second.spansSent(), "a's answer read now: " + second);
    assertEquals(2, second.spansInFlight());
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent(), "b's, with nothing new");
    assertEquals(4, intake.acknowledgedSpans().size());
    assertEquals(4, intake.spans().stream().map(s -> s.get("span_id")).distinct().count(), "each once");
  }

  @Test void whatTheAgentDidNotTakeIsSentAgainAndArrivesOnce() {
    intake.answer(Answer.status(503));
    trace("a");
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansInFlight());
    FlushResult second = LLMObs.flush(Duration.ofSeconds(2)); // reads the 503, and sends a's spans again
    assertEquals(0, second.spansSent());
    assertEquals(2, second.spansInFlight(), second.toString());
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(2, intake.acknowledgedSpans().size(), "acknowledged once");
  }

  @Test void anAnswerThatNeverComesLeavesTheSpansUnconfirmedAndNeverSentAgain() throws Exception {
    java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    intake.onRequest(r -> {
      requests.incrementAndGet();
      arrived.countDown();
    });
    intake.answer(Answer.neverAnswer());
    trace("a");
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansInFlight());
    assertTrue(arrived.await(10, java.util.concurrent.TimeUnit.SECONDS), "the request reached the agent");
    FlushResult second = LLMObs.flush(Duration.ofMillis(200)); // gives the answer a sixteenth of its budget
    assertEquals(2, second.spansUnconfirmed(), second.toString());
    assertEquals(0, second.spansInFlight());
    FlushResult third = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(0, third.spansSent() + third.spansInFlight(), "never sent again: " + third);
    assertEquals(1, requests.get());
  }

  @Test void aConnectionThatCannotBeMadeKeepsTheSpansAsBefore() throws Exception {
    int port = intake.port();
    intake.close();
    trace("a");
    FlushResult r = LLMObs.flush(Duration.ofMillis(300));
    assertEquals(2, r.spansKept(), r.toString());
    assertEquals(0, r.spansInFlight());
    intake = new TestIntake(port);
    LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
  }

  @Test void theDefaultWaitsForTheAnswer() {
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()), false),
        new ManualClock());
    trace("a");
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(2, r.spansSent());
    assertEquals(0, r.spansInFlight());
    assertTrue(intake.acknowledgedSpans().size() == 2);
  }
}
