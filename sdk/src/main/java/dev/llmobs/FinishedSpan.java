package dev.llmobs;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A finished span, frozen: what crosses from recording into export. Immutable and safe to read from any thread;
 * nothing in it refers back to the span that recorded it. Inherited values (session, ml_app) are resolved.
 *
 * <p>Made only by this SDK. Tags and metrics are read by index, as Brave's {@code MutableSpan} offers them, so that
 * encoding a span allocates no iterator and no map.
 */
public final class FinishedSpan {
  private final SpanKind kind;
  private final String name, traceId, spanId, parentId;
  private final long startEpochNanos, durationNanos;
  private final String modelName, modelProvider, sessionId, mlApp;
  private final Object input, output; // String | IoValues.Messages | IoValues.Documents | null
  private final Map<String, Object> metadata;
  private final String[] tags; // key, value, key, value...
  private final int tagCount;
  private final String[] metricKeys;
  private final double[] metricValues;
  private final int metricCount;
  private final String errorType, errorMessage, errorStack;
  final long approxBytes;

  FinishedSpan(RealSpan s, String sessionId, String mlApp) {
    this.kind = s.kind;
    this.name = s.name;
    this.traceId = s.trace.hexId;
    this.spanId = Long.toUnsignedString(s.spanId);
    this.parentId = s.parentId == 0 ? null : Long.toUnsignedString(s.parentId);
    this.startEpochNanos = s.startEpochNanos;
    this.durationNanos = s.durationNanos;
    this.modelName = s.modelName;
    this.modelProvider = s.modelProvider;
    this.sessionId = sessionId;
    this.mlApp = mlApp;
    this.input = s.input;
    this.output = s.output;
    this.metadata = s.metadata == null ? Map.of() : Collections.unmodifiableMap(s.metadata);
    this.tags = s.tags;
    this.tagCount = s.tagCount;
    this.metricKeys = s.metricKeys;
    this.metricValues = s.metricValues;
    this.metricCount = s.metricCount;
    this.errorType = s.errorType;
    this.errorMessage = s.errorMessage;
    this.errorStack = s.errorStack;
    this.approxBytes = s.approxBytes + 256;
  }

  public SpanKind kind() { return kind; }

  public String name() { return name; }

  /** 32 lower-case hex digits. */
  public String traceId() { return traceId; }

  /** Unsigned decimal, as on the wire. */
  public String spanId() { return spanId; }

  /** Unsigned decimal; null for a root span. */
  public String parentId() { return parentId; }

  public long startEpochNanos() { return startEpochNanos; }

  public long durationNanos() { return durationNanos; }

  /** Null unless set ({@code llm} and {@code embedding} spans). */
  public String modelName() { return modelName; }

  public String modelProvider() { return modelProvider; }

  /** The session, set on this span or inherited from its trace; null if none. */
  public String sessionId() { return sessionId; }

  /** The ml_app, set on this span, inherited, or the configured default. */
  public String mlApp() { return mlApp; }

  /** The input as text, or null when there is none or it is messages or documents. */
  public String inputText() { return input instanceof String ? (String) input : null; }

  /** The input messages ({@code llm} spans), or null. */
  public List<Message> inputMessages() { return IoValues.messages(input); }

  /** The input documents ({@code embedding} spans), or null. */
  public List<Document> inputDocuments() { return IoValues.documents(input); }

  public String outputText() { return output instanceof String ? (String) output : null; }

  public List<Message> outputMessages() { return IoValues.messages(output); }

  /** The output documents ({@code retrieval} spans), or null. */
  public List<Document> outputDocuments() { return IoValues.documents(output); }

  /**
   * Metadata in the order it was set. A value is a string, number, boolean, null, or a {@link JsonText} holding a
   * container that was copied to JSON when it was recorded.
   */
  public Map<String, Object> metadata() { return metadata; }

  public int tagCount() { return tagCount; }

  public String tagKey(int i) { return tags[2 * check(i, tagCount)]; }

  public String tagValue(int i) { return tags[2 * check(i, tagCount) + 1]; }

  public int metricCount() { return metricCount; }

  public String metricKey(int i) { return metricKeys[check(i, metricCount)]; }

  public double metricValue(int i) { return metricValues[check(i, metricCount)]; }

  /** The error's type, or null when the span succeeded. */
  public String errorType() { return errorType; }

  public String errorMessage() { return errorMessage; }

  public String errorStack() { return errorStack; }

  private static int check(int i, int count) {
    if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i + " of " + count);
    return i;
  }

  @Override public String toString() {
    return "FinishedSpan{" + kind.wireName + " '" + name + "' " + spanId + " in " + traceId + "}";
  }

  /** A container value copied to JSON text when it was recorded, so that later changes cannot reach the span. */
  public static final class JsonText {
    private final byte[] utf8;

    JsonText(byte[] utf8) {
      this.utf8 = utf8;
    }

    /** The UTF-8 bytes of the JSON text; a copy. */
    public byte[] utf8() {
      return utf8.clone();
    }

    int size() {
      return utf8.length;
    }

    @Override public String toString() {
      return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
