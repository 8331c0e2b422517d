package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile input never reaches the caller as an exception; the span still lands and the loss is said. */
class BadInputTest {
  TestIntake intake;
  LogCapture logs;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    logs = new LogCapture();
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()), false), new ManualClock());
  }

  @AfterEach void stop() {
    logs.close();
    intake.close();
  }

  Map<String, Object> onlySpan() {
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> spans = intake.spans();
    assertEquals(1, spans.size());
    return spans.get(0);
  }

  static Map<String, Object> meta(Map<String, Object> span) {
    return WireFormatTest.map(span.get("meta"));
  }

  @Test void nullAndEmptyNamesFallBackToTheKind() {
    LLMObs.workflow(null).finish();
    LLMObs.task("").finish();
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> spans = intake.spans();
    assertEquals("workflow", spans.get(0).get("name"));
    assertEquals("task", spans.get(1).get("name"));
    assertTrue(logs.contains("span name is null"));
  }

  @Test void nullAnnotationsAreIgnored() {
    try (LLMObsSpan s = LLMObs.llm(null, null, null)) {
      s.input((String) null).output((Object) null).inputMessages(null).outputDocuments(null)
          .metadata(null, "v").metadata((Map<String, ?>) null).metric(null, 1).tag(null, "v").tag("k", null)
          .sessionId(null).mlApp(null).modelName(null).modelProvider(null).error((Throwable) null)
          .parent((LLMObsSpan) null).parent((SpanContext) null).name(null);
      List<Message> withNull = new ArrayList<>();
      withNull.add(null);
      withNull.add(Message.user(null));
      s.inputMessages(withNull);
    }
    Map<String, Object> span = onlySpan();
    assertEquals("custom", meta(span).get("model_name"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "user", "content", ""))), meta(span).get("input"));
    assertTrue(((List<?>) span.get("tags")).contains("k:"));
  }

  @Test void metadataWithACycleOrAThrowingToStringStillLands() {
    Map<String, Object> cyclic = new HashMap<>();
    cyclic.put("self", cyclic);
    List<Object> list = new ArrayList<>();
    list.add(list);
    Object hostile = new Object() {
      @Override public String toString() {
        throw new IllegalStateException("toString exploded");
      }
    };
    try (LLMObsSpan s = LLMObs.workflow("hostile")) {
      s.metadata("cyclic", cyclic).metadata("list", list).metadata("hostile", hostile).input(hostile).output(cyclic);
    }
    Map<String, Object> meta = meta(onlySpan());
    Map<String, Object> md = WireFormatTest.map(meta.get("metadata"));
    assertEquals(Map.of("self", "[cycle]"), md.get("cyclic"));
    assertEquals(List.of("[cycle]"), md.get("list"));
    assertTrue(md.containsKey("hostile"));
    assertEquals(Map.of("value", "{\"self\":\"[cycle]\"}"), meta.get("output"));
  }

  @Test void deepMetadataIsSentAsTextBelowTwelveLevels() {
    Map<String, Object> deep = new HashMap<>();
    Map<String, Object> cur = deep;
    for (int i = 0; i < 20; i++) {
      Map<String, Object> next = new HashMap<>();
      cur.put("d", next);
      cur = next;
    }
    cur.put("leaf", 1);
    try (LLMObsSpan s = LLMObs.workflow("deep")) {
      s.metadata("deep", deep);
    }
    Object node = WireFormatTest.map(meta(onlySpan()).get("metadata")).get("deep");
    int depth = 0;
    while (node instanceof Map) {
      node = ((Map<?, ?>) node).get("d");
      depth++;
    }
    // Counted from meta (meta > metadata > this value), as Datadog's SDK counts: 11 maps of the value stay JSON.
    assertEquals(11, depth, "containers up to 12 levels below meta stay JSON, then the rest is its text");
    assertTrue(node instanceof String && ((String) node).contains("\"leaf\":1"), String.valueOf(node));
  }

  @Test void nonFiniteMetricsAreRefusedAndSaid() {
    try (LLMObsSpan s = LLMObs.llm("l", "m", "p")) {
      s.metric("nan", Double.NaN).metric("inf", Double.POSITIVE_INFINITY).metric("ok", 1.5);
    }
    assertEquals(Map.of("ok", 1.5), onlySpan().get("metrics"));
    assertTrue(logs.contains("not a finite number"));
    assertTrue(logs.contains("annotations refused"), "the flush summary counts it: " + logs.all());
  }

  @Test void nonFiniteMetadataNumbersBecomeStrings() {
    try (LLMObsSpan s = LLMObs.workflow("w")) {
      s.metadata("score", Map.of("v", Double.NaN));
    }
    assertEquals(Map.of("score", Map.of("v", "NaN")), meta(onlySpan()).get("metadata"));
  }

  @Test void tenMegabyteInputIsCutToTheMarkerAndTheSpanLands() {
    String huge = "a".repeat(10 * 1024 * 1024);
    try (LLMObsSpan s = LLMObs.workflow("huge")) {
      s.input(huge).output("small");
    }
    FlushResult r = LLMObs.flush(Duration.ofSeconds(10));
    assertEquals(1, r.spansSent());
    assertEquals(1, r.spansTruncated());
    Map<String, Object> span = intake.spans().get(0);
    assertEquals(List.of("dropped_io"), span.get("collection_errors"));
    assertTrue(intake.requests().get(0).body.length < 5_000_000);
    assertTrue(logs.contains("replaced by a marker"));
  }

  @Test void nonBmpTextAndLoneSurrogatesSurviveAsValidUtf8() {
    String emoji = "claims \uD83D\uDE00 \uD834\uDD1E done";
    try (LLMObsSpan s = LLMObs.workflow("unicode")) {
      s.input(emoji).output("broken \uD800 pair").metadata("line\u2028sep", "\u0000\u001f\"\\");
    }
    Map<String, Object> meta = meta(onlySpan());
    assertEquals(Map.of("value", emoji), meta.get("input"));
    assertEquals(Map.of("value", "broken \uFFFD pair"), meta.get("output"));
    assertEquals(Map.of("line\u2028sep", "\u0000\u001f\"\\"), meta.get("metadata"));
  }

  @Test void invalidEvaluationsAreDroppedCountedAndSaid() {
    LLMObs.submitEvaluation(Evaluation.score("no.dots", 1).forTag("a", "b"));
    LLMObs.submitEvaluation(Evaluation.score("nan", Double.NaN).forTag("a", "b"));
    LLMObs.submitEvaluation(Evaluation.categorical("unjoined", "x"));
    LLMObs.submitEvaluation(Evaluation.categorical(null, "x").forTag("a", "b"));
    LLMObs.submitEvaluation(null);
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(4, r.evaluationsDropped());
    assertEquals(0, r.evaluationsSent());
    assertTrue(logs.contains("must not contain '.'"));
    assertFalse(intake.requests().stream().anyMatch(q -> q.path.contains("eval-metric")));
  }

  @Test void aPojoIsWrittenThroughJacksonJr() {
    try (LLMObsSpan s = LLMObs.workflow("pojo")) {
      s.input(new Claim("88412", 2)).metadata("claim", new Claim("1", 3));
    }
    Map<String, Object> meta = meta(onlySpan());
    assertEquals(Map.of("value", "{\"id\":\"88412\",\"items\":2}"), meta.get("input"));
    assertEquals(Map.of("claim", Map.of("id", "1", "items", 3)), meta.get("metadata"));
  }

  public static final class Claim {
    private final String id;
    private final int items;

    Claim(String id, int items) {
      this.id = id;
      this.items = items;
    }

    public String getId() {
      return id;
    }

    public int getItems() {
      return items;
    }
  }
}
