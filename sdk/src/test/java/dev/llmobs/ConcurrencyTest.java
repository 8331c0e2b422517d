package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.Lateness;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake.Answer;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Invocations on several threads at once, as Lambda Managed Instances run them: each builds a nested trace and
 * flushes it, while other threads' flushes may carry it. Nothing crossed, lost or duplicated.
 */
class ConcurrencyTest {
  /** How late this machine wakes threads now: added to every time bound (a busy machine is not our fault). */
  final Lateness late = Lateness.watch();
  static final String KEY = "test-api-key-0123456789abcdef";
  TestIntake intake;

  @AfterEach void stop() {
    late.close();
    if (intake != null) intake.close();
  }

  void configure(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", KEY,
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "LLMOBS_BUFFER_MAX_SPANS", "100000"));
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  static void invocation(String id) {
    try (LLMObsSpan root = LLMObs.workflow("root-" + id)) {
      root.tag("trace_key", id);
      try (LLMObsSpan task = LLMObs.task("task-" + id)) {
        LLMObs.llm("llm-" + id, "m", "p").tokens(1, 2).finish();
        LLMObs.tool("tool-" + id, () -> "ok");
      }
    }
  }

  @Test void eightThreadsOfTwoHundredInvocationsAgainstASlowIntake() throws Exception {
    int threads = 8, perThread = 200, budgetMs = 40;
    // Slow, and every tenth answer comes after the flush gave up on it.
    Answer[] slow = new Answer[10];
    java.util.Arrays.fill(slow, Answer.delayed(15));
    slow[9] = Answer.delayed(budgetMs + 60);
    intake = new TestIntake().cycle(slow);
    configure();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger sent = new AtomicInteger(), kept = new AtomicInteger(), dropped = new AtomicInteger(),
        unconfirmed = new AtomicInteger();
    List<Long> overBudget = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          invocation(thread + "-" + i);
          long start = System.nanoTime();
          FlushResult r = LLMObs.flush(Duration.ofMillis(budgetMs));
          long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          if (took > budgetMs + 150) overBudget.add(took); // judged at the end, against the lateness seen
          sent.addAndGet(r.spansSent());
          dropped.addAndGet(r.spansDropped());
          unconfirmed.addAndGet(r.spansUnconfirmed());
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : futures) f.get();
    pool.shutdown();
    intake.always(202);
    // On a busy machine the late answers can make the destination look sick (three failed flushes in a row): then
    // flushes keep their spans and only every eighth asks whether it answers again. Within that cycle, all leave.
    FlushResult last;
    int flushes = 0;
    do {
      last = LLMObs.flush(Duration.ofSeconds(2));
      sent.addAndGet(last.spansSent());
      dropped.addAndGet(last.spansDropped());
      unconfirmed.addAndGet(last.spansUnconfirmed());
    } while (last.spansKept() > 0 && ++flushes < 9);
    kept.set(last.spansKept());

    int total = threads * perThread * 4;
    long allowed = budgetMs + 150 + late.worstMillis();
    overBudget.removeIf(took -> took <= allowed);
    assertEquals(List.of(), overBudget, "flushes past their budget, beyond how late this machine woke threads");
    assertEquals(0, dropped.get());
    assertEquals(0, kept.get(), "once the intake answered again, everything kept left");
    assertEquals(total, sent.get() + unconfirmed.get(), "every span sent or counted unconfirmed");
    assertTrue(unconfirmed.get() > 0, "the late answers left some spans unconfirmed");

    // 0 duplicated: no span acknowledged twice, and none acknowledged that the SDK counted neither way.
    List<Map<String, Object>> acked = intake.acknowledgedSpans();
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (Map<String, Object> s : acked) {
      assertTrue(byName.put((String) s.get("name"), s) == null, "acknowledged twice: " + s.get("name"));
    }
    assertTrue(acked.size() >= sent.get(), "the intake acknowledged every span the SDK counted as sent");
    assertTrue(acked.size() <= sent.get() + unconfirmed.get());
    // 0 crossed: every acknowledged trace is whole and correctly parented.
    Set<Object> traceIds = new HashSet<>();
    for (Map<String, Object> root : acked) {
      String name = (String) root.get("name");
      if (!name.startsWith("root-")) continue;
      String id = name.substring(5);
      Map<String, Object> task = byName.get("task-" + id), llm = byName.get("llm-" + id), tool = byName.get("tool-" + id);
      assertEquals("undefined", root.get("parent_id"));
      if (task == null) continue; // its request went unconfirmed: a trace is packed whole, but may span two requests
      assertEquals(root.get("span_id"), task.get("parent_id"), id);
      if (llm != null) assertEquals(task.get("span_id"), llm.get("parent_id"), id);
      if (tool != null) assertEquals(task.get("span_id"), tool.get("parent_id"), id);
      for (Map<String, Object> s : List.of(task)) assertEquals(root.get("trace_id"), s.get("trace_id"));
      assertTrue(traceIds.add(root.get("trace_id")), "traces are separate");
    }
  }

  @Test void anInvocationWaitsForItsTraceWhileAnotherThreadsFlushCarriesIt() throws Exception {
    CountDownLatch carrying = new CountDownLatch(1), release = new CountDownLatch(1);
    intake = new TestIntake().answer(Answer.heldUntil(release));
    intake.onRequest(r -> carrying.countDown());
    configure();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // B's invocation records its trace; A's flush takes it (and holds in the intake) before B flushes.
      Thread[] b = new Thread[1];
      CountDownLatch recorded = new CountDownLatch(1), flushB = new CountDownLatch(1);
      Future<FlushResult> bFlush = pool.submit(() -> {
        b[0] = Thread.currentThread();
        invocation("B");
        recorded.countDown();
        flushB.await();
        return LLMObs.flush(Duration.ofSeconds(2));
      });
      recorded.await();
      Future<FlushResult> aFlush = pool.submit(() -> LLMObs.flush(Duration.ofSeconds(2)));
      carrying.await(); // A's request, holding B's trace, is at the intake
      flushB.countDown();
      awaitWaiting(b[0]); // B's flush waits on A's
      assertFalse(bFlush.isDone(), "B returned while its trace was still in flight");
      release.countDown();
      FlushResult a = aFlush.get(5, TimeUnit.SECONDS), bResult = bFlush.get(5, TimeUnit.SECONDS);
      assertEquals(4, a.spansSent(), "A carried B's trace");
      assertEquals(0, bResult.spansSent());
      assertEquals(4, intake.acknowledgedSpans().size());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /** Until {@code t} is blocked in a timed wait (a monitor wait in the exporter), without sleeping. */
  static void awaitWaiting(Thread t) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(System.nanoTime() < until, "B never waited");
      Thread.onSpinWait();
    }
  }

  @Test void everySpanArrivesOnceAndCorrectlyParentedWithFlushesRacingRecording() throws Exception {
    intake = new TestIntake();
    configure();
    int threads = 8, perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      all.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < perThread; i++) {
          invocation(thread + "-" + i);
          if (i % 10 == 0) LLMObs.flush(Duration.ofSeconds(2));
        }
      }, pool));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    pool.shutdown();
    LLMObs.flush(Duration.ofSeconds(2));
    List<Map<String, Object>> spans = intake.spans();
    assertEquals(threads * perThread * 4, spans.size());
    Set<Object> names = new HashSet<>();
    for (Map<String, Object> s : spans) assertTrue(names.add(s.get("name")), "sent twice: " + s.get("name"));
  }
}
