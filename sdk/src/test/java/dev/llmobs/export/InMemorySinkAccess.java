package dev.llmobs.export;

import java.util.List;
import java.util.Map;

/** Unwraps one parsed span element or evaluation request body. */
final class InMemorySinkAccess {
  private InMemorySinkAccess() {}

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> spans(Map<String, Object> element) {
    return (List<Map<String, Object>>) element.get("spans");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> metrics(Map<String, Object> body) {
    Map<String, Object> data = (Map<String, Object>) body.get("data");
    return (List<Map<String, Object>>) ((Map<String, Object>) data.get("attributes")).get("metrics");
  }
}
