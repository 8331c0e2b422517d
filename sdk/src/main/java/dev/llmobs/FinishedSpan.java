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
  private final String name, traceId;
  private final long spanId, parentId; // kept as numbers until encoded; parentId 0 = root
  private final long startEpochNanos, durationNanos;
  private final String modelName, modelProvider, sessionId, mlApp;
  private final Object input, output; // String | Messages | Documents | null
  private final Map<String, Object> metadata;
  private final String[] tags; // key, value, key, value...
  private final int tagCount;
  private final String[] metricKeys;
  private final double[] metricValues;
  private final int metricCount;
  private final String errorType, errorMessage, errorStack;
  final long approxBytes;
  private final double sampleRate;
  private final List<ToolDefinition> toolDefinitions;
  private final Prompt prompt;

  /** A copy with some fields replaced: what a {@link SpanProcessor} returns. */
  private FinishedSpan(FinishedSpan o, long parentId, Object input, Object output, Map<String, Object> metadata,
      String[] tags, int tagCount) {
    this(o.kind, o.name, o.traceId, o.spanId, parentId, o.startEpochNanos, o.durationNanos, o.modelName,
        o.modelProvider, o.sessionId, o.mlApp, input, output, metadata, tags, tagCount, o.metricKeys, o.metricValues,
        o.metricCount, o.errorType, o.errorMessage, o.errorStack, o.approxBytes - 256, o.sampleRate,
        o.toolDefinitions, o.prompt);
  }

  /** Made by the recording span when it is frozen, and by the copies below: plain values only. */
  FinishedSpan(SpanKind kind, String name, String traceId, long spanId, long parentId, long startEpochNanos,
      long durationNanos, String modelName, String modelProvider, String sessionId, String mlApp, Object input,
      Object output, Map<String, Object> metadata, String[] tags, int tagCount, String[] metricKeys,
      double[] metricValues, int metricCount, String errorType, String errorMessage, String errorStack,
      long approxBytes, double sampleRate, List<ToolDefinition> toolDefinitions, Prompt prompt) {
    this.sampleRate = sampleRate;
    this.prompt = prompt;
    this.toolDefinitions = toolDefinitions == null ? List.of() : toolDefinitions;
    this.kind = kind;
    this.name = name;
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentId = parentId;
    this.startEpochNanos = startEpochNanos;
    this.durationNanos = durationNanos;
    this.modelName = modelName;
    this.modelProvider = modelProvider;
    this.sessionId = sessionId;
    this.mlApp = mlApp;
    this.input = input;
    this.output = output;
    this.metadata = metadata == null ? Map.of() : metadata;
    this.tags = tags;
    this.tagCount = tagCount;
    this.metricKeys = metricKeys;
    this.metricValues = metricValues;
    this.metricCount = metricCount;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.errorStack = errorStack;
    this.approxBytes = approxBytes + 256;
  }

  /** This span with its input replaced by {@code text} (null removes it). */
  public FinishedSpan withInputText(String text) {
    return new FinishedSpan(this, parentId, text, output, metadata, tags, tagCount);
  }

  /** This span with its output replaced by {@code text} (null removes it). */
  public FinishedSpan withOutputText(String text) {
    return new FinishedSpan(this, parentId, input, text, metadata, tags, tagCount);
  }

  /** This span with its input messages replaced ({@code llm} spans). */
  public FinishedSpan withInputMessages(List<Message> messages) {
    return new FinishedSpan(this, parentId, messages == null ? null : new Messages(messages), output, metadata, tags,
        tagCount);
  }

  /** This span with its output messages replaced ({@code llm} spans). */
  public FinishedSpan withOutputMessages(List<Message> messages) {
    return new FinishedSpan(this, parentId, input, messages == null ? null : new Messages(messages), metadata, tags,
        tagCount);
  }

  /**
   * This span with its metadata replaced: values as {@link #metadata()} gives them (strings, numbers, booleans,
   * {@link JsonText}).
   */
  public FinishedSpan withMetadata(Map<String, Object> metadata) {
    Map<String, Object> copy = metadata == null ? Map.of()
        : Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    return new FinishedSpan(this, parentId, input, output, copy, tags, tagCount);
  }

  /**
   * This span with tag {@code key} set to {@code value}, or removed when {@code value} is null. Keys are checked as
   * {@link LLMObsSpan#tag} checks them: a reserved or empty key leaves the span as it is, a ':' becomes '_', and
   * either is said once in the log.
   */
  public FinishedSpan withTag(String key, String value) {
    key = TagKeys.check(key, name);
    if (key == null) return this;
    String[] t = new String[2 * tagCount + 2];
    int n = 0;
    for (int i = 0; i < tagCount; i++) {
      if (tags[2 * i].equals(key)) continue;
      t[2 * n] = tags[2 * i];
      t[2 * n++ + 1] = tags[2 * i + 1];
    }
    if (value != null) {
      t[2 * n] = key;
      t[2 * n++ + 1] = value;
    }
    return new FinishedSpan(this, parentId, input, output, metadata, t, n);
  }

  public SpanKind kind() { return kind; }

  public String name() { return name; }

  /** 32 lower-case hex digits. */
  public String traceId() { return traceId; }

  /** Unsigned decimal, as on the wire. */
  public String spanId() { return Long.toUnsignedString(spanId); }

  /** Unsigned decimal; null for a root span. */
  public String parentId() { return parentId == 0 ? null : Long.toUnsignedString(parentId); }

  long spanIdValue() { return spanId; }

  long parentIdValue() { return parentId; }

  /** This span under another parent (0: none): its own parent was dropped by the span processor. */
  FinishedSpan withParentId(long newParent) {
    return new FinishedSpan(this, newParent, input, output, metadata, tags, tagCount);
  }

  public long startEpochNanos() { return startEpochNanos; }

  /** The tools the model was offered ({@code llm} spans); empty when none. */
  public List<ToolDefinition> toolDefinitions() { return toolDefinitions; }

  /** The prompt template of an {@code llm} span, or null. */
  public Prompt prompt() { return prompt; }

  /** The rate its trace was kept at ({@code DD_LLMOBS_SAMPLE_RATE}, or the caller's): only kept spans exist. */
  public double sampleRate() { return sampleRate; }

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
  public List<Message> inputMessages() { return input instanceof Messages ? ((Messages) input).list : null; }

  /** The input documents ({@code embedding} spans), or null. */
  public List<Document> inputDocuments() { return input instanceof Documents ? ((Documents) input).list : null; }

  public String outputText() { return output instanceof String ? (String) output : null; }

  public List<Message> outputMessages() { return output instanceof Messages ? ((Messages) output).list : null; }

  /** The output documents ({@code retrieval} spans), or null. */
  public List<Document> outputDocuments() { return output instanceof Documents ? ((Documents) output).list : null; }

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
    return "FinishedSpan{" + kind.wireName + " '" + name + "' " + spanId() + " in " + traceId + "}";
  }

  /** Messages as recorded: a private, unmodifiable copy. */
  static final class Messages {
    final List<Message> list;

    Messages(List<?> in) {
      List<Message> copy = new java.util.ArrayList<>(in.size());
      for (Object m : in) if (m instanceof Message) copy.add((Message) m);
      list = Collections.unmodifiableList(copy);
    }
  }

  /** Documents as recorded: a private, unmodifiable copy. */
  static final class Documents {
    final List<Document> list;

    Documents(List<?> in) {
      List<Document> copy = new java.util.ArrayList<>(in.size());
      for (Object d : in) if (d instanceof Document) copy.add((Document) d);
      list = Collections.unmodifiableList(copy);
    }
  }

  /** A container value copied to JSON text when it was recorded, so that later changes cannot reach the span. */
  public static final class JsonText implements dev.llmobs.internal.json.JsonWriter.Raw {
    private final byte[] utf8;

    JsonText(byte[] utf8) {
      this.utf8 = utf8;
    }

    /** The UTF-8 bytes of the JSON text; a copy. */
    @Override public byte[] utf8() {
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
