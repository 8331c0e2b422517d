package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The records of a JSONL file the tool wrote, by type, and small readers over spans. */
final class Records {
  final List<Map<String, Object>> spans = new ArrayList<>(), evaluations = new ArrayList<>(),
      invocations = new ArrayList<>();

  @SuppressWarnings("unchecked")
  static Records read(Path file) throws IOException {
    Records r = new Records();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) continue;
      Map<String, Object> m = JSON.std.mapFrom(line);
      if (m.containsKey("evaluation")) r.evaluations.add((Map<String, Object>) m.get("evaluation"));
      else if (m.containsKey("invocation")) r.invocations.add((Map<String, Object>) m.get("invocation"));
      else r.spans.add(m);
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  static String kind(Map<String, Object> span) {
    return (String) ((Map<String, Object>) ((Map<String, Object>) span.get("meta")).get("span")).get("kind");
  }

  @SuppressWarnings("unchecked")
  static List<String> tags(Map<String, Object> span) {
    return (List<String>) span.get("tags");
  }

  List<Map<String, Object>> ofKind(String kind) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : spans) if (kind.equals(kind(s))) out.add(s);
    return out;
  }

  List<Map<String, Object>> roots() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : spans) if ("undefined".equals(s.get("parent_id"))) out.add(s);
    return out;
  }
}
