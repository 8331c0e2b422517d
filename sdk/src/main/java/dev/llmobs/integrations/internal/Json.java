package dev.llmobs.integrations.internal;

import dev.llmobs.internal.json.JsonReader;
import java.util.List;
import java.util.Map;

/** Null-safe reads of JSON parsed into maps and lists ({@link JsonReader}'s shapes). Not for use outside llmobs-lambda. */
public final class Json {
  private Json() {}

  public static Object parse(byte[] bytes) {
    return bytes == null || bytes.length == 0 ? null : JsonReader.read(bytes);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> obj(Object o, String key) {
    Object v = o instanceof Map ? ((Map<String, Object>) o).get(key) : null;
    return v instanceof Map ? (Map<String, Object>) v : null;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> asObj(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : null;
  }

  public static List<?> list(Object o, String key) {
    Object v = o instanceof Map ? ((Map<?, ?>) o).get(key) : null;
    return v instanceof List ? (List<?>) v : null;
  }

  public static String str(Object o, String key) {
    Object v = o instanceof Map ? ((Map<?, ?>) o).get(key) : null;
    return v == null || v instanceof Map || v instanceof List ? null : v.toString();
  }

  public static Object raw(Object o, String key) {
    return o instanceof Map ? ((Map<?, ?>) o).get(key) : null;
  }

  public static Long num(Object o, String key) {
    Object v = o instanceof Map ? ((Map<?, ?>) o).get(key) : null;
    if (v instanceof Number) return ((Number) v).longValue();
    if (v instanceof String) {
      try {
        return Long.parseLong(((String) v).trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  public static boolean has(Object o, String key) {
    return o instanceof Map && ((Map<?, ?>) o).containsKey(key);
  }
}
