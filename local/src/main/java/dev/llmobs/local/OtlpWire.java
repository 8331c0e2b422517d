package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP/HTTP request bodies, JSON or protobuf, read into their spans and log records as OTLP carries them; what they
 * mean for LLM Observability is {@link Otlp}'s business. Only the fields of the trace, logs and common messages our
 * exporter writes are read; a body that is neither is an {@link IOException}.
 */
final class OtlpWire {
  private OtlpWire() {}

  /** A span as OTLP carries it, before mapping. */
  static final class RawSpan {
    String traceId = "", spanId = "", parentSpanId = "", name = "", statusMessage;
    long start, end;
    int statusCode;
    final Map<String, Object> attributes = new LinkedHashMap<>();
    final List<Map<String, Object>> events = new ArrayList<>();
  }

  /** A log record as OTLP carries it. */
  static final class RawLog {
    String traceId = "", spanId = "", eventName;
    long time;
    final Map<String, Object> attributes = new LinkedHashMap<>();
  }

  /** The spans of an OTLP traces request. */
  static List<RawSpan> spans(byte[] body) throws IOException {
    return isJson(body) ? jsonSpans(body) : protoSpans(body);
  }

  /** The log records of an OTLP logs request. */
  static List<RawLog> logs(byte[] body) throws IOException {
    return isJson(body) ? jsonLogs(body) : protoLogs(body);
  }

