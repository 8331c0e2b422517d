package dev.llmobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: one JSON line per event, on stdout or in a file. */
class StreamSinkTest {
  static final byte[] SPAN = "{\"event_type\":\"span\",\"spans\":[{}]}".getBytes(StandardCharsets.UTF_8);
  static final byte[] EVAL = "{\"label\":\"x\"}".getBytes(StandardCharsets.UTF_8);

  @Test void writesOneLinePerEventToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spans.jsonl");
    StreamSink sink = StreamSink.file(file.toString());
    assertEquals(2, sink.send(Sink.Kind.SPANS, List.of(SPAN, SPAN), Long.MAX_VALUE).sent);
    assertEquals(1, sink.send(Sink.Kind.EVALUATIONS, List.of(EVAL), Long.MAX_VALUE).sent);
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertEquals(Map.of("event_type", "span", "spans", List.of(Map.of())), JSON.std.mapFrom(lines.get(0)));
    assertEquals(Map.of("data", Map.of("type", "evaluation_metric", "attributes",
        Map.of("metrics", List.of(Map.of("label", "x"))))), JSON.std.mapFrom(lines.get(2)));
  }

  @Test void writesToTheCurrentStdout() {
    PrintStream old = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      StreamSink.stdout().send(Sink.Kind.SPANS, List.of(SPAN), Long.MAX_VALUE);
    } finally {
      System.setOut(old);
    }
    assertEquals(new String(SPAN, StandardCharsets.UTF_8) + "\n", captured.toString(StandardCharsets.UTF_8));
  }

  @Test void anUnwritableFileKeepsTheEventsForRetry(@TempDir Path dir) {
    StreamSink sink = StreamSink.file(dir.resolve("missing-dir/spans.jsonl").toString());
    Sink.Outcome o = sink.send(Sink.Kind.SPANS, List.of(SPAN), Long.MAX_VALUE);
    assertEquals(0, o.sent);
    assertEquals(1, o.retry.size());
  }
}
