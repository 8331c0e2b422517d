package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Eight threads build nested traces at once, some flushing while others record. */
class ConcurrencyTest {
  static final int THREADS = 8, TRACES_PER_THREAD = 50;
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "LLMOBS_BUFFER_MAX_SPANS", "100000"), false), new ManualClock());
  }

  @AfterEach void stop() {
    intake.close();
  }

  @Test void everySpanArrivesOnceAndCorrectlyParented() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < TRACES_PER_THREAD; i++) {
          String id = thread + "-" + i;
          try (LLMObsSpan root = LLMObs.workflow("root-" + id)) {
            root.tag("trace_key", id);
            try (LLMObsSpan task = LLMObs.task("task-" + id)) {
              LLMObs.llm("llm-" + id, "m", "p").tokens(1, 2).finish();
              LLMObs.tool("tool-" + id, () -> "ok");
            }
          }
          if (i % 10 == 0) LLMObs.flush(Duration.ofSeconds(5)); // flushes race with recording
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : futures) f.get();
    pool.shutdown();
    LLMObs.flush(Duration.ofSeconds(5));

    List<Map<String, Object>> spans = intake.spans();
    assertEquals(THREADS * TRACES_PER_THREAD * 4, spans.size());
    Map<String, Map<String, Object>> byName = new HashMap<>();
    Set<Object> spanIds = new HashSet<>();
    for (Map<String, Object> s : spans) {
      assertTrue(byName.put((String) s.get("name"), s) == null, "sent twice: " + s.get("name"));
      assertTrue(spanIds.add(s.get("span_id")), "duplicate span id");
    }
    Set<Object> traceIds = new HashSet<>();
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < TRACES_PER_THREAD; i++) {
        String id = t + "-" + i;
        Map<String, Object> root = byName.get("root-" + id), task = byName.get("task-" + id);
        Map<String, Object> llm = byName.get("llm-" + id), tool = byName.get("tool-" + id);
        assertEquals("undefined", root.get("parent_id"));
        assertEquals(root.get("span_id"), task.get("parent_id"), id);
        assertEquals(task.get("span_id"), llm.get("parent_id"), id);
        assertEquals(task.get("span_id"), tool.get("parent_id"), id);
        for (Map<String, Object> s : List.of(task, llm, tool)) assertEquals(root.get("trace_id"), s.get("trace_id"));
        assertTrue(traceIds.add(root.get("trace_id")), "traces are separate");
      }
    }
  }
}
