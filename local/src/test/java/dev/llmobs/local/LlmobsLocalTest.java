package dev.llmobs.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tool's pieces that need no function: options, sample events, the page's data block. */
class LlmobsLocalTest {
  @Test void everySampleEventIsJsonOfItsSource() throws Exception {
    Map<String, String> source = Map.of("sqs", "aws:sqs", "sns", "aws:sns", "s3", "aws:s3", "dynamodb", "aws:dynamodb",
        "kinesis", "aws:kinesis", "eventbridge", "detail-type", "apigateway-v1", "httpMethod",
        "apigateway-v2", "routeKey", "function-url", "lambda-url");
    assertEquals(source.keySet(), new java.util.HashSet<>(Invoke.SAMPLES));
    for (String name : Invoke.SAMPLES) {
      try (InputStream in = Invoke.class.getResourceAsStream("events/" + name + ".json")) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(JSON.std.anyFrom(text) instanceof Map, name);
        assertTrue(text.contains(source.get(name)), name);
      }
    }
  }

  @Test void optionsKeepRepeatsInOrderAndRefuseWhatTheyDoNotKnow() throws Exception {
    Args a = Args.parse(new String[] {"invoke", "--env", "A=1", "--env", "B=x=y", "--times=3", "file"}, 1,
        Invoke.OPTIONS, List.of());
    assertEquals(List.of("A=1", "B=x=y"), a.all("env"));
    assertEquals(3, a.integer("times", 1, 1, 10));
    assertEquals(List.of("file"), a.positional);
    assertThrows(Args.Usage.class, () -> Args.parse(new String[] {"--nope", "1"}, 0, Invoke.OPTIONS, List.of()));
    assertThrows(Args.Usage.class, () -> Args.parse(new String[] {"--times"}, 0, Invoke.OPTIONS, List.of()));
    assertThrows(Args.Usage.class, () -> Args.parse(new String[] {"--times", "x"}, 0, Invoke.OPTIONS, List.of())
        .integer("times", 1, 1, 10));
  }

  @Test void aSpanCannotCloseThePagesDataBlock() throws Exception {
    Map<String, Object> span = Map.of("trace_id", "t", "span_id", "1", "name", "</script><script>alert(1)</script>");
    String page = Viewer.page(Map.of("spans", List.of(span), "evaluations", List.of(), "invocations", List.of()));
    String marker = "id=\"llmobs-data\">";
    int start = page.indexOf(marker) + marker.length();
    String block = page.substring(start, page.indexOf("</script>", start));
    assertEquals(span, ((List<?>) JSON.std.mapFrom(block).get("spans")).get(0));
  }

  @Test void malformedProtobufIsAnErrorNeverALoopOrAnOverrun() {
    byte[][] bad = {
        {(byte) 0x0a, (byte) 0x05, 1, 2}, // a message longer than what is left
        {(byte) 0x08, (byte) 0xff, (byte) 0xff}, // a varint cut short
        {(byte) 0x0b}, // wire type 3 (groups): not OTLP's
        {(byte) 0x09, 1, 2, 3}, // a fixed64 cut short
    };
    for (byte[] b : bad) {
      assertThrows(java.io.IOException.class, () -> Otlp.spans(b), java.util.Arrays.toString(b));
      assertThrows(java.io.IOException.class, () -> Otlp.evaluations(b), java.util.Arrays.toString(b));
    }
    assertEquals(List.of(), assertDoesNotThrow(() -> Otlp.spans(new byte[0])));
  }

  @Test void helpIsAnAnswerAndNoCommandIsAMistake() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true), e = new PrintStream(err, true);
    assertEquals(0, LlmobsLocal.run(new String[] {"--help"}, o, e, InputStream.nullInputStream()));
    assertTrue(out.toString().contains("invoke --handler CLASS[::method] --function ZIP|JAR|DIR"));
    assertEquals(2, LlmobsLocal.run(new String[0], o, e, new ByteArrayInputStream(new byte[0])));
    assertTrue(err.toString().startsWith("usage:"));
  }
}
