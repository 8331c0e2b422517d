package dev.llmobs.export.otlp;

import dev.llmobs.internal.json.JsonWriter;
import java.util.List;

/** Writes OTLP {@code KeyValue} elements, with the commas between them. */
final class OtlpAttributes {
  private final JsonWriter w;
  private boolean first = true;

  OtlpAttributes(JsonWriter w) {
    this.w = w;
  }

  private JsonWriter key(String key) {
    if (!first) w.raw(',');
    first = false;
    return w.raw("{\"key\":").string(key).raw(",\"value\":");
  }

  OtlpAttributes string(String key, String value) {
    key(key).raw("{\"stringValue\":").string(value == null ? "" : value).raw("}}");
    return this;
  }

  OtlpAttributes integer(String key, long value) {
    key(key).raw("{\"intValue\":\"").number(value).raw("\"}}");
    return this;
  }

  OtlpAttributes dbl(String key, double value) {
    key(key).raw("{\"doubleValue\":").number(value).raw("}}");
    return this;
  }

  OtlpAttributes bool(String key, boolean value) {
    key(key).raw(value ? "{\"boolValue\":true}}" : "{\"boolValue\":false}}");
    return this;
  }

  OtlpAttributes stringArray(String key, List<String> values) {
    key(key).raw("{\"arrayValue\":{\"values\":[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) w.raw(',');
      w.raw("{\"stringValue\":").string(values.get(i)).raw('}');
    }
    w.raw("]}}}");
    return this;
  }
}
