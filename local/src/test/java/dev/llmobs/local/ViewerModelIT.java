package dev.llmobs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page's data handling ({@code LlmobsModel}) tested as plain functions in the browser's own engine, and the page
 * with bad and large input: markup in a span stays text, a cycle or an orphan still shows, 5,000 spans open.
 */
class ViewerModelIT {
  static Chromium browser;
  static Path dir = InvokeIT.dir("viewer-model");

  @BeforeAll static void start() throws Exception {
    browser = new Chromium(dir.resolve("chromium-profile"));
  }

  @AfterAll static void close() throws Exception {
    if (browser != null) browser.close();
  }

  static Map<String, Object> span(String trace, String id, String parent, String kind, String name, long start,
      long duration) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("trace_id", trace);
    s.put("span_id", id);
    s.put("parent_id", parent);
    s.put("name", name);
    s.put("start_ns", start);
    s.put("duration", duration);
    s.put("status", "ok");
    s.put("meta", Map.of("span", Map.of("kind", kind)));
    s.put("metrics", Map.of());
    s.put("tags", List.of("ml_app:app"));
    return s;
  }

  static void open(String name, Map<String, Object> data) throws Exception {
    Path page = dir.resolve(name + ".html");
    Files.createDirectories(dir);
    Files.writeString(page, Viewer.page(data), StandardCharsets.UTF_8);
    browser.open(page.toUri().toString());
  }

  static Object model(String call, Map<String, Object> data) throws Exception {
    return browser.eval("(() => { const data = " + JSON.std.asString(data) + "; return " + call + "; })()");
  }

  static Map<String, Object> data(List<Map<String, Object>> spans, List<Map<String, Object>> evaluations,
      List<Map<String, Object>> invocations) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("spans", spans);
    d.put("evaluations", evaluations);
    d.put("invocations", invocations);
    return d;
  }

  @Test void treesNestInStartOrderAndACycleOrAnOrphanStillShows() throws Exception {
    open("empty", data(List.of(), List.of(), List.of()));
    Map<String, Object> d = data(List.of(
        span("t1", "1", "undefined", "workflow", "root", 100, 50),
        span("t1", "3", "1", "llm", "second", 130, 10),
        span("t1", "2", "1", "task", "first", 110, 10),
        span("t1", "4", "2", "tool", "grandchild", 112, 2),
        span("t2", "8", "9", "task", "a", 200, 5), // a cycle: 8 -> 9 -> 8
        span("t2", "9", "8", "task", "b", 201, 5),
        span("t3", "5", "404", "llm", "orphan", 300, 5)), List.of(), List.of());
    assertEquals(List.of("root:0", "first:1", "grandchild:2", "second:1"),
        model("LlmobsModel.buildTraces(data)[0].rows.map(r => r.span.name + ':' + r.depth)", d));
    assertEquals(2L, ((Number) model("LlmobsModel.buildTraces(data)[1].rows.length", d)).longValue());
    assertEquals("orphan", model("LlmobsModel.buildTraces(data)[2].name", d));
    assertEquals(50L, ((Number) model("LlmobsModel.buildTraces(data)[0].duration", d)).longValue());
  }

  @Test void figuresCountTokensOnceErrorsAndSessions() throws Exception {
    open("empty", data(List.of(), List.of(), List.of()));
    Map<String, Object> llm = span("t", "2", "1", "llm", "call", 10, 5);
    llm.put("metrics", Map.of("input_tokens", 100, "output_tokens", 20, "total_tokens", 120));
    Map<String, Object> wf = span("t", "1", "undefined", "workflow", "root", 0, 50);
    wf.put("metrics", Map.of("input_tokens", 100, "output_tokens", 20)); // a roll-up: never counted again
    wf.put("session_id", "s-1");
    wf.put("tags", List.of("ml_app:claims", "request_id:r-1"));
    Map<String, Object> failed = span("t", "3", "1", "tool", "lookup", 20, 5);
    failed.put("status", "error");
    Map<String, Object> d = data(List.of(wf, llm, failed), List.of(),
        List.of(Map.of("request_id", "r-1", "outcome", "ok", "start_ns", 0, "duration_ns", 60),
            Map.of("request_id", "r-2", "outcome", "timeout", "start_ns", 100, "duration_ns", 3_000_000_000L,
                "error", "Task timed out after 3.00 seconds")));
    assertEquals(List.of(120, true, "s-1", "claims", "r-1"), model("(t => [t.tokens, t.error, t.session, t.mlApp,"
        + " t.invocation.request_id])(LlmobsModel.buildTraces(data)[0])", d));
    assertEquals(List.of(0, "timeout", true), model("(t => [t.spans.length, t.invocation.outcome, t.error])"
        + "(LlmobsModel.buildTraces(data)[1])", d));
    assertEquals(1L, ((Number) model("LlmobsModel.filterTraces(LlmobsModel.buildTraces(data), {kind: 'tool'}).length", d)).longValue());
    assertEquals(1L, ((Number) model("LlmobsModel.filterTraces(LlmobsModel.buildTraces(data), {session: 's-1'}).length", d)).longValue());
    assertEquals(2L, ((Number) model("LlmobsModel.filterTraces(LlmobsModel.buildTraces(data), {error: true}).length", d)).longValue());
    assertEquals(1L, ((Number) model("LlmobsModel.filterTraces(LlmobsModel.buildTraces(data), {text: 'LOOK'}).length", d)).longValue());
    assertEquals(List.of("3.00 s", "1.50 ms", "12 µs"), model("[3e9, 1.5e6, 12345].map(LlmobsModel.formatDuration)", d));
  }

  @Test void evaluationsJoinBySpanByTagAndByTrace() throws Exception {
    open("empty", data(List.of(), List.of(), List.of()));
    Map<String, Object> root = span("t", "1", "undefined", "workflow", "root", 0, 50);
    Map<String, Object> llm = span("t", "2", "1", "llm", "call", 10, 5);
    llm.put("tags", List.of("ml_app:app", "message_id:m-7"));
    List<Map<String, Object>> evals = List.of(
        Map.of("label", "by-span", "metric_type", "score", "score_value", 0.5,
            "join_on", Map.of("span", Map.of("trace_id", "t", "span_id", "2"))),
        Map.of("label", "by-tag", "metric_type", "categorical", "categorical_value", "good",
            "join_on", Map.of("tag", Map.of("key", "message_id", "value", "m-7"))),
        Map.of("label", "by-trace", "metric_type", "boolean", "boolean_value", true,
            "join_on", Map.of("trace", Map.of("trace_id", "t"))),
        Map.of("label", "elsewhere", "metric_type", "score", "score_value", 1,
            "join_on", Map.of("span", Map.of("trace_id", "other", "span_id", "2"))));
    Map<String, Object> d = data(List.of(root, llm), evals, List.of());
    assertEquals(List.of("by-span", "by-tag"), model("(t => LlmobsModel.evaluationsFor(t.spans[1], t, data.evaluations)"
        + ".map(e => e.label))(LlmobsModel.buildTraces(data)[0])", d));
    assertEquals(List.of("by-trace"), model("(t => LlmobsModel.evaluationsFor(t.spans[0], t, data.evaluations)"
        + ".map(e => e.label))(LlmobsModel.buildTraces(data)[0])", d));
    assertEquals(List.of("0.5", "good", "true"), model("data.evaluations.slice(0, 3).map(LlmobsModel.evaluationValue)", d));
  }

  @Test void markupInASpanIsShownAsTextNeverRun() throws Exception {
    Map<String, Object> evil = span("t", "1", "undefined", "workflow", "<img src=x onerror=\"window.pwned=1\">", 0, 5);
    evil.put("meta", Map.of("span", Map.of("kind", "workflow"), "input", Map.of("value", "</script><script>window.pwned=2</script>")));
    open("markup", data(List.of(evil), List.of(), List.of()));
    browser.eval("document.querySelector('#traces .row').click()");
    assertEquals(0L, ((Number) browser.eval("document.querySelectorAll('#traces img, #waterfall img, #detail img').length")).longValue());
    assertEquals(false, browser.eval("'pwned' in window"));
    assertTrue(((String) browser.eval("document.querySelector('#detail pre').textContent")).contains("</script><script>"));
  }

  @Test void fiveThousandSpansOpen() throws Exception {
    List<Map<String, Object>> spans = new ArrayList<>();
    spans.add(span("big", "1", "undefined", "workflow", "root", 0, 5_000_000));
    String[] kinds = {"llm", "tool", "task", "retrieval", "agent"};
    for (int i = 2; i <= 5_000; i++) {
      String parent = i % 50 == 2 ? "1" : Integer.toString(i - 1); // chains 49 deep under the root
      spans.add(span("big", Integer.toString(i), parent, kinds[i % kinds.length], "step-" + i, i * 1_000L, 900));
    }
    open("five-thousand", data(spans, List.of(), List.of()));
    browser.eval("document.querySelector('#traces .row').click()");
    assertEquals(5_000L, ((Number) browser.eval("document.querySelectorAll('#waterfall .row').length")).longValue());
    assertEquals("root", browser.eval("document.querySelector('#detail h2').textContent.replace('workflow', '').trim()"));
    browser.eval("document.querySelectorAll('#waterfall .row')[4999].click()");
    assertTrue(((String) browser.eval("document.querySelector('#detail h2').textContent")).contains("step-"));
  }
}
