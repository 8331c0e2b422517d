package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.Lateness;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestCerts;
import dev.llmobs.testing.TestIntake.Answer;
import dev.llmobs.testing.TestIntake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intakes that misbehave the way real peers do. Every flush returns within its budget plus a small slack, whatever
 * the peer does; every span is delivered once or counted (kept for retry, dropped, unconfirmed); none is
 * acknowledged twice.
 */
class FlushDeadlineTest {
  /** How late this machine wakes threads now: added to every time bound (a busy machine is not our fault). */
  final Lateness late = Lateness.watch();
  static final long BUDGET_MS = 300;
  /** Scheduling noise on a shared two-core machine; without the deadline these flushes take seconds or forever. */
  static final long SLACK_MS = 150;
  static final String API_KEY = "9f3c1a7be2d84c0f95a6e1b7d3c2f480";

  @TempDir Path dir;
  TestIntake intake;

  @AfterEach void stop() {
    late.close();
    if (intake != null) intake.close();
  }

  void configure(String origin, String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", API_KEY,
        "DD_LLMOBS_OVERRIDE_ORIGIN", origin));
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  static void trace(String name) {
    try (LLMObsSpan wf = LLMObs.workflow(name)) {
      wf.input("question " + name);
      LLMObs.task(name + "-child").finish();
    }
  }

  /** Flushes with the budget and asserts it was kept. */
  FlushResult boundedFlush() {
    long start = System.nanoTime();
    FlushResult r = LLMObs.flush(Duration.ofMillis(BUDGET_MS));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(took <= BUDGET_MS + SLACK_MS + late.worstMillis(), "flush took " + took + " ms with a " + BUDGET_MS + " ms budget");
    return r;
  }

  static void assertAccounted(FlushResult r, int spans) {
    assertEquals(spans, r.spansSent() + r.spansKept() + r.spansDropped() + r.spansUnconfirmed(), r.toString());
  }

  void assertNoSpanAcknowledgedTwice() {
    Set<Object> ids = new HashSet<>();
    for (Map<String, Object> s : intake.acknowledgedSpans()) {
      assertTrue(ids.add(s.get("span_id")), "acknowledged twice: " + s.get("name"));
    }
  }

  /** The intake is well again: what was kept goes now, what was unconfirmed never goes again. */
  void healAndCheck(int expectedSent) {
    intake.always(202);
    FlushResult after = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(expectedSent, after.spansSent(), after.toString());
    assertNoSpanAcknowledgedTwice();
  }

  @Test void replyTrickledAByteAtATimeIsCutAtTheDeadline() throws Exception {
    intake = new TestIntake().always(Answer.trickle(202, 20)); // ~90 bytes: about 2 s
    configure(intake.origin());
    trace("trickled");
    FlushResult r = boundedFlush();
    assertAccounted(r, 2);
    assertEquals(2, r.spansUnconfirmed(), "written, answer incomplete: " + r);
    healAndCheck(0);
  }

  @Test void endlessTrickleIsCutAtTheDeadline() throws Exception {
    intake = new TestIntake().always(Answer.trickleForever(5));
    configure(intake.origin());
    trace("endless");
    FlushResult r = boundedFlush();
    assertAccounted(r, 2);
    assertEquals(0, r.spansKept(), "the request was written whole: never sent again");
    healAndCheck(0);
  }

  @Test void shortTrickled503IsRetriedWithinTheBudget() throws Exception {
    intake = new TestIntake().answer(Answer.trickle(503, 1)); // about 100 ms, the status line in the first 25
    configure(intake.origin());
    trace("unavailable");
    FlushResult r = boundedFlush();
    assertAccounted(r, 2);
    assertEquals(0, r.spansUnconfirmed(), "503 says the intake did not take it: " + r);
    healAndCheck(r.spansKept());
    assertEquals(2, intake.acknowledgedSpans().size());
  }

  @Test void peerThatNeverReadsALargeRequestCannotBlockTheWrite() throws Exception {
    intake = new TestIntake().answer(Answer.neverRead());
    configure(intake.origin(), "DD_LLMOBS_EVENT_SIZE_BYTES", "40000000", "DD_LLMOBS_PAYLOAD_SIZE_BYTES", "40000000");
    try (LLMObsSpan wf = LLMObs.workflow("large")) {
      wf.input("x".repeat(16_000_000)); // four times more than loopback's socket buffers hold (a few MB each side)
    }
    // A budget that covers encoding 16 MB on a cold JVM, so that the write is what meets the deadline.
    long budget = 1500, start = System.nanoTime();
    FlushResult r = LLMObs.flush(Duration.ofMillis(budget));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(took <= budget + SLACK_MS + late.worstMillis(), "flush took " + took + " ms");
    assertEquals(0, intake.requests().size(), "the peer read nothing");
    assertEquals(1, r.spansKept(), "not completely written: the peer cannot have it, so it is kept: " + r);
    healAndCheck(1);
  }

  @Test void spansLeftUnencodedWhenTheBudgetRunsOutGoAtTheNextFlush() throws Exception {
    intake = new TestIntake();
    configure(intake.origin());
    trace("first");
    FlushResult none = LLMObs.flush(Duration.ZERO);
    assertEquals(2, none.spansKept(), none.toString());
    assertEquals(0, intake.requests().size());
    healAndCheck(2);
  }

  @Test void peerThatNeverAnswersLeavesTheSpansUnconfirmed() throws Exception {
    intake = new TestIntake().answer(Answer.neverAnswer());
    configure(intake.origin());
    trace("silent");
    FlushResult r = boundedFlush();
    assertEquals(2, r.spansUnconfirmed(), r.toString());
    healAndCheck(0);
  }

  @Test void answerAfterTheBudgetIsNeverFollowedByASecondCopy() throws Exception {
    CountDownLatch late = new CountDownLatch(1);
    intake = new TestIntake().answer(Answer.heldUntil(late));
    configure(intake.origin());
    trace("late");
    FlushResult r = boundedFlush();
    late.countDown(); // the intake answers 202 after the flush gave up
    assertEquals(2, r.spansUnconfirmed(), r.toString());
    trace("later");
    healAndCheck(2);
    assertEquals(2, intake.requestsTo("/api/v2/llmobs").size(), "the late batch was not sent again");
  }

  @Test void halfCloseAfterTheRequestLeavesItUnconfirmed() throws Exception {
    intake = new TestIntake().answer(Answer.halfClose());
    configure(intake.origin());
    trace("half-closed");
    FlushResult r = boundedFlush();
    assertEquals(2, r.spansUnconfirmed(), r.toString());
    healAndCheck(0);
  }

  @Test void resetAfterTheRequestLeavesItUnconfirmed() throws Exception {
    intake = new TestIntake().answer(Answer.reset());
    configure(intake.origin());
    trace("reset");
    FlushResult r = boundedFlush();
    assertEquals(2, r.spansUnconfirmed(), r.toString());
    healAndCheck(0);
  }

  @Test void garbageInsteadOfHttpLeavesItUnconfirmed() throws Exception {
    intake = new TestIntake().answer(Answer.raw("\u0000\u0001 not http at all\r\n\r\n"));
    configure(intake.origin());
    trace("garbage");
    FlushResult r = boundedFlush();
    assertEquals(2, r.spansUnconfirmed(), r.toString());
    healAndCheck(0);
  }

  @Test void throttlingThenSuccessIsDeliveredOnceWithinTheBudget() throws Exception {
    intake = new TestIntake().answer(Answer.status(429), Answer.status(500), Answer.status(503));
    configure(intake.origin(), "LLMOBS_FLUSH_TIMEOUT_MS", "2000");
    trace("throttled");
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    // Three attempts per batch per flush: 429 and 500 retried at once, 503 handed to the next flush.
    assertEquals(2, r.spansKept(), r.toString());
    healAndCheck(2);
    assertEquals(4, intake.requestsTo("/api/v2/llmobs").size());
  }

  @Test void unreachableIntakeKeepsTheSpans() throws Exception {
    intake = new TestIntake();
    String origin = intake.origin();
    int port = intake.port();
    intake.close();
    configure(origin);
    trace("down");
    FlushResult r = boundedFlush();
    assertEquals(2, r.spansKept(), r.toString());
    intake = new TestIntake(port);
    healAndCheck(2);
  }

  @Test void stalledTlsHandshakeIsCutAtTheDeadlineAndNothingIsLost() throws Exception {
    intake = TestIntake.https(TestCerts.serverContext(dir)).answer(Answer.neverRead());
    configure(intake.origin());
    trace("tls-stall");
    long start = System.nanoTime();
    FlushResult r = boundedFlush();
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(BUDGET_MS - 20), "waited for the peer");
    assertEquals(2, r.spansKept(), "no TLS session, nothing sent: " + r);
  }

  @Test void aReplyEchoingTheRequestLogsNoFragmentOfTheApiKey() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      intake = new TestIntake().answer(Answer.echo());
      configure(intake.origin(), "LLMOBS_LOG_LEVEL", "debug");
      trace("echoed");
      FlushResult r = boundedFlush();
      assertEquals(2, r.spansUnconfirmed(), r.toString());
      assertTrue(logs.contains("not an HTTP response"), logs.all());
      assertNoFragmentOfTheKey(logs.all());
    }
  }

  @Test void aRefusalQuotingTheKeyLogsNoFragmentOfIt() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      String quoted = "{\"errors\":[\"API key " + API_KEY.substring(0, 20) + "... (" + API_KEY.toUpperCase()
          + ") is invalid, partial " + API_KEY.substring(9, 18) + "\"]}";
      intake = new TestIntake().always(Answer.status(403, quoted));
      configure(intake.origin(), "LLMOBS_LOG_LEVEL", "debug");
      trace("a");
      trace("b");
      LLMObs.flush(Duration.ofSeconds(1));
      trace("c");
      FlushResult r = LLMObs.flush(Duration.ofSeconds(1));
      assertEquals(2, r.spansDropped());
      assertTrue(logs.contains("HTTP 403"), logs.all());
      assertTrue(logs.contains("check DD_API_KEY"), logs.all());
      assertNoFragmentOfTheKey(logs.all());
    }
  }

  static void assertNoFragmentOfTheKey(String text) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (int i = 0; i + 8 <= API_KEY.length(); i++) {
      assertFalse(lower.contains(API_KEY.substring(i, i + 8)), "log shows " + API_KEY.substring(i, i + 8) + ":\n" + text);
    }
  }

  @Test void aFlushWithNothingToDoIsFreeOfTheNetwork() throws Exception {
    intake = new TestIntake();
    configure(intake.origin());
    FlushResult r = LLMObs.flush(Duration.ofMillis(BUDGET_MS));
    assertEquals(0, r.spansSent());
    assertEquals(List.of(), intake.requests().stream().map(q -> q.path).toList());
  }
}
