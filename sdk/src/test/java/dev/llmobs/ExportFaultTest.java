package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import dev.llmobs.testing.TestIntake.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The intake misbehaves; the caller still returns within its budget and no span that must be kept is lost. */
class ExportFaultTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  void configure(String origin, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "secret-key-123", "DD_LLMOBS_OVERRIDE_ORIGIN", origin));
    env.putAll(extra);
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  static void trace(String name) {
    try (LLMObsSpan wf = LLMObs.workflow(name)) {
      LLMObs.task(name + "-child").finish();
    }
  }

  @Test void intakeDownKeepsTheSpansUntilItComesBack() throws Exception {
    int port = intake.port();
    configure(intake.origin(), Map.of());
    intake.close(); // the intake goes down
    trace("a");
    FlushResult first = LLMObs.flush(Duration.ofMillis(300));
    assertEquals(0, first.spansSent());
    assertEquals(2, first.spansKept());

    intake = new TestIntake(port); // and comes back at the same address
    trace("b");
    FlushResult second = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(4, second.spansSent());
    assertEquals(4, intake.spans().size());
  }

  @Test void slowIntakePastTheBudgetReturnsInTimeAndNeverGetsTheSpansTwice() {
    CountDownLatch release = new CountDownLatch(1);
    configure(intake.origin(), Map.of());
    intake.answer(Answer.heldUntil(release));
    try {
      trace("slow");
      FlushResult r = LLMObs.flush(Duration.ofMillis(200));
      assertEquals(1, release.getCount(), "flush returned while the intake still held the response");
      assertEquals(0, r.spansSent());
      assertEquals(2, r.spansUnconfirmed(), "written, never answered: the intake may have them");
      assertEquals(0, r.spansKept());
    } finally {
      release.countDown();
    }
    trace("next");
    FlushResult again = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(2, again.spansSent(), "only the new trace");
    assertEquals(2, intake.requestsTo("/api/v2/llmobs").size(), "the unanswered batch was not sent again");
  }

  @Test void serverErrorThenSuccessIsRetriedWithinTheBudget() {
    configure(intake.origin(), Map.of());
    intake.answer(Answer.status(500));
    trace("retry");
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(2, r.spansSent());
    assertEquals(2, intake.requestsTo("/api/v2/llmobs").size());
  }

  @Test void throttlingKeepsTheBatchWhenRetriesRunOut() {
    configure(intake.origin(), Map.of());
    intake.always(429);
    trace("throttled");
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(0, r.spansSent());
    assertEquals(2, r.spansKept());
    assertEquals(3, intake.requestsTo("/api/v2/llmobs").size(), "three attempts");
    intake.always(202);
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(5)).spansSent());
  }

  @Test void forbiddenDropsTheBatchAndSaysSoOnceWithoutTheKey() {
    try (LogCapture logs = new LogCapture()) {
      configure(intake.origin(), Map.of());
      intake.always(403);
      trace("a");
      FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
      assertEquals(2, r.spansDropped());
      assertEquals(0, r.spansKept());
      trace("b");
      LLMObs.flush(Duration.ofSeconds(5));
      long warns = logs.lines().stream().filter(l -> l.contains("WARN") && l.contains("HTTP 403")).count();
      assertEquals(1, warns, logs.all());
      assertTrue(logs.contains("check DD_API_KEY"));
      assertFalse(logs.all().contains("secret-key-123"));
      assertEquals(2, intake.requests().size(), "a 4xx is not retried");
    }
  }

  @Test void payloadTooLargeDropsTheBatchAndCountsIt() {
    configure(intake.origin(), Map.of());
    intake.always(413);
    trace("big");
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(2, r.spansDropped());
  }

  @Test void garbageResponseLeavesTheSpansUnconfirmedAndUnsentAgain() throws Exception {
    try (ServerSocket garbage = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        while (!garbage.isClosed()) {
          try (Socket s = garbage.accept()) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            in.read(buf);
            OutputStream out = s.getOutputStream();
            out.write("this is not HTTP\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException e) {
            return;
          }
        }
      });
      server.setDaemon(true);
      server.start();
      configure("http://127.0.0.1:" + garbage.getLocalPort(), Map.of());
      trace("garbled");
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      assertEquals(0, r.spansSent());
      assertEquals(2, r.spansUnconfirmed(), "the request was written: the peer may have it");
      assertEquals(0, r.spansKept());
    }
  }

  @Test void keptSpansAreBoundedAndTheOldestAreDroppedFirst() {
    configure(intake.origin(), Map.of("LLMOBS_BUFFER_MAX_SPANS", "3"));
    intake.always(503);
    LLMObs.workflow("oldest").finish();
    LLMObs.flush(Duration.ofSeconds(2));
    LLMObs.workflow("middle").finish();
    LLMObs.workflow("newer").finish();
    LLMObs.workflow("newest").finish();
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(3, r.spansKept());
    assertEquals(1, r.spansDropped());
    intake.always(202);
    intake.clear();
    FlushResult last = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(3, last.spansSent());
    assertEquals(3, intake.spans().size());
    for (Map<String, Object> s : intake.spans()) assertFalse("oldest".equals(s.get("name")));
  }

  @Test void spansWaitingForAFlushAreBoundedInBytesOldestFirst() {
    configure(intake.origin(), Map.of("LLMOBS_BUFFER_MAX_BYTES", "10000"));
    for (int i = 0; i < 5; i++) {
      try (LLMObsSpan s = LLMObs.workflow("big-" + i)) {
        s.input("x".repeat(3000));
      }
    }
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(3, r.spansSent());
    assertEquals(2, r.spansDropped());
    for (Map<String, Object> s : intake.spans()) {
      assertFalse(s.get("name").equals("big-0") || s.get("name").equals("big-1"), "the oldest went first");
    }
  }

  @Test void zeroBudgetSkipsTheNetworkAndKeepsEverything() {
    configure(intake.origin(), Map.of());
    trace("later");
    FlushResult r = LLMObs.flush(Duration.ZERO);
    assertEquals(2, r.spansKept());
    assertTrue(intake.requests().isEmpty());
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(5)).spansSent());
  }

  @Test void aPooledConnectionThatDiedIsReplacedTransparently() throws Exception {
    configure(intake.origin(), Map.of());
    trace("first");
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(5)).spansSent());
    // The server side of the pooled keep-alive connection goes away, as it can during a Lambda freeze.
    int port = intake.port();
    intake.close();
    intake = new TestIntake(port);
    trace("second");
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(5)).spansSent());
    assertEquals(2, intake.spans().size());
  }
}
