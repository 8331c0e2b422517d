package dev.llmobs.langchain4j;

import dev.llmobs.LLMObsSpan;
import java.util.Map;

/**
 * A span carried from a LangChain4j listener's request callback to its response or error callback, in the
 * attributes map LangChain4j hands both: the callbacks may run on different threads, and the map is per call.
 */
final class SpanAttributes {
  /** The key; a private object, so no user key can collide with it. */
  private static final Object SPAN = new Object();

  private SpanAttributes() {}

  static void put(Map<Object, Object> attributes, LLMObsSpan span) {
    if (attributes != null) attributes.put(SPAN, span);
  }

  /** The span, removed from the map; null if the request callback did not start one. */
  static LLMObsSpan take(Map<Object, Object> attributes) {
    Object s = attributes == null ? null : attributes.remove(SPAN);
    return s instanceof LLMObsSpan ? (LLMObsSpan) s : null;
  }

  /** Ends the call's span with the error the caller sees. */
  static void fail(Map<Object, Object> attributes, Throwable error) {
    fail(take(attributes), error);
  }

  /** Ends {@code span}, if any, with {@code error}, if any. */
  static void fail(LLMObsSpan span, Throwable error) {
    if (span == null) return;
    try {
      if (error != null) span.error(error);
    } finally {
      span.finish();
    }
  }
}
