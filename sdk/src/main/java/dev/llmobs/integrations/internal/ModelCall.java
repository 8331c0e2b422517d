package dev.llmobs.integrations.internal;

import dev.llmobs.Document;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolDefinition;
import dev.llmobs.ToolResult;
import dev.llmobs.internal.TracerHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one model call (Bedrock, OpenAI, Anthropic) has shown so far, and its span: filled on whichever threads the
 * client runs, written to the span once, by {@link #end}. The one place that names the token metrics.
 *
 * <p>A call is what the caller sees: the client may send it several times (throttled, a 5xx, a dropped connection),
 * and each attempt starts over from the request. So the request's part (input, parameters, tools) is recorded once,
 * and the response's part (output, tokens, finish reason, time to first token) is cleared when a new attempt starts,
 * leaving the final attempt's; the attempts and the errors retried are kept as metadata. Not for use outside
 * llmobs-lambda: its fields are public only for our integrations.
 */
public class ModelCall {
  public static final int MAX_RAW_CHARS = 16 * 1024;

  public final LLMObsSpan span;
  public final long startNanos = System.nanoTime();

  // Guarded by this.
  public final List<Message> input = new ArrayList<>();
  public final List<Document> inputDocuments = new ArrayList<>();
  public String inputText;
  public final List<Message> output = new ArrayList<>();
  public String outputText;
  /** A retrieval's output; written when {@link #outputIsDocuments}, even empty (a lookup that found nothing). */
  public final List<Document> outputDocuments = new ArrayList<>();
  public boolean outputIsDocuments;
  public final Map<String, Object> metadata = new LinkedHashMap<>();
  public final List<ToolDefinition> toolDefinitions = new ArrayList<>();
  public Long inputTokens, outputTokens, totalTokens, cacheRead, cacheWrite, reasoningTokens;
  /** Whether {@link #inputTokens} already counts the cached tokens (OpenAI's does; Anthropic's and Bedrock's not). */
  public boolean inputIncludesCached;
  public Double timeToFirstToken;
  /** The model the answer names (OpenAI's and Anthropic's do): the span's model name when set. */
  public volatile String responseModel;

  private final AtomicBoolean ended = new AtomicBoolean();
  private Set<String> requestMetadata = Set.of();
  private int attempts;
  private String attemptError;
  private Throwable lastFailure;
  private final List<String> retriedErrors = new ArrayList<>();
  /** The tracer this call was opened with: its end is told to the same one. */
  protected final TracerHandle tracer;

  /** The framework call this one is an attempt of, if a framework retries above the SDK. */
  private final RetryScope scope = RetryScope.current();

  public ModelCall(LLMObsSpan span, TracerHandle tracer) {
    this.span = span;
    this.tracer = tracer;
    if (scope != null) scope.callStarted();
  }

  /** The request is recorded: metadata present now is the request's, and survives a retry. */
  public synchronized void requestRecorded() {
    requestMetadata = Set.copyOf(metadata.keySet());
  }

  /**
   * An attempt is about to be sent. After the first, the one before it failed and is being retried: its error is
   * kept, and what it gathered of a response is cleared.
   */
  public synchronized void attemptStarted() {
    if (attempts > 0) {
      retriedErrors.add(attemptError == null ? "no response" : attemptError);
      metadata.keySet().retainAll(requestMetadata);
      output.clear();
      outputText = null;
      outputDocuments.clear();
      outputIsDocuments = false;
      inputTokens = outputTokens = totalTokens = cacheRead = cacheWrite = reasoningTokens = null;
      timeToFirstToken = null;
      responseCleared();
    }
    attempts++;
    attemptError = null;
    lastFailure = null;
  }

  /** What a subclass gathered of the response, cleared for a retry (under this lock). */
  protected void responseCleared() {}

  /** What ended the current attempt, if the client tries again: a status, an error code, an exception. */
  public synchronized void attemptFailed(String error) {
    if (attemptError == null) attemptError = error;
  }

  /**
   * As above, for attempt number {@code attempt} that ended on an exception, kept in case nothing ever says how the
   * call ended. A tap that hears of its attempt's end only once the next attempt has started is not that attempt's.
   */
  public synchronized void attemptFailed(int attempt, String error, Throwable cause) {
    if (attempt != attempts) return;
    attemptFailed(error);
    lastFailure = cause;
  }

  /** The number of the attempt in flight: 1 for the first. */
  public synchronized int attempt() {
    return attempts;
  }

  public synchronized void meta(String key, Object value) {
    if (value != null) metadata.put(key, value);
  }

  public synchronized void firstToken() {
    if (timeToFirstToken == null) timeToFirstToken = (System.nanoTime() - startNanos) / 1e9;
  }

  public boolean ended() {
    return ended.get();
  }

  public static String clip(String s) {
    if (s == null || s.length() <= MAX_RAW_CHARS) return s;
    return s.substring(0, MAX_RAW_CHARS) + "... [truncated " + (s.length() - MAX_RAW_CHARS) + " characters]";
  }

  /**
   * What ends this call by {@link #endIncomplete} when its invocation ends first, for the tracer's open calls. A class,
   * not a method reference: a call's first moments in a fresh JVM bootstrap no lambda.
   */
  public final Runnable forceEnd() {
    return new Runnable() {
      @Override public void run() {
        endIncomplete();
      }
    };
  }

  /** Ends a call still open when its invocation ends: what arrived so far, marked incomplete. */
  public void endIncomplete() {
    if (ended.get()) return;
    meta("incomplete", true);
    Throwable failure;
    synchronized (this) {
      failure = attemptError != null ? lastFailure : null; // the attempt in flight failed, and nothing followed
    }
    end(failure);
  }

  /** Writes what was gathered to the span and finishes it; later calls do nothing. */
  public void end(Throwable error) {
    if (!ended.compareAndSet(false, true)) return;
    if (scope != null && error != null) scope.callFailed(error);
    try {
      beforeWrite();
      write(error);
    } finally {
      tracer.callEnded(this); // after the span finished: a waiting flush must find it
    }
  }

  /** Last work before the span is written, once: a stream's output assembled as it stands, bodies parsed. */
  protected void beforeWrite() {}

  /** Whether this is an embedding call: a failed one gets no empty assistant message. */
  protected boolean isEmbedding() {
    return false;
  }

  private void write(Throwable error) {
    synchronized (this) {
      if (responseModel != null) span.modelName(responseModel);
      if (!inputDocuments.isEmpty()) span.inputDocuments(inputDocuments);
      else if (!input.isEmpty()) span.inputMessages(input);
      else if (inputText != null) span.input(inputText);
      if (outputIsDocuments) span.outputDocuments(outputDocuments);
      else if (!output.isEmpty()) span.outputMessages(output);
      else if (outputText != null) span.output(outputText);
      else if (error != null && span.kind() == dev.llmobs.SpanKind.LLM && !isEmbedding()) {
        span.outputMessages(List.of(Message.assistant("")));
      }
      if (attempts > 1) {
        metadata.put("attempts", attempts);
        metadata.put("retried_errors", List.copyOf(retriedErrors));
      }
      if (!metadata.isEmpty()) span.metadata(metadata);
      if (!toolDefinitions.isEmpty()) span.toolDefinitions(toolDefinitions);
      // Datadog counts cached prompt tokens as input tokens (Anthropic's and Bedrock's usage does not).
      long cached = inputIncludesCached ? 0 : (cacheRead == null ? 0 : cacheRead) + (cacheWrite == null ? 0 : cacheWrite);
      if (inputTokens != null) span.metric("input_tokens", inputTokens + cached);
      if (outputTokens != null) span.metric("output_tokens", outputTokens);
      if (totalTokens != null) {
        span.metric("total_tokens", totalTokens);
      } else if (inputTokens != null || outputTokens != null) {
        long in = inputTokens == null ? 0 : inputTokens + cached;
        span.metric("total_tokens", in + (outputTokens == null ? 0 : outputTokens));
      }
      if (cacheRead != null) span.metric("cache_read_input_tokens", cacheRead);
      if (cacheWrite != null) span.metric("cache_write_input_tokens", cacheWrite);
      if (reasoningTokens != null) span.metric("reasoning_output_tokens", reasoningTokens);
      if (timeToFirstToken != null) span.metric("time_to_first_token", timeToFirstToken);
    }
    if (error instanceof StreamError) span.error(((StreamError) error).type, error.getMessage());
    else if (error != null) span.error(error);
    span.finish();
  }

  /** A message from its parts; empty tool lists are left out. A null role is the assistant's. */
  public static Message message(String role, String text, List<ToolCall> calls, List<ToolResult> results) {
    Message m = Message.of(role == null ? "assistant" : role, text == null ? "" : text);
    if (calls != null && !calls.isEmpty()) m = m.withToolCalls(calls);
    if (results != null && !results.isEmpty()) m = m.withToolResults(results);
    return m;
  }

  /** An error the service sent inside an answer (an exception frame, an SSE error event): its type is the service's. */
  public static final class StreamError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final String type;

    public StreamError(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }
}
