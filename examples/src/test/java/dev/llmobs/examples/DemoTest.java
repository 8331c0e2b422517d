package dev.llmobs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo is the README's first command: it must run and show whole traces. */
class DemoTest {
  @Test void theDemoPrintsThreeWholeTracesAndWritesThemToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spans.jsonl");
    PrintStream old = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Demo.main(new String[] {file.toString()});
    } finally {
      System.setOut(old);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertEquals(3, printed.split("trace [0-9a-f]{32} \\(5 spans\\)", -1).length - 1, printed);
    assertTrue(printed.contains("tool      get_claim_status"), printed);

    List<String> lines = Files.readAllLines(file);
    assertEquals(15, lines.size());
    Map<String, Integer> roots = new HashMap<>();
    for (String line : lines) {
      Map<String, Object> span = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(line);
      assertEquals("claim-88412", span.get("session_id"));
      if ("undefined".equals(span.get("parent_id"))) roots.merge((String) span.get("trace_id"), 1, Integer::sum);
    }
    assertEquals(3, roots.size(), "one root per invocation");
  }
}
