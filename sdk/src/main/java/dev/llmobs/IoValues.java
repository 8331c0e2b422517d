package dev.llmobs;

import dev.llmobs.export.JsonWriter;
import dev.llmobs.internal.Throwables;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns what a user hands a span into what the wire accepts, when it is recorded: text, a private copy of messages
 * or documents, or JSON text. Kept out of {@link RealSpan}, which holds only state and lifecycle.
 */
final class IoValues {
  private IoValues() {}

  /** Messages as recorded: a private, unmodifiable copy. */
  static final class Messages {
    final List<Message> list;

    Messages(List<?> in) {
      List<Message> copy = new ArrayList<>(in.size());
      for (Object m : in) if (m instanceof Message) copy.add((Message) m);
      list = Collections.unmodifiableList(copy);
    }
  }

  /** Documents as recorded: a private, unmodifiable copy. */
  static final class Documents {
    final List<Document> list;

    Documents(List<?> in) {
      List<Document> copy = new ArrayList<>(in.size());
      for (Object d : in) if (d instanceof Document) copy.add((Document) d);
      list = Collections.unmodifiableList(copy);
    }
  }

  static List<Message> messages(Object io) {
    return io instanceof Messages ? ((Messages) io).list : null;
  }

  static List<Document> documents(Object io) {
    return io instanceof Documents ? ((Documents) io).list : null;
  }

  /** Turns a value into what the wire accepts for {@code kind}: messages, documents, or a text value. */
  static Object convert(SpanKind kind, String spanName, boolean isInput, Object value) {
    if (value instanceof String) return value;
    if (value instanceof List && !(value instanceof Messages) && !(value instanceof Documents)) {
      value = typedList((List<?>) value);
    }
    if (value instanceof Messages) {
      if (kind == SpanKind.LLM) return value;
      Usage.report("messages-kind", "chat messages are for llm spans; recorded as text on " + kind.wireName
          + " span '" + spanName + "'");
      return new JsonWriter(256).messages(((Messages) value).list).toString();
    }
    if (value instanceof Documents) {
      boolean fits = isInput ? kind == SpanKind.EMBEDDING : kind == SpanKind.RETRIEVAL;
      if (fits) return value;
      Usage.report("documents-kind", "documents are the input of embedding spans and the output of retrieval spans;"
          + " recorded as text on " + kind.wireName + " span '" + spanName + "'");
      return new JsonWriter(256).documents(((Documents) value).list).toString();
    }
    if (value instanceof CharSequence) return value.toString();
    try {
      return new JsonWriter(256).value(value).toString();
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.rejected("unserializable", "could not serialize " + value.getClass().getName() + ": " + t);
      return "[unserializable " + value.getClass().getName() + "]";
    }
  }

  /** A List whose elements are all Messages or all Documents becomes a typed copy; others are left as they are. */
  private static Object typedList(List<?> list) {
    if (list.isEmpty()) return list;
    boolean allMessages = true, allDocuments = true;
    for (Object o : list) {
      allMessages &= o instanceof Message;
      allDocuments &= o instanceof Document;
    }
    return allMessages ? new Messages(list) : allDocuments ? new Documents(list) : list;
  }

  /**
   * Keeps scalars as they are and copies containers to JSON text now, so that later changes by the user, or a map
   * that cannot be serialized, cannot affect the span at flush time.
   */
  static Object snapshot(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) return value;
    try {
      return new FinishedSpan.JsonText(new JsonWriter(128).value(value).toByteArray());
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.rejected("unserializable", "could not serialize metadata value of " + value.getClass().getName() + ": " + t);
      return "[unserializable " + value.getClass().getName() + "]";
    }
  }

  /** Rough size in characters: bounds the export queue in bytes. */
  static long sizeOf(Object io) {
    if (io == null) return 0;
    if (io instanceof String) return ((String) io).length();
    if (io instanceof FinishedSpan.JsonText) return ((FinishedSpan.JsonText) io).size();
    long n = 64;
    if (io instanceof Messages) {
      for (Message m : ((Messages) io).list) n += 64 + (m.content == null ? 0 : m.content.length());
    } else if (io instanceof Documents) {
      for (Document d : ((Documents) io).list) n += 64 + d.text.length();
    }
    return n;
  }
}
