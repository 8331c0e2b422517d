package dev.llmobs.export.otlp;

import dev.llmobs.internal.json.JsonWriter;
import java.util.List;

/**
 * Writes OTLP {@code KeyValue} attributes in one of OTLP's two encodings: the mapping of our spans to the
 * conventions is written once, against this, and each encoding frames it its own way.
 */
abstract class OtlpAttributes {
  abstract OtlpAttributes string(String key, String value);

  abstract OtlpAttributes integer(String key, long value);

  abstract OtlpAttributes dbl(String key, double value);

  abstract OtlpAttributes bool(String key, boolean value);

  abstract OtlpAttributes stringArray(String key, List<String> values);

  /** OTLP/JSON: {@code KeyValue} objects with the commas between them. */
  static final class Json extends OtlpAttributes {
    private final JsonWriter w;
    private boolean first = true;

    Json(JsonWriter w) {
      this.w = w;
    }

    private JsonWriter key(String key) {
      if (!first) w.raw(',');
      first = false;
      return w.raw("{\"key\":").string(key).raw(",\"value\":");
    }

    @Override OtlpAttributes string(String key, String value) {
      key(key).raw("{\"stringValue\":").string(value == null ? "" : value).raw("}}");
      return this;
    }

    @Override OtlpAttributes integer(String key, long value) {
      key(key).raw("{\"intValue\":\"").number(value).raw("\"}}");
      return this;
    }

    @Override OtlpAttributes dbl(String key, double value) {
      key(key).raw("{\"doubleValue\":").number(value).raw("}}");
      return this;
    }

    @Override OtlpAttributes bool(String key, boolean value) {
      key(key).raw(value ? "{\"boolValue\":true}}" : "{\"boolValue\":false}}");
      return this;
    }

    @Override OtlpAttributes stringArray(String key, List<String> values) {
      key(key).raw("{\"arrayValue\":{\"values\":[");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) w.raw(',');
        w.raw("{\"stringValue\":").string(values.get(i)).raw('}');
      }
      w.raw("]}}}");
      return this;
    }
  }

  /** OTLP/protobuf: each attribute a {@code KeyValue} message in field {@code field} of the message being written. */
  static final class Protobuf extends OtlpAttributes {
    private final Proto out;
    private final int field;

    Protobuf(Proto out, int field) {
      this.out = out;
      this.field = field;
    }

    /** {@code KeyValue{key = 1, value = 2: AnyValue}} around one {@code AnyValue}. */
    private OtlpAttributes put(String key, Proto anyValue) {
      Proto kv = new Proto(key.length() + anyValue.size() + 8).string(1, key).message(2, anyValue);
      out.message(field, kv);
      return this;
    }

    @Override OtlpAttributes string(String key, String value) {
      return put(key, new Proto(16).string(1, value)); // AnyValue.string_value
    }

    @Override OtlpAttributes integer(String key, long value) {
      return put(key, new Proto(12).uint(3, value)); // int_value (int64, two's complement as varint)
    }

    @Override OtlpAttributes dbl(String key, double value) {
      return put(key, new Proto(12).dbl(4, value)); // double_value
    }

    @Override OtlpAttributes bool(String key, boolean value) {
      return put(key, new Proto(4).uint(2, value ? 1 : 0)); // bool_value
    }

    @Override OtlpAttributes stringArray(String key, List<String> values) {
      Proto array = new Proto(32);
      for (String v : values) array.message(1, new Proto(16).string(1, v)); // ArrayValue.values
      return put(key, new Proto(array.size() + 8).message(5, array)); // array_value
    }
  }
}
