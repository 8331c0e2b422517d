package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace viewer as one self-contained HTML page: its script, styles and data inline, nothing fetched (or, served
 * live by {@code intake}, the data fetched from {@code /data.json}).
 */
final class Viewer {
  private Viewer() {}

  /** A page showing these records ({@code {"spans":[..],"evaluations":[..],"invocations":[..]}}). */
  static String page(Map<String, Object> data) throws IOException {
    return template(JSON.std.asString(data), false);
  }

  /** The page {@code intake} serves on {@code /}: it polls {@code /data.json}. */
  static String livePage() throws IOException {
    return template("{}", true);
  }

  private static String template(String json, boolean live) throws IOException {
    // '<' never appears in JSON outside a string, and inside one its escape reads the same: no "</script>" can end
    // the data block early, whatever a span carries.
    String data = json.replace("<", "\\u003c");
    return resource("viewer.html")
        .replace("/*CSS*/", resource("viewer.css"))
        .replace("/*LIVE*/false", Boolean.toString(live))
        .replace("/*JS*/", resource("viewer.js").replace("</script", "<\\/script"))
        .replace("/*DATA*/", data);
  }

  /**
   * The records of a JSONL file written by {@code invoke} or {@code intake} (or any file of wire spans, one per line).
   * A line that is not a record is skipped and counted on {@code err}, never silently.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path file, PrintStream err) throws IOException {
    List<Object> spans = new ArrayList<>(), evaluations = new ArrayList<>(), invocations = new ArrayList<>();
    int bad = 0, lineNo = 0, firstBad = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) continue;
        Object o;
        try {
          o = JSON.std.anyFrom(line);
        } catch (IOException e) {
          o = null;
        }
        if (!(o instanceof Map)) {
          if (bad++ == 0) firstBad = lineNo;
          continue;
        }
        Map<String, Object> m = (Map<String, Object>) o;
        if (m.get("evaluation") instanceof Map) evaluations.add(m.get("evaluation"));
        else if (m.get("invocation") instanceof Map) invocations.add(m.get("invocation"));
        else if (m.containsKey("span_id") && m.containsKey("trace_id")) spans.add(m);
        else if (bad++ == 0) firstBad = lineNo;
      }
    }
    if (bad > 0) err.println("view: skipped " + bad + " line(s) of " + file + " that are not spans, evaluations or "
        + "invocations (first at line " + firstBad + ")");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("spans", spans);
    data.put("evaluations", evaluations);
    data.put("invocations", invocations);
    return data;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Viewer.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("this build of llmobs-local lacks its " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
