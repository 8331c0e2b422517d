package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DD_LLMOBS_SAMPLE_RATE: decided per trace at its root, followed by its children, recorded on what is sent. */
class SamplingTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  void configure(String rate) {
    LLMObs.configure(Config.fromEnv(new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "DD_LLMOBS_SAMPLE_RATE", rate)), false), new ManualClock());
  }

  /** A value whose serialization is observable: a sampled-out span must never serialize it. */
  public static final class Costly {
    static final AtomicInteger reads = new AtomicInteger();

    public String getPayload() {
      reads.incrementAndGet();
      return "x".repeat(1000);
    }
  }

  static void trace(int i) {
    try (LLMObsSpan root = LLMObs.workflow("root-" + i)) {
      root.input(new Costly()).metadata("m", Map.of("k", "v"));
      LLMObs.task("child-" + i).finish();
      LLMObs.llm("llm-" + i, "m", "p").tokens(1, 1).finish();
    }
  }

  @Test void rateZeroSendsNothingAndCostsAlmostNothing() {
    configure("0");
    Costly.reads.set(0);
    for (int i = 0; i < 50; i++) trace(i);
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(0, r.spansSent());
    assertEquals(0, r.spansDropped(), "sampling out is not losing");
    assertTrue(intake.requests().isEmpty());
    assertEquals(0, Costly.reads.get(), "nothing of a sampled-out trace was serialized");
  }

  @Test void aRateKeepsWholeTracesAndRecordsItself() {
    configure("0.5");
    for (int i = 0; i < 400; i++) trace(i);
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> spans = intake.spans();
    Map<String, List<Map<String, Object>>> byTrace = spans.stream().collect(Collectors.groupingBy(s -> (String) s.get("trace_id")));
    assertTrue(byTrace.size() > 120 && byTrace.size() < 280, "about half of 400 traces kept: " + byTrace.size());
    for (List<Map<String, Object>> t : byTrace.values()) assertEquals(3, t.size(), "kept whole: the children follow the root");
    for (Map<String, Object> s : spans) {
      Map<?, ?> dd = (Map<?, ?>) s.get("_dd");
      assertEquals("0.5", dd.get("sample_rate"));
      assertEquals("1", dd.get("sampling_decision"));
    }
  }

  @Test void theDecisionTravelsDownstream() {
    configure("0");
    Map<String, String> headers = new HashMap<>();
    try (LLMObsSpan s = LLMObs.workflow("caller")) {
      LLMObs.inject(headers);
    }
    assertTrue(headers.get("x-datadog-tags").contains("_dd.p.llmobs_sd=0"), headers.toString());
    assertTrue(headers.get("x-datadog-tags").contains("_dd.p.llmobs_sr=0.0"), headers.toString());
    assertTrue(headers.get("tracestate").contains("t.llmobs_sd:0"), headers.toString());
  }

  @Test void anInvalidRateKeepsEverythingAndSaysSo() {
    configure("half");
    trace(1);
    assertEquals(3, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(Set.of("1.0"), intake.spans().stream().map(s -> ((Map<?, ?>) s.get("_dd")).get("sample_rate")).collect(Collectors.toSet()));
  }

  @Test void aSpanOfASampledOutTraceIsNotRecordingSoCostlyAnnotationCanBeSkipped() {
    configure("0");
    LLMObsSpan root = LLMObs.workflow("out");
    LLMObsSpan child = LLMObs.task("child");
    assertFalse(root.isRecording());
    assertFalse(child.isRecording());
    child.finish();
    root.finish();
    configure("1");
    LLMObsSpan kept = LLMObs.workflow("in");
    assertTrue(kept.isRecording());
    kept.finish();
    assertFalse(kept.isRecording(), "finished");
  }
}
