package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.Lateness;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A span processor redacts, rewrites or drops spans just before they are encoded, on the flushing thread. */
class SpanProcessorTest {
  /** How late this machine wakes threads now: added to every time bound (a busy machine is not our fault). */
  final Lateness late = Lateness.watch();
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    configure();
  }

  @AfterEach void stop() {
    late.close();
    intake.close();
  }

  void configure(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()));
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  static String redact(String s) {
    return s == null ? null : s.replaceAll("[\\w.]+@[\\w.]+", "[email]");
  }

  static final SpanProcessor REDACT_EMAILS = span -> {
    FinishedSpan out = span.withInputText(redact(span.inputText())).withOutputText(redact(span.outputText()));
    if (span.inputMessages() != null) {
      List<Message> in = new ArrayList<>();
      for (Message m : span.inputMessages()) in.add(Message.of(m.role(), redact(m.content())));
      out = out.withInputMessages(in);
    }
    Map<String, Object> md = new HashMap<>(span.metadata());
    md.replaceAll((k, v) -> v instanceof String ? redact((String) v) : v);
    return out.withMetadata(md).withTag("redacted", "true");
  };

  @SuppressWarnings("unchecked")
  static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

  Map<String, Object> only(String name) {
    for (Map<String, Object> s : intake.spans()) if (name.equals(s.get("name"))) return s;
    throw new AssertionError("no span " + name);
  }

  @Test void redactsInputsOutputsMessagesMetadataAndAddsATag() {
    Thread[] ranOn = new Thread[1];
    LLMObs.registerProcessor(span -> {
      ranOn[0] = Thread.currentThread();
      return REDACT_EMAILS.process(span);
    });
    try (LLMObsSpan wf = LLMObs.workflow("wf")) {
      wf.input("mail ana@example.org").output("sent to bo@example.org").metadata("from", "ana@example.org");
      LLMObs.llm("llm", "m", "p").inputMessages(List.of(Message.user("I am ana@example.org"))).finish();
    }
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(Thread.currentThread(), ranOn[0], "on the flushing thread");
    Map<String, Object> wf = only("wf");
    assertEquals(Map.of("value", "mail [email]"), meta(wf).get("input"));
    assertEquals(Map.of("value", "sent to [email]"), meta(wf).get("output"));
    assertEquals(Map.of("from", "[email]"), meta(wf).get("metadata"));
    assertTrue(((List<?>) wf.get("tags")).contains("redacted:true"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "user", "content", "I am [email]"))), meta(only("llm")).get("input"));
    assertFalse(intake.requests().get(0).bodyText().contains("@example.org"), "no address left the process");
  }

  @Test void tagsAProcessorSetsAreCheckedAsTagsSetWhileRecording() {
    try (LogCapture logs = new LogCapture()) {
      LLMObs.registerProcessor(span -> span.withTag("team:claims", "a").withTag("ml_app", "other").withTag("", "x")
          .withTag("kept", "1").withTag("kept", null));
      LLMObs.workflow("wf").finish();
      LLMObs.flush(Duration.ofSeconds(2));
      List<?> tags = (List<?>) only("wf").get("tags");
      assertTrue(tags.contains("team_claims:a"), "':' in a key becomes '_', as span.tag does: " + tags);
      assertFalse(tags.stream().anyMatch(t -> t.toString().startsWith("ml_app:other")), "reserved: " + tags);
      assertFalse(tags.stream().anyMatch(t -> t.toString().startsWith("kept:")), "null removes: " + tags);
      assertTrue(logs.contains("splits key from value"), logs.all());
      assertTrue(logs.contains("'ml_app' is reserved"), logs.all());
    }
  }

  @Test void aProcessorCanDropASpanAndTheDropIsCounted() {
    LLMObs.registerProcessor(span -> span.name().startsWith("health") ? null : span);
    LLMObs.workflow("health-check").finish();
    LLMObs.workflow("answer").finish();
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(1, r.spansSent());
    assertEquals(1, r.spansDropped());
    assertEquals(1, intake.spans().size());
  }

  @Test void aProcessorThatThrowsLeavesTheSpanAsItWasAndIsReportedOnce() {
    try (LogCapture logs = new LogCapture()) {
      LLMObs.registerProcessor(span -> {
        throw new IllegalStateException("processor bug");
      });
      LLMObs.workflow("a").finish();
      LLMObs.workflow("b").finish();
      assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
      assertEquals(1, logs.lines().stream().filter(l -> l.contains("WARN") && l.contains("processor bug")).count(), logs.all());
    }
  }

  @Test void aProcessorIsReplacedAndRemovedAndAConfigurationStartsWithout() {
    AtomicInteger first = new AtomicInteger(), second = new AtomicInteger();
    LLMObs.registerProcessor(s -> { first.incrementAndGet(); return s; });
    LLMObs.registerProcessor(s -> { second.incrementAndGet(); return s; });
    LLMObs.workflow("x").finish();
    LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(0, first.get());
    assertEquals(1, second.get());
    LLMObs.deregisterProcessor();
    LLMObs.workflow("y").finish();
    LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(1, second.get());
    LLMObs.registerProcessor(s -> { second.incrementAndGet(); return s; });
    configure();
    LLMObs.workflow("z").finish();
    LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(1, second.get(), "a new configuration starts without a processor");
  }

  @Test void withNoBudgetLeftSpansWaitUnprocessedRatherThanLeaveUnredacted() {
    AtomicInteger calls = new AtomicInteger();
    LLMObs.registerProcessor(s -> { calls.incrementAndGet(); return REDACT_EMAILS.process(s); });
    LLMObs.workflow("w").input("ana@example.org").finish();
    FlushResult none = LLMObs.flush(Duration.ZERO);
    assertEquals(0, calls.get());
    assertEquals(0, none.spansSent());
    assertTrue(intake.requests().isEmpty());
    assertEquals(1, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(Map.of("value", "[email]"), meta(only("w")).get("input"));
  }

  @Test void bothDestinationsGetTheProcessedSpan() throws Exception {
    configure("LLMOBS_EXPORTER", "agentless,otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin());
    LLMObs.registerProcessor(REDACT_EMAILS);
    LLMObs.workflow("w").input("ana@example.org").finish();
    LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(2, intake.requests().size());
    for (TestIntake.Request r : intake.requests()) assertFalse(r.bodyText().contains("ana@example.org"), r.path);
  }

  /** A processor that takes {@code millis} per span, as a heavy redaction would, and tags what it saw. */
  static SpanProcessor slow(long millis, List<Long> callMillis) {
    return span -> {
      long t0 = System.nanoTime();
      try {
        Thread.sleep(millis); // the processor's own cost: what is under test, not a wait for the SDK
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      callMillis.add((System.nanoTime() - t0) / 1_000_000);
      return span.withTag("processed", "true");
    };
  }

  @Test void aProcessorSlowerThanTheBudgetStillDeliversEverySpanOnceWhileInvocationsKeepComing() {
    List<Long> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    LLMObs.registerProcessor(slow(60, calls));
    int invocations = 10, budgetMs = 100;
    long worst = 0;
    int sentWhileComing = 0;
    for (int i = 0; i < invocations; i++) {
      try (LLMObsSpan root = LLMObs.workflow("root-" + i)) {
        LLMObs.task("child-" + i).finish();
      }
      long t0 = System.nanoTime();
      FlushResult r = LLMObs.flush(Duration.ofMillis(budgetMs));
      worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000 - maxOf(calls));
      sentWhileComing += r.spansSent();
      assertEquals(2 * (i + 1), sentWhileComing + r.spansKept() + r.spansDropped() + r.spansUnconfirmed()
          + 0, "every span accounted for after flush " + i + ": " + r);
    }
    assertTrue(sentWhileComing > 0, "processed spans leave while invocations keep coming");
    // A flush overruns its budget by at most one processor call (plus a busy machine's scheduling).
    assertTrue(worst <= budgetMs + 150 + late.worstMillis(), "a flush took " + worst + " ms beyond one processor call");
    for (int k = 0; k < 30 && intake.spans().size() < 2 * invocations; k++) LLMObs.flush(Duration.ofSeconds(2));
    List<Map<String, Object>> spans = intake.spans();
    assertEquals(2 * invocations, spans.size(), "every span arrived");
    assertEquals(2 * invocations, spans.stream().map(x -> x.get("span_id")).distinct().count(), "each once");
    for (Map<String, Object> x : spans) {
      assertTrue(((List<?>) x.get("tags")).contains("processed:true"), "processed: " + x.get("name"));
    }
  }

  private static long maxOf(List<Long> calls) {
    synchronized (calls) {
      return calls.stream().mapToLong(Long::longValue).max().orElse(0);
    }
  }

  @Test void whatWasProcessedLeavesBeforeAnythingNewIsProcessed() {
    List<Long> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    LLMObs.registerProcessor(slow(40, calls));
    intake.answer(TestIntake.Answer.status(503), TestIntake.Answer.status(503), TestIntake.Answer.status(503));
    LLMObs.workflow("first").finish();
    FlushResult kept = LLMObs.flush(Duration.ofMillis(400));
    assertEquals(1, kept.spansKept(), "processed, then not taken: " + kept);
    intake.always(202);
    LLMObs.workflow("second").finish();
    LLMObs.workflow("third").finish();
    // Too little budget for both new spans: the one processed before must leave anyway, and first.
    FlushResult r = LLMObs.flush(Duration.ofMillis(30));
    assertTrue(r.spansSent() >= 1, r.toString());
    assertEquals("first", intake.spans().get(0).get("name"));
    assertEquals(2, calls.size(), "first was processed once, before, and one new span now: " + calls);
  }

  @Test void aSpanTheProcessorDropsLeavesItsChildrenWithTheNearestKeptAncestor() {
    LLMObs.registerProcessor(span -> span.name().startsWith("noise") ? null : span);
    try (LLMObsSpan wf = LLMObs.workflow("wf")) {
      try (LLMObsSpan noise = LLMObs.task("noise-outer")) {
        try (LLMObsSpan inner = LLMObs.task("noise-inner")) {
          LLMObs.llm("call", "m", "p").finish();
        }
      }
    }
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(2, r.spansDropped());
    assertEquals(only("wf").get("span_id"), only("call").get("parent_id"));
  }

  @Test void aFlushWhileAnotherRunsTheProcessorLeavesItsSpansWaitingAndDoesNotWait() throws Exception {
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    LLMObs.registerProcessor(span -> {
      if (span.name().equals("first")) {
        inside.countDown();
        try {
          release.await(); // the processor is busy with the first flush's span
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return span;
    });
    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      LLMObs.workflow("first").finish();
      java.util.concurrent.Future<FlushResult> busy = other.submit(() -> LLMObs.flush(Duration.ofSeconds(5)));
      inside.await();
      LLMObs.workflow("second").finish();
      FlushResult meanwhile = LLMObs.flush(Duration.ofSeconds(5)); // returns without waiting for the processor
      assertEquals(0, meanwhile.spansSent());
      assertEquals(1, meanwhile.spansKept(), "waiting for the processor: " + meanwhile);
      release.countDown();
      int byBusy = busy.get(5, java.util.concurrent.TimeUnit.SECONDS).spansSent(); // it may take the second along
      assertEquals(2, byBusy + LLMObs.flush(Duration.ofSeconds(2)).spansSent(), "both, once");
      assertEquals(List.of("first", "second"), intake.spans().stream().map(x -> x.get("name")).collect(
          java.util.stream.Collectors.toList()));
    } finally {
      release.countDown();
      other.shutdownNow();
    }
  }
}
