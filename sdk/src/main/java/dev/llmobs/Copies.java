package dev.llmobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Private copies of the lists and maps users hand us, taken at once so that later changes do not reach a span. A
 * collection whose reading throws (a broken {@code iterator()} or {@code entrySet()}, a concurrent modification) is
 * refused, counted and said, and never throws into the caller.
 */
final class Copies {
  private Copies() {}

  /**
   * An unmodifiable copy of {@code in} without its nulls (empty for null), or null when {@code in} cannot be read:
   * then "could not read {@code what}" is logged once and counted.
   */
  static <T> List<T> list(List<? extends T> in, String what) {
    if (in == null) return List.of();
    try {
      List<T> out = new ArrayList<>(in.size());
      for (T t : in) if (t != null) out.add(t);
      return Collections.unmodifiableList(out);
    } catch (RuntimeException e) {
      Usage.rejected("bad-list", "could not read " + what + ": " + e + "; left out");
      return null;
    }
  }

  /**
   * An unmodifiable copy of {@code in}, in its order; null for null, and null when {@code in} cannot be read: then
   * "could not read {@code what}" is logged once and counted.
   */
  static Map<String, Object> map(Map<String, ?> in, String what) {
    if (in == null) return null;
    try {
      return Collections.unmodifiableMap(new LinkedHashMap<>(in));
    } catch (RuntimeException e) {
      Usage.rejected("bad-map", "could not read " + what + ": " + e + "; left out");
      return null;
    }
  }
}
