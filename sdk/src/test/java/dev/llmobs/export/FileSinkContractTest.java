package dev.llmobs.export;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The file sink: one JSON line per event (a span element; an evaluation as a whole request body). */
class FileSinkContractTest extends SinkContract {
  @TempDir Path dir;

  Path file() {
    return dir.resolve("spans.jsonl");
  }

  @Override Sink sink() {
    return StreamSink.file(file().toString());
  }

  @Override Sink brokenSink() {
    return StreamSink.file(dir.resolve("no-such-dir/spans.jsonl").toString());
  }

  static List<Map<String, Object>> lines(List<String> lines, boolean evaluations) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : lines) {
      Map<String, Object> m = JSON.std.mapFrom(line);
      if (evaluations && m.containsKey("data")) out.addAll(InMemorySinkAccess.metrics(m));
      if (!evaluations && m.containsKey("spans")) out.addAll(InMemorySinkAccess.spans(m));
    }
    return out;
  }

  @Override List<Map<String, Object>> receivedSpans() throws Exception {
    return Files.exists(file()) ? lines(Files.readAllLines(file()), false) : List.of();
  }

  @Override List<Map<String, Object>> receivedEvaluations() throws Exception {
    return Files.exists(file()) ? lines(Files.readAllLines(file()), true) : List.of();
  }
}
