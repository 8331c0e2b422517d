package dev.llmobs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses OTLP/JSON request bodies with the official OTLP definitions ({@code io.opentelemetry.proto}) and
 * protobuf's JSON parser, which rejects unknown fields and wrong types: a body the real schema refuses fails the
 * test. OTLP/JSON writes trace and span ids as hex where protobuf's generic mapping wants base64; the ids are checked
 * to be well-formed hex of the right length, then converted, before parsing.
 */
public final class OtlpBodies {
  private OtlpBodies() {}

  public static ExportTraceServiceRequest traces(byte[] body) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    parse(body, b);
    return b.build();
  }

  public static ExportLogsServiceRequest logs(byte[] body) {
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    parse(body, b);
    return b.build();
  }

  /**
   * Either encoding, told by the first byte (a JSON body opens with {@code '{'}, a protobuf request with field 1's
   * tag, 0x0A). Protobuf is parsed strictly: no unknown field may be left, and ids must have OTLP's lengths.
   */
  private static void parse(byte[] body, Message.Builder builder) {
    if (body.length > 0 && body[0] != '{') {
      try {
        builder.mergeFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the OTLP schema refuses the protobuf body: " + e.getMessage(), e);
      }
      assertNoUnknownFields(builder.build());
      return;
    }
    try {
      Object tree = JSON.std.anyFrom(body);
      String json = JSON.std.asString(idsToBase64(tree, null));
      JsonFormat.parser().merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the OTLP schema refuses the body: " + e.getMessage() + "\n"
          + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
    } catch (IOException e) {
      throw new AssertionError("not JSON", e);
    }
  }

  /** Every message, nested ones too, parsed whole: no field the definitions do not have; ids of OTLP's lengths. */
  private static void assertNoUnknownFields(Message m) {
    assertTrue(m.getUnknownFields().asMap().isEmpty(), "unknown fields in " + m.getDescriptorForType().getName()
        + ": " + m.getUnknownFields());
    for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      String name = f.getKey().getName();
      Object v = f.getValue();
      if (v instanceof com.google.protobuf.ByteString) {
        int len = ((com.google.protobuf.ByteString) v).size();
        if (name.equals("trace_id")) assertEquals(16, len, "a 16-byte trace id");
        if (name.equals("span_id") || name.equals("parent_span_id")) assertEquals(8, len, "an 8-byte " + name);
      }
      if (v instanceof Message) assertNoUnknownFields((Message) v);
      if (v instanceof List) for (Object o : (List<?>) v) if (o instanceof Message) assertNoUnknownFields((Message) o);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object idsToBase64(Object node, String key) {
    if (node instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
        out.put(e.getKey(), idsToBase64(e.getValue(), e.getKey()));
      }
      return out;
    }
    if (node instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<Object>) node) out.add(idsToBase64(o, null));
      return out;
    }
    if (node instanceof String && key != null && (key.equals("traceId") || key.equals("spanId")
        || key.equals("parentSpanId"))) {
      String hex = (String) node;
      int len = key.equals("traceId") ? 32 : 16;
      assertTrue(hex.matches("[0-9a-f]{" + len + "}"), key + " is not " + len + " lower-case hex digits: " + hex);
      byte[] bytes = new byte[len / 2];
      for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
      return Base64.getEncoder().encodeToString(bytes);
    }
    return node;
  }

  /** Lower-case hex of an id as the proto holds it. */
  public static String hex(com.google.protobuf.ByteString id) {
    StringBuilder b = new StringBuilder();
    for (byte x : id.toByteArray()) b.append(String.format("%02x", x & 0xff));
    return b.toString();
  }

  /** Attributes as plain Java values: String, Long, Double, Boolean, List. Duplicated keys fail the test. */
  public static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      Object previous = out.put(kv.getKey(), value(kv.getValue()));
      assertEquals(null, previous, "attribute " + kv.getKey() + " sent twice");
    }
    return out;
  }

  static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE: return v.getStringValue();
      case INT_VALUE: return v.getIntValue();
      case DOUBLE_VALUE: return v.getDoubleValue();
      case BOOL_VALUE: return v.getBoolValue();
      case ARRAY_VALUE:
        List<Object> out = new ArrayList<>();
        for (AnyValue x : v.getArrayValue().getValuesList()) out.add(value(x));
        return out;
      default: return v.toString();
    }
  }
}
