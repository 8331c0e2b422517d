package dev.llmobs;

import dev.llmobs.export.datadog.DatadogJson;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.json.JsonWriter;
import java.util.List;

/**
 * Turns what a user hands a span into what the wire accepts, when it is recorded: text, a private copy of messages
 * or documents, or JSON text. Kept out of the recording span, which holds only state and lifecycle.
 */
final class IoValues {
  private IoValues() {}

  /** A private copy of the user's list; a list that cannot be read is refused, and says so. */
  static Object copy(List<?> list, boolean messages, String spanName) {
    try {
      return messages ? new FinishedSpan.Messages(list) : new FinishedSpan.Documents(list);
    } catch (RuntimeException e) {
      Usage.rejected("bad-list", "could not read the " + (messages ? "messages" : "documents") + " given to span '"
          + spanName + "': " + e + "; ignored");
      return null;
    }
  }

  /** Turns a value into what the wire accepts for {@code kind}: messages, documents, or a text value. */
  static Object convert(SpanKind kind, String spanName, boolean isInput, Object value) {
    if (kind == SpanKind.RETRIEVAL && !isInput) value = asDocuments(value); // the spec wants documents there
    if (value instanceof String) return value;
    if (value instanceof List && !(value instanceof FinishedSpan.Messages) && !(value instanceof FinishedSpan.Documents)) {
      value = typedList((List<?>) value);
    }
    if (value instanceof FinishedSpan.Messages) {
      if (kind == SpanKind.LLM) return value;
      Usage.report("messages-kind", "chat messages are for llm spans; recorded as text on " + kind.wireName
          + " span '" + spanName + "'");
      return DatadogJson.messages(new JsonWriter(256), ((FinishedSpan.Messages) value).list).toString();
    }
    if (value instanceof FinishedSpan.Documents) {
      boolean fits = isInput ? kind == SpanKind.EMBEDDING : kind == SpanKind.RETRIEVAL;
      if (fits) return value;
      Usage.report("documents-kind", "documents are the input of embedding spans and the output of retrieval spans;"
          + " recorded as text on " + kind.wireName + " span '" + spanName + "'");
      return DatadogJson.documents(new JsonWriter(256), ((FinishedSpan.Documents) value).list).toString();
    }
    if (value instanceof CharSequence) return value.toString();
    try {
      JsonWriter w = new JsonWriter(256).value(value);
      saidOnce(w, spanName);
      return w.toString();
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.rejected("unserializable", "could not serialize " + value.getClass().getName() + ": " + t);
      return "[unserializable " + value.getClass().getName() + "]";
    }
  }

  /** A retrieval's output as documents: a string is one, a list of strings one each; documents stay as they are. */
  private static Object asDocuments(Object value) {
    if (value instanceof CharSequence) return new FinishedSpan.Documents(List.of(Document.of(value.toString())));
    if (value instanceof List && !((List<?>) value).isEmpty()) {
      boolean allText = true;
      for (Object o : (List<?>) value) allText &= o instanceof CharSequence;
      if (allText) {
        List<Document> docs = new java.util.ArrayList<>();
        for (Object o : (List<?>) value) docs.add(Document.of(o.toString()));
        return new FinishedSpan.Documents(docs);
      }
    }
    return value;
  }

  /** A List whose elements are all messages or all documents becomes a typed copy; others are left as they are. */
  private static Object typedList(List<?> list) {
    if (list.isEmpty()) return list;
    boolean allMessages = true, allDocuments = true;
    for (Object o : list) {
      allMessages &= o instanceof Message;
      allDocuments &= o instanceof Document;
    }
    return allMessages ? new FinishedSpan.Messages(list) : allDocuments ? new FinishedSpan.Documents(list) : list;
  }

  /**
   * Keeps scalars as they are and copies containers to JSON text now, so that later changes by the user, or a map
   * that cannot be serialized, cannot affect the span at flush time.
   */
  static Object snapshot(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) return value;
    if (value instanceof Number && !(value instanceof java.math.BigDecimal) && !(value instanceof java.math.BigInteger)
        && Double.isFinite(((Number) value).doubleValue())) {
      return value;
    }
    try {
      JsonWriter w = new JsonWriter(128).valueBelow(value, 2); // meta > metadata > this value
      saidOnce(w, null);
      return new FinishedSpan.JsonText(w.toByteArray());
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.rejected("unserializable", "could not serialize metadata value of " + value.getClass().getName() + ": " + t);
      return "[unserializable " + value.getClass().getName() + "]";
    }
  }

  private static void saidOnce(JsonWriter w, String spanName) {
    if (w.unreadableNumbers() > 0) {
      Usage.rejected("number", w.unreadableNumbers() + " number(s)" + (spanName == null ? "" : " on span '" + spanName + "'")
          + " not a finite JSON number (NaN, infinity, or beyond a double's range): sent as strings");
    }
  }

  /** Rough size in characters: bounds the export queue in bytes. */
  static long sizeOf(Object io) {
    if (io == null) return 0;
    if (io instanceof String) return ((String) io).length();
    if (io instanceof FinishedSpan.JsonText) return ((FinishedSpan.JsonText) io).size();
    long n = 64;
    if (io instanceof FinishedSpan.Messages) {
      for (Message m : ((FinishedSpan.Messages) io).list) n += 64 + (m.content == null ? 0 : m.content.length());
    } else if (io instanceof FinishedSpan.Documents) {
      for (Document d : ((FinishedSpan.Documents) io).list) n += 64 + d.text.length();
    }
    return n;
  }
}
