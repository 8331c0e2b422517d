package dev.llmobs.lambda;

import dev.llmobs.internal.Throwables;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads fields of an event without knowing its type: a {@code Map} (an event handled as a map, or raw JSON parsed),
 * or a POJO such as {@code APIGatewayProxyRequestEvent}, through its getters. This is how API Gateway v1 and v2,
 * Function URL and ALB events are handled alike: all carry {@code headers} and {@code queryStringParameters}
 * (v1 and ALB also {@code multiValue...} twins).
 */
final class EventFields {
  private EventFields() {}

  /** Request headers with lower-case names, or an empty map. */
  static Map<String, String> headers(Object event) {
    Map<String, String> out = new HashMap<>();
    copyLowerCase(field(event, "multiValueHeaders"), out);
    copyLowerCase(field(event, "headers"), out);
    return out;
  }

  /** A query parameter, or null. ALB does not decode query strings; API Gateway does. */
  static String query(Object event, String name) {
    String v = firstValue(mapGet(field(event, "queryStringParameters"), name));
    if (v == null) v = firstValue(mapGet(field(event, "multiValueQueryStringParameters"), name));
    if (v != null && isAlb(event) && v.indexOf('%') >= 0) {
      try {
        v = URLDecoder.decode(v, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // keep it as sent
      }
    }
    return v;
  }

  /**
   * The value at a dotted path; a string holding JSON (such as API Gateway's {@code body}) is parsed on the way.
   */
  static Object path(Object event, String[] path) {
    Object cur = event;
    for (String segment : path) {
      if (cur instanceof String) cur = parseJson((String) cur);
      cur = field(cur, segment);
      if (cur == null) return null;
    }
    return cur;
  }

  static Object field(Object o, String name) {
    if (o == null) return null;
    if (o instanceof Map) return ((Map<?, ?>) o).get(name);
    if (o instanceof String || o instanceof Number || o instanceof Boolean) return null;
    Class<?> type = o.getClass();
    Optional<Method> getter = GETTERS.get(type).computeIfAbsent(name, n -> lookup(type, n));
    if (!getter.isPresent()) return null;
    try {
      return getter.get().invoke(o);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return null;
    }
  }

  /** Getters looked up once per event class and field name: every invocation reads the same few. */
  private static final ClassValue<Map<String, Optional<Method>>> GETTERS = new ClassValue<>() {
    @Override protected Map<String, Optional<Method>> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private static Optional<Method> lookup(Class<?> type, String name) {
    String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    try {
      Method m = type.getMethod(getter);
      return m.getParameterCount() == 0 ? Optional.of(m) : Optional.empty();
    } catch (NoSuchMethodException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses JSON text into maps and lists (the SDK's own reader: a repeated key keeps its last value, as the AWS and
   * model SDKs' Jackson reads it), or returns null. Only when a field is needed.
   */
  static Object parseJson(String text) {
    String t = text.trim();
    if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[')) return null;
    return dev.llmobs.internal.json.JsonReader.read(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static boolean isAlb(Object event) {
    Object rc = field(event, "requestContext");
    return field(rc, "elb") != null;
  }

  private static Object mapGet(Object map, String key) {
    return map instanceof Map ? ((Map<?, ?>) map).get(key) : null;
  }

  private static String firstValue(Object v) {
    if (v instanceof List) {
      List<?> l = (List<?>) v;
      return l.isEmpty() || l.get(0) == null ? null : l.get(0).toString();
    }
    return v == null ? null : v.toString();
  }

  private static void copyLowerCase(Object map, Map<String, String> out) {
    if (!(map instanceof Map)) return;
    for (Map.Entry<?, ?> e : ((Map<?, ?>) map).entrySet()) {
      String v = firstValue(e.getValue());
      if (e.getKey() != null && v != null) out.put(e.getKey().toString().toLowerCase(Locale.ROOT), v);
    }
  }
}