  private static boolean isJson(byte[] body) {
    for (byte b : body) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
      return b == '{';
    }
    return false;
  }

  /**
   * The records of an export request in JSON: {@code resourceSpans > scopeSpans > spans}, or {@code resourceLogs >
   * scopeLogs > logRecords}, as the JSON mapping of trace.proto and logs.proto names them.
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> jsonRecords(byte[] body, String resources, String scopes, String records)
      throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object r : list(JSON.std.mapFrom(body).get(resources))) {
      for (Object s : list(((Map<String, Object>) r).get(scopes))) {
        for (Object o : list(((Map<String, Object>) s).get(records))) out.add((Map<String, Object>) o);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<RawSpan> jsonSpans(byte[] body) throws IOException {
    List<RawSpan> out = new ArrayList<>();
    for (Map<String, Object> m : jsonRecords(body, "resourceSpans", "scopeSpans", "spans")) {
      RawSpan s = new RawSpan();
      s.traceId = str(m.get("traceId"));
      s.spanId = str(m.get("spanId"));
      s.parentSpanId = str(m.get("parentSpanId"));
      s.name = str(m.get("name"));
      s.start = longOf(m.get("startTimeUnixNano"));
      s.end = longOf(m.get("endTimeUnixNano"));
      jsonAttributes(m.get("attributes"), s.attributes);
      for (Object e : list(m.get("events"))) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("name", ((Map<String, Object>) e).get("name"));
        jsonAttributes(((Map<String, Object>) e).get("attributes"), ev);
        s.events.add(ev);
      }
      Map<String, Object> status = (Map<String, Object>) m.get("status");
      if (status != null) {
        s.statusCode = (int) longOf(status.get("code"));
        s.statusMessage = (String) status.get("message");
      }
      out.add(s);
    }
    return out;
  }

  private static List<RawLog> jsonLogs(byte[] body) throws IOException {
    List<RawLog> out = new ArrayList<>();
    for (Map<String, Object> m : jsonRecords(body, "resourceLogs", "scopeLogs", "logRecords")) {
      RawLog l = new RawLog();
      l.traceId = str(m.get("traceId"));
      l.spanId = str(m.get("spanId"));
      l.eventName = (String) m.get("eventName");
      l.time = longOf(m.get("timeUnixNano"));
      jsonAttributes(m.get("attributes"), l.attributes);
      out.add(l);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void jsonAttributes(Object attributes, Map<String, Object> into) {
    for (Object a : list(attributes)) {
      Map<String, Object> kv = (Map<String, Object>) a;
      into.put(str(kv.get("key")), jsonValue((Map<String, Object>) kv.get("value")));
    }
  }

  @SuppressWarnings("unchecked")
  private static Object jsonValue(Map<String, Object> v) {
    if (v == null) return null;
    if (v.containsKey("stringValue")) return v.get("stringValue");
    if (v.containsKey("boolValue")) return v.get("boolValue");
    if (v.containsKey("intValue")) return longOf(v.get("intValue"));
    if (v.containsKey("doubleValue")) return ((Number) v.get("doubleValue")).doubleValue();
    if (v.containsKey("arrayValue")) {
      List<Object> out = new ArrayList<>();
      for (Object e : list(((Map<String, Object>) v.get("arrayValue")).get("values"))) {
        out.add(jsonValue((Map<String, Object>) e));
      }
      return out;
    }
    if (v.containsKey("kvlistValue")) {
      Map<String, Object> out = new LinkedHashMap<>();
      jsonAttributes(((Map<String, Object>) v.get("kvlistValue")).get("values"), out);
      return out;
    }
    return null;
  }

  // ---- protobuf: only the fields of trace.proto, logs.proto and common.proto we read -----------------------------

  /**
   * The records of an export request, each a reader of its own: a span ({@code ResourceSpans} 1 > {@code ScopeSpans} 2
   * > {@code Span} 2) or a log record ({@code ResourceLogs} 1 > {@code ScopeLogs} 2 > {@code LogRecord} 2), which
   * trace.proto and logs.proto nest alike.
   */
  private static List<ProtoWire> records(byte[] body) throws IOException {
    List<ProtoWire> out = new ArrayList<>();
    for (ProtoWire resource = new ProtoWire(body); resource.next(); ) {
      if (resource.field != 1) continue;
      for (ProtoWire scope = resource.message(); scope.next(); ) {
        if (scope.field != 2) continue;
        for (ProtoWire record = scope.message(); record.next(); ) {
          if (record.field == 2) out.add(record.message());
        }
      }
    }
    return out;
  }

  private static List<RawSpan> protoSpans(byte[] body) throws IOException {
    List<RawSpan> out = new ArrayList<>();
    for (ProtoWire f : records(body)) {
      RawSpan s = new RawSpan();
      while (f.next()) {
        switch (f.field) {
          case 1: s.traceId = hex(f.bytes()); break;
          case 2: s.spanId = hex(f.bytes()); break;
          case 4: s.parentSpanId = hex(f.bytes()); break;
          case 5: s.name = f.string(); break;
          case 7: s.start = f.value; break;
          case 8: s.end = f.value; break;
          case 9: keyValue(f.message(), s.attributes); break;
          case 11: {
            Map<String, Object> ev = new LinkedHashMap<>();
            for (ProtoWire e = f.message(); e.next(); ) {
              if (e.field == 2) ev.put("name", e.string());
              else if (e.field == 3) keyValue(e.message(), ev);
            }
            s.events.add(ev);
            break;
          }
          case 15:
            for (ProtoWire st = f.message(); st.next(); ) {
              if (st.field == 2) s.statusMessage = st.string();
              else if (st.field == 3) s.statusCode = (int) st.value;
            }
            break;
          default:
        }
      }
      out.add(s);
    }
    return out;
  }

  private static List<RawLog> protoLogs(byte[] body) throws IOException {
    List<RawLog> out = new ArrayList<>();
    for (ProtoWire f : records(body)) {
      RawLog l = new RawLog();
      while (f.next()) {
        switch (f.field) {
          case 1: l.time = f.value; break;
          case 6: keyValue(f.message(), l.attributes); break;
          case 9: l.traceId = hex(f.bytes()); break;
          case 10: l.spanId = hex(f.bytes()); break;
          case 12: l.eventName = f.string(); break;
          default:
        }
      }
      out.add(l);
    }
    return out;
  }

  private static void keyValue(ProtoWire kv, Map<String, Object> into) throws IOException {
    String key = null;
    Object value = null;
    while (kv.next()) {
      if (kv.field == 1) key = kv.string();
      else if (kv.field == 2) value = anyValue(kv.message());
    }
    if (key != null) into.put(key, value);
  }

  private static Object anyValue(ProtoWire v) throws IOException {
    Object out = null;
    while (v.next()) {
      switch (v.field) {
        case 1: out = v.string(); break;
        case 2: out = v.value != 0; break;
        case 3: out = v.value; break;
        case 4: out = Double.longBitsToDouble(v.value); break;
        case 5: {
          List<Object> values = new ArrayList<>();
          for (ProtoWire a = v.message(); a.next(); ) if (a.field == 1) values.add(anyValue(a.message()));
          out = values;
          break;
        }
        case 6: {
          Map<String, Object> map = new LinkedHashMap<>();
          for (ProtoWire a = v.message(); a.next(); ) if (a.field == 1) keyValue(a.message(), map);
          out = map;
          break;
        }
        default:
      }
    }
    return out;
  }

  static List<?> list(Object o) {
    return o instanceof List ? (List<?>) o : List.of();
  }

  static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  static long longOf(Object o) {
    if (o instanceof Number) return ((Number) o).longValue();
    if (o instanceof String && !((String) o).isEmpty()) return Long.parseLong((String) o);
    return 0;
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte x : bytes) sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    return sb.toString();
  }
}
