package dev.llmobs.bedrock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.document.Document;

/**
 * An AWS SDK request or response as plain maps and lists keyed by the service's wire names ({@code retrievalQuery},
 * {@code guardrailAction}), the shape {@link dev.llmobs.integrations.internal.Json} reads. It walks the model's own field
 * list, so the operations of a service we do not compile against (Bedrock Agent Runtime) are read without its
 * classes, and fields a newer SDK adds come along. Bytes become a size marker; depth is bounded.
 */
final class Pojos {
  private static final int MAX_DEPTH = 16;

  private Pojos() {}

  static Map<String, Object> toJava(SdkPojo pojo) {
    Object o = convert(pojo, 0);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = o instanceof Map ? (Map<String, Object>) o : Map.of();
    return m;
  }

  private static Object convert(Object v, int depth) {
    if (v == null || depth > MAX_DEPTH) return null;
    if (v instanceof String || v instanceof Number || v instanceof Boolean) return v;
    if (v instanceof SdkPojo) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (SdkField<?> f : ((SdkPojo) v).sdkFields()) {
        Object value = convert(f.getValueOrDefault(v), depth + 1);
        if (value != null) out.put(f.locationName() != null ? f.locationName() : f.memberName(), value);
      }
      return out;
    }
    if (v instanceof software.amazon.awssdk.core.util.SdkAutoConstructList
        || v instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap) {
      return null; // a collection the caller never set
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) out.add(convert(e, depth + 1));
      return out;
    }
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) out.put(String.valueOf(e.getKey()), convert(e.getValue(), depth + 1));
      return out;
    }
    if (v instanceof Document) return toJava((Document) v);
    if (v instanceof SdkBytes) return "[" + ((SdkBytes) v).asByteArrayUnsafe().length + " bytes]";
    return v.toString(); // Instant, enums: their wire text
  }

  /** A JSON document (tool inputs, schemas) as plain maps and lists; integers stay integers. */
  static Object toJava(Document d) {
    if (d == null || d.isNull()) return null;
    if (d.isString()) return d.asString();
    if (d.isBoolean()) return d.asBoolean();
    if (d.isNumber()) {
      java.math.BigDecimal n = d.asNumber().bigDecimalValue();
      return n.scale() <= 0 && n.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) < 0 ? (Object) n.longValue() : (Object) n.doubleValue();
    }
    if (d.isList()) {
      List<Object> out = new ArrayList<>();
      for (Document e : d.asList()) out.add(toJava(e));
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Document> e : d.asMap().entrySet()) out.put(e.getKey(), toJava(e.getValue()));
    return out;
  }}
