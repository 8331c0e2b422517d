package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The SDK starts no thread, directly or through a library, in recording or flushing, first use included. */
class NoThreadsTest {
  static Set<String> liveThreads() {
    Set<String> names = new TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      // The test's own loopback intake starts a thread per connection; those are not the SDK's.
      if (t.isAlive() && !t.getName().startsWith(TestIntake.THREAD_PREFIX) && !t.getName().equals("lateness-probe")) names.add(t.getName() + "#" + t.getId());
    }
    return names;
  }

  @Test void theOtlpRouteStartsNoThreadEither() throws Exception {
    try (TestIntake intake = new TestIntake()) {
      Set<String> before = liveThreads();
      LLMObs.configure(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin()),
          false), new ManualClock());
      for (int i = 0; i < 3; i++) {
        try (LLMObsSpan wf = LLMObs.workflow("w")) {
          LLMObs.llm("l", "m", "p").tokens(1, 1).finish();
        }
        LLMObs.submitEvaluation(Evaluation.score("s", 1).forTag("a", "b"));
        assertEquals(2, LLMObs.flush(Duration.ofSeconds(5)).spansSent());
      }
      Set<String> started = liveThreads();
      started.removeAll(before);
      assertEquals(Set.of(), started);
    }
  }

  @Test void recordingAndFlushingStartNoThread() throws Exception {
    try (TestIntake intake = new TestIntake()) {
      Set<String> before = liveThreads();
      LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
          "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()), false), new ManualClock());
      for (int i = 0; i < 3; i++) { // the second and third flush reuse the pooled connection
        try (LLMObsSpan wf = LLMObs.workflow("w")) {
          wf.input("q").metadata("pojo", new BadInputTest.Claim("1", 1));
          LLMObs.llm("l", "m", "p").tokens(1, 1).finish();
        }
        LLMObs.submitEvaluation(Evaluation.score("s", 1).forTag("a", "b"));
        assertEquals(2, LLMObs.flush(Duration.ofSeconds(5)).spansSent());
      }
      Set<String> started = liveThreads();
      started.removeAll(before); // threads of other tests' clients may end meanwhile; none may start
      assertEquals(Set.of(), started);
    }
  }
}
