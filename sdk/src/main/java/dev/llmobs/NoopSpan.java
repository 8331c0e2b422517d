package dev.llmobs;

import java.util.List;
import java.util.Map;

/** What every call returns when the SDK is disabled: records nothing, costs nothing. */
final class NoopSpan extends LLMObsSpan {
  static final SpanContext EMPTY_CONTEXT =
      new SpanContext("00000000000000000000000000000000", "0", null, null);

  private final SpanKind kind;

  private NoopSpan(SpanKind kind) {
    this.kind = kind;
  }

  private static final NoopSpan[] BY_KIND = new NoopSpan[SpanKind.values().length];

  static {
    for (SpanKind k : SpanKind.values()) BY_KIND[k.ordinal()] = new NoopSpan(k);
  }

  static NoopSpan of(SpanKind kind) {
    return BY_KIND[(kind == null ? SpanKind.TASK : kind).ordinal()];
  }

  @Override public SpanKind kind() { return kind; }
  @Override public SpanContext context() { return EMPTY_CONTEXT; }
  @Override public boolean isRecording() { return false; }
  @Override public LLMObsSpan name(String name) { return this; }
  @Override public LLMObsSpan input(String text) { return this; }
  @Override public LLMObsSpan input(Object value) { return this; }
  @Override public LLMObsSpan output(String text) { return this; }
  @Override public LLMObsSpan output(Object value) { return this; }
  @Override public LLMObsSpan inputMessages(List<Message> messages) { return this; }
  @Override public LLMObsSpan outputMessages(List<Message> messages) { return this; }
  @Override public LLMObsSpan inputDocuments(List<Document> documents) { return this; }
  @Override public LLMObsSpan outputDocuments(List<Document> documents) { return this; }
  @Override public LLMObsSpan toolDefinitions(List<ToolDefinition> tools) { return this; }

  @Override public LLMObsSpan prompt(Prompt prompt) { return this; }
  @Override public LLMObsSpan metadata(String key, Object value) { return this; }
  @Override public LLMObsSpan metadata(Map<String, ?> entries) { return this; }
  @Override public LLMObsSpan metric(String key, double value) { return this; }
  @Override public LLMObsSpan tokens(long inputTokens, long outputTokens) { return this; }
  @Override public LLMObsSpan tag(String key, String value) { return this; }
  @Override public LLMObsSpan sessionId(String sessionId) { return this; }
  @Override public LLMObsSpan mlApp(String mlApp) { return this; }
  @Override public LLMObsSpan modelName(String modelName) { return this; }
  @Override public LLMObsSpan modelProvider(String modelProvider) { return this; }
  @Override public LLMObsSpan parent(LLMObsSpan parent) { return this; }
  @Override public LLMObsSpan parent(SpanContext parent) { return this; }
  @Override public LLMObsSpan error(Throwable error) { return this; }
  @Override public LLMObsSpan error(String type, String message) { return this; }
  @Override public void finish() {}

  @Override public String toString() {
    return "NoopSpan{" + kind.wireName + "}";
  }
}
