package dev.llmobs;

import java.util.List;
import java.util.Map;

/**
 * A unit of LLM work: one model call, a tool call, a retrieval, a whole invocation. Obtain one from {@link LLMObs};
 * annotate it; finish it with {@link #finish()} or by closing it in try-with-resources.
 *
 * <p>No method throws, whatever the argument: a bad value (null, NaN, an object whose {@code toString} throws) is
 * logged in one line and ignored or replaced, and the span still lands. Annotating a finished span does nothing
 * but log once. Every method is safe to call from any thread.
 *
 * <p>{@link #close()} cannot see an exception, so the inline form records one explicitly:
 * <pre>{@code
 * try (LLMObsSpan span = LLMObs.workflow("answer")) {
 *   try {
 *     span.input(question).output(answer(question));
 *   } catch (RuntimeException e) {
 *     span.error(e);
 *     throw e;
 *   }
 * }
 * }</pre>
 * The functional form ({@code LLMObs.workflow("answer", () -> answer(question))}) does this for you.
 */
public abstract class LLMObsSpan implements AutoCloseable {
  LLMObsSpan() {} // only this package makes spans

  /** The span's kind. */
  public abstract SpanKind kind();

  /** The ids this span is sent with. For a disabled SDK, ids of zeros. */
  public abstract SpanContext context();

  /** False once finished, and always for a disabled SDK. */
  public abstract boolean isRecording();

  /** Renames the span. */
  public abstract LLMObsSpan name(String name);

  /** Text input. */
  public abstract LLMObsSpan input(String text);

  /**
   * Input of any type: a {@code String}, a list of {@link Message} (for {@code llm} spans), a list of
   * {@link Document} (for {@code embedding} spans); anything else is recorded as its JSON text.
   */
  public abstract LLMObsSpan input(Object value);

  /** Text output. */
  public abstract LLMObsSpan output(String text);

  /**
   * Output of any type: a {@code String}, a list of {@link Message} (for {@code llm} spans), a list of
   * {@link Document} (for {@code retrieval} spans); anything else is recorded as its JSON text.
   */
  public abstract LLMObsSpan output(Object value);

  /** Chat messages sent to the model ({@code llm} spans). */
  public abstract LLMObsSpan inputMessages(List<Message> messages);

  /** Chat messages the model returned ({@code llm} spans). */
  public abstract LLMObsSpan outputMessages(List<Message> messages);

  /** Documents embedded ({@code embedding} spans). */
  public abstract LLMObsSpan inputDocuments(List<Document> documents);

  /** Documents retrieved ({@code retrieval} spans). */
  public abstract LLMObsSpan outputDocuments(List<Document> documents);

  /**
   * The tools the model was offered ({@code llm} spans; {@code meta.tool_definitions}). On another kind, ignored with a
   * log line.
   */
  public abstract LLMObsSpan toolDefinitions(List<ToolDefinition> tools);

  /**
   * The prompt template this call was made from ({@code llm} spans; {@code meta.input.prompt}). On another kind,
   * dropped with a log line.
   */
  public abstract LLMObsSpan prompt(Prompt prompt);

  /** One metadata entry; the value may be any JSON-like value (map, list, string, number, boolean) or a POJO. */
  public abstract LLMObsSpan metadata(String key, Object value);

  /** Several metadata entries. */
  public abstract LLMObsSpan metadata(Map<String, ?> entries);

  /** A numeric metric such as {@code input_tokens}; NaN and infinities are refused with a log line. */
  public abstract LLMObsSpan metric(String key, double value);

  /** Sets {@code input_tokens}, {@code output_tokens} and {@code total_tokens}. */
  public abstract LLMObsSpan tokens(long inputTokens, long outputTokens);

  /** A tag, sent as {@code key:value}. */
  public abstract LLMObsSpan tag(String key, String value);

  /** The session this span's trace belongs to; set on the root, it applies to the whole trace. */
  public abstract LLMObsSpan sessionId(String sessionId);

  /** The ml_app of this span and, unless they set their own, of its children. */
  public abstract LLMObsSpan mlApp(String mlApp);

  /** The model's name ({@code llm} and {@code embedding} spans). */
  public abstract LLMObsSpan modelName(String modelName);

  /** The model's provider, lower case, e.g. {@code amazon_bedrock} ({@code llm} and {@code embedding} spans). */
  public abstract LLMObsSpan modelProvider(String modelProvider);

  /**
   * Makes this span a child of {@code parent}, e.g. for work handed to another thread. Only before this span has
   * children of its own; afterwards it logs and does nothing.
   */
  public abstract LLMObsSpan parent(LLMObsSpan parent);

  /** Makes this span a child of a span in another process, from {@link LLMObs#extract}. */
  public abstract LLMObsSpan parent(SpanContext parent);

  /** Marks the span failed with the exception's type, message and stack trace. */
  public abstract LLMObsSpan error(Throwable error);

  /** Marks the span failed with a type and message. */
  public abstract LLMObsSpan error(String type, String message);

  /** Ends the span and queues it for the next flush. A second call does nothing. */
  public abstract void finish();

  /** Same as {@link #finish()}: for try-with-resources. */
  @Override public final void close() {
    finish();
  }
}
