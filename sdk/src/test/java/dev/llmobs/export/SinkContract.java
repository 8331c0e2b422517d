package dev.llmobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every sink promises, run against each one (memory, stdout, file, HTTP): events arrive as sent, once, in
 * order, inside the wire format's envelopes; every event handed over is accounted for exactly once; a failing
 * destination never throws.
 */
abstract class SinkContract {
  /** A working sink. */
  abstract Sink sink() throws Exception;

  /** The same destination, broken (unreachable, unwritable). */
  abstract Sink brokenSink() throws Exception;

  /** The span events the destination received so far. */
  abstract List<Map<String, Object>> receivedSpans() throws Exception;

  /** The evaluation metrics the destination received so far. */
  abstract List<Map<String, Object>> receivedEvaluations() throws Exception;

  static byte[] span(int i) {
    return ("{\"event_type\":\"span\",\"spans\":[{\"name\":\"s" + i + "\",\"text\":\"caf\u00e9 \\u2028\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] evaluation(String label) {
    return ("{\"label\":\"" + label + "\",\"metric_type\":\"score\",\"score_value\":0.5}").getBytes(StandardCharsets.UTF_8);
  }

  static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
  }

  static void assertAccounted(Sink.Outcome o, int events) {
    assertEquals(events, o.sent + o.retry.size() + o.dropped + o.unconfirmed);
  }

  @Test void deliversEverySpanOnceInOrder() throws Exception {
    List<byte[]> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) events.add(span(i));
    Sink.Outcome o = sink().send(Sink.Kind.SPANS, events, deadline());
    assertEquals(5, o.sent);
    assertAccounted(o, 5);
    List<Object> names = new ArrayList<>();
    for (Map<String, Object> s : receivedSpans()) names.add(s.get("name"));
    assertEquals(List.of("s0", "s1", "s2", "s3", "s4"), names);
    assertEquals("caf\u00e9 \u2028", receivedSpans().get(0).get("text"));
  }

  @Test void deliversEvaluationsInsideTheirEnvelope() throws Exception {
    Sink.Outcome o = sink().send(Sink.Kind.EVALUATIONS, List.of(evaluation("a"), evaluation("b")), deadline());
    assertEquals(2, o.sent);
    List<Object> labels = new ArrayList<>();
    for (Map<String, Object> e : receivedEvaluations()) labels.add(e.get("label"));
    assertEquals(List.of("a", "b"), labels);
  }

  @Test void anEmptyBatchSendsNothing() throws Exception {
    Sink.Outcome o = sink().send(Sink.Kind.SPANS, List.of(), deadline());
    assertAccounted(o, 0);
    assertEquals(List.of(), receivedSpans());
  }

  @Test void aBrokenDestinationAccountsForEveryEventAndNeverThrows() throws Exception {
    Sink.Outcome o = brokenSink().send(Sink.Kind.SPANS, List.of(span(0), span(1), span(2)), deadline());
    assertEquals(0, o.sent);
    assertAccounted(o, 3);
  }
}
