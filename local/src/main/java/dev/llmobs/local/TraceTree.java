package dev.llmobs.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints spans (the LLM Observability wire shape) as indented trees, one per trace: kind, name, duration, tokens,
 * the root's session, and the error where there is one.
 */
public final class TraceTree {
  private TraceTree() {}

  /** One tree per trace in {@code spans}, in the order the traces first appear. */
  public static void print(List<Map<String, Object>> spans, PrintStream out) {
    Map<String, List<Map<String, Object>>> byTrace = new LinkedHashMap<>();
    for (Map<String, Object> s : spans) byTrace.computeIfAbsent(String.valueOf(s.get("trace_id")), k -> new ArrayList<>()).add(s);
    for (Map.Entry<String, List<Map<String, Object>>> t : byTrace.entrySet()) {
      out.println("trace " + t.getKey() + " (" + t.getValue().size() + " spans)");
      Set<Object> ids = new HashSet<>();
      for (Map<String, Object> s : t.getValue()) ids.add(s.get("span_id"));
      for (Map<String, Object> s : t.getValue()) {
        if (!ids.contains(s.get("parent_id"))) print(s, t.getValue(), 1, out);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> span, List<Map<String, Object>> all, int depth, PrintStream out) {
    Map<String, Object> meta = map(span.get("meta"));
    Object kind = map(meta.get("span")).get("kind");
    Map<String, Object> metrics = map(span.get("metrics"));
    StringBuilder line = new StringBuilder("  ".repeat(depth));
    Object duration = span.get("duration");
    line.append(String.format(Locale.ROOT, "%-9s %-24s %8.2f ms", kind, span.get("name"),
        duration instanceof Number ? ((Number) duration).longValue() / 1e6 : 0.0));
    if (metrics.containsKey("input_tokens") || metrics.containsKey("output_tokens")) {
      line.append(String.format(Locale.ROOT, "  tokens %s in / %s out", num(metrics.get("input_tokens")),
          num(metrics.get("output_tokens"))));
    }
    if (span.get("session_id") != null && depth == 1) line.append("  session ").append(span.get("session_id"));
    if ("error".equals(span.get("status"))) {
      Map<String, Object> err = map(meta.get("error"));
      line.append("  ERROR ").append(err.get("type")).append(": ").append(err.get("message"));
    }
    out.println(line);
    if (depth > 64) return; // a cycle in bad input: never recurse without end
    for (Map<String, Object> child : all) {
      if (child != span && String.valueOf(span.get("span_id")).equals(String.valueOf(child.get("parent_id")))) {
        print(child, all, depth + 1, out);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  private static String num(Object o) {
    return o instanceof Number ? Long.toString(((Number) o).longValue()) : String.valueOf(o);
  }
}
