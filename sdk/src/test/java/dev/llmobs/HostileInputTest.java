package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Values found to corrupt the wire or escape into the caller, tried on every public factory and annotator: nothing
 * escapes, the span still lands, the wire stays what consumers can read, and what was refused is said and counted.
 */
class HostileInputTest {
  TestIntake intake;
  LogCapture logs;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    logs = new LogCapture();
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "DD_SERVICE", "claims-api", "DD_TAGS", "team:ml,service:spoofed,env:spoofed"), false), new ManualClock());
  }

  @AfterEach void stop() {
    logs.close();
    intake.close();
  }

  /** A map whose every read throws, as a concurrently modified or broken map can. */
  static final class ThrowingMap extends AbstractMap<String, Object> {
    @Override public Set<Entry<String, Object>> entrySet() {
      throw new IllegalStateException("entrySet refused");
    }

    @Override public int size() {
      throw new IllegalStateException("size refused");
    }
  }

  /** A list whose iteration throws. */
  static final class ThrowingList<T> extends AbstractList<T> {
    @Override public T get(int index) {
      throw new IllegalStateException("get refused");
    }

    @Override public int size() {
      return 3;
    }
  }

  Map<String, Object> only(String name) {
    LLMObs.flush(Duration.ofSeconds(2));
    for (Map<String, Object> s : intake.spans()) if (name.equals(s.get("name"))) return s;
    throw new AssertionError("no span " + name + " in " + intake.spans());
  }

  @SuppressWarnings("unchecked")
  static List<String> tags(Map<String, Object> span) {
    return (List<String>) span.get("tags");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

  @Test void throwingCollectionsNeverEscapeAnyFactoryOrAnnotator() {
    Map<String, Object> bad = new ThrowingMap();
    List<Message> badMessages = new ThrowingList<>();
    ToolCall call = ToolCall.of("lookup", bad, "t1");
    ToolCall typed = ToolCall.of("lookup", bad, "t2", "function");
    Message m = Message.assistant("x").withToolCalls(new ThrowingList<>()).withToolResults(new ThrowingList<>());
    Evaluation e = Evaluation.score("s", 1).metadata(bad);
    try (LLMObsSpan llm = LLMObs.llm("hostile", "m", "p")) {
      llm.inputMessages(badMessages).outputMessages(List.of(m, Message.assistant("y").withToolCalls(List.of(call, typed))))
          .metadata(bad).metadata("nested", bad).input((Object) new ThrowingList<String>());
      LLMObsSpan doc = LLMObs.retrieval("docs");
      doc.outputDocuments(new ThrowingList<>());
      doc.finish();
    }
    LLMObs.submitEvaluation(e.forTag("k", "v"));
    Map<String, Object> span = only("hostile");
    assertEquals("ok", span.get("status"), "the span landed");
    assertTrue(logs.contains("could not"), logs.all());
    assertFalse(LLMObs.flush(Duration.ofSeconds(2)).spansDropped() > 0);
  }

  @Test void reservedTagsKeepTheSdksValueAndTheUserHearsOnce() {
    try (LLMObsSpan s = LLMObs.task("tags")) {
      s.tag("ml_app", "spoofed").tag("session_id", "spoofed").tag("service", "spoofed").tag("env", "spoofed")
          .tag("version", "spoofed").tag("source", "spoofed").tag("language", "spoofed").tag("error", "1")
          .tag("error_type", "spoofed").tag("ddtrace.version", "spoofed").tag("team", "search");
    }
    List<String> tags = tags(only("tags"));
    for (String t : tags) assertFalse(t.endsWith(":spoofed"), "a reserved key kept the user's value: " + t);
    for (String key : List.of("ml_app", "service", "source", "language", "error", "ddtrace.version")) {
      assertEquals(1, tags.stream().filter(t -> t.startsWith(key + ":")).count(), key + " once: " + tags);
    }
    for (String unset : List.of("env", "version")) { // reserved, and unset here: neither the user's nor an empty one
      assertEquals(0, tags.stream().filter(t -> t.startsWith(unset + ":")).count(), unset + " absent: " + tags);
    }
    assertTrue(tags.contains("service:claims-api"));
    assertTrue(tags.contains("error:0"));
    assertTrue(tags.contains("team:search"), "a user tag replaces a DD_TAGS one of the same key");
    assertEquals(1, logs.lines().stream().filter(l -> l.contains("WARN") && l.contains("reserved")).count(), logs.all());
  }

  @Test void aTagKeyWithAColonIsSanitized() {
    try (LLMObsSpan s = LLMObs.task("colon")) {
      s.tag("region:eu", "west");
    }
    assertTrue(tags(only("colon")).contains("region_eu:west"));
    assertTrue(logs.contains("':'"), logs.all());
  }

  @Test void numbersJsonConsumersCannotReadBecomeStringsAndAreSaid() {
    try (LLMObsSpan s = LLMObs.task("numbers")) {
      s.metadata("huge", new BigDecimal("1e400")).metadata("big", new BigInteger("9".repeat(400)))
          .metadata("fine", new BigDecimal("12.5")).metadata("nan", Double.NaN)
          .metadata("list", List.of(Double.POSITIVE_INFINITY, 1));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> md = (Map<String, Object>) meta(only("numbers")).get("metadata");
    assertEquals("1E+400", md.get("huge"));
    assertEquals("9".repeat(400), md.get("big"));
    assertEquals(12.5, ((Number) md.get("fine")).doubleValue());
    assertEquals("NaN", md.get("nan"));
    assertEquals(List.of("Infinity", 1), md.get("list"));
    assertTrue(logs.contains("not a finite JSON number"), logs.all());
  }

  @Test void negativeOrAbsurdTokenCountsAreRefused() {
    try (LLMObsSpan s = LLMObs.llm("tokens", "m", "p")) {
      s.tokens(-5, 10).metric("output_tokens", 2e12).metric("cache_read_input_tokens", -1);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> metrics = (Map<String, Object>) only("tokens").get("metrics");
    assertFalse(metrics.containsKey("input_tokens"));
    assertFalse(metrics.containsKey("cache_read_input_tokens"));
    assertEquals(10, ((Number) metrics.get("output_tokens")).intValue(), "the absurd value was refused, the sane one kept");
    assertFalse(metrics.containsKey("total_tokens"), "no total from a refused count");
    assertTrue(logs.contains("token count"), logs.all());
  }

  @Test void aRetrievalsPlainOutputIsSentAsDocuments() {
    LLMObs.retrieval("plain", () -> "clause 4.2: sudden water damage");
    LLMObs.retrieval("several", () -> List.of("clause 4.2", "clause 7.1"));
    assertEquals(Map.of("documents", List.of(Map.of("text", "clause 4.2: sudden water damage"))),
        meta(only("plain")).get("output"));
    assertEquals(Map.of("documents", List.of(Map.of("text", "clause 4.2"), Map.of("text", "clause 7.1"))),
        meta(only("several")).get("output"));
  }

  @Test void nestingIsMeasuredFromMeta() {
    Map<String, Object> deep = new HashMap<>();
    Map<String, Object> cursor = deep;
    for (int i = 0; i < 11; i++) { // eleven maps: at 2 levels below meta, the innermost stands at 12
      Map<String, Object> next = new HashMap<>();
      cursor.put("d", next);
      cursor = next;
    }
    cursor.put("leaf", 1);
    try (LLMObsSpan s = LLMObs.task("deep")) {
      s.metadata("deep", deep);
    }
    Object value = ((Map<?, ?>) meta(only("deep")).get("metadata")).get("deep");
    Object at = value;
    int depth = 2; // meta -> metadata -> the value
    while (at instanceof Map) {
      at = ((Map<?, ?>) at).get("d");
      depth++;
    }
    assertTrue(at instanceof String, "the container past the limit is its JSON text");
    assertEquals(13, depth, "the first container at more than 12 levels below meta became text");
  }

  @Test void evaluationsOfTheJsonTypeAndOfNoSpan() {
    SpanContext ids;
    try (LLMObsSpan s = LLMObs.workflow("judged")) {
      ids = LLMObs.exportSpan(s);
    }
    LLMObs.submitEvaluation(Evaluation.json("rubric", Map.of("clarity", 4, "notes", List.of("cites 4.2"))).forSpan(ids));
    LLMObs.submitEvaluation(Evaluation.score("before-any-span", 1).forSpan(LLMObs.exportSpan()));
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(1, r.evaluationsSent());
    Map<String, Object> e = intake.evaluations().get(0);
    assertEquals("json", e.get("metric_type"));
    assertEquals(Map.of("clarity", 4, "notes", List.of("cites 4.2")), e.get("json_value"));
    assertTrue(logs.contains("no span was current"), logs.all());
  }
}
