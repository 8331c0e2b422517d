package dev.llmobs.bedrock;

import dev.llmobs.Document;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one Bedrock call has shown so far, from request, response, headers or stream events, and its span. Filled
 * on whichever threads the SDK runs its hooks, written to the span once, by {@link #end}, exactly once.
 *
 * <p>A call is what the caller sees: the AWS SDK may send it several times (throttled, a 5xx, an exception frame
 * mid-stream), and each attempt starts over from the request. So the request's part (input, parameters, tools) is
 * recorded once, and the response's part (output, tokens, stop reason, time to first token) is cleared when a new
 * attempt starts, leaving the final attempt's; the attempts and the errors retried are kept as metadata.
 */
final class CallRecord {
  static final int MAX_RAW_CHARS = 16 * 1024;

  final LLMObsSpan span;
  final String operation;
  final boolean streaming;
  final long startNanos = System.nanoTime();
  volatile ModelFamily family;

  // Guarded by this.
  final List<Message> input = new ArrayList<>();
  final List<Document> inputDocuments = new ArrayList<>();
  String inputText;
  final List<Message> output = new ArrayList<>();
  String outputText;
  final Map<String, Object> metadata = new LinkedHashMap<>();
  final List<dev.llmobs.ToolDefinition> toolDefinitions = new ArrayList<>();
  Long inputTokens, outputTokens, totalTokens, cacheRead, cacheWrite;
  Double timeToFirstToken;
  /** Converse's response body as received, when captured: holds fields older SDK models do not (cache tokens). */
  volatile byte[] rawResponse;
  private final AtomicBoolean ended = new AtomicBoolean();
  /** The interceptor instance that opened this record; another one (registered twice) leaves the call alone. */
  final Object owner;
  /** The API call timeout in force, after which the SDK gives up with {@code ApiCallTimeoutException}; 0 if none. */
  final long timeoutMillis;
  // Guarded by this.
  private java.util.Set<String> requestMetadata = java.util.Set.of();
  private int attempts;
  private String attemptError;
  private Throwable lastFailure;
  private final List<String> retriedErrors = new ArrayList<>();
  /** The tracer this call was opened with: its end is told to the same one. */
  private final dev.llmobs.internal.TracerHandle tracer;

  CallRecord(LLMObsSpan span, String operation, boolean streaming, ModelFamily family, Object owner,
      java.time.Duration apiCallTimeout, dev.llmobs.internal.TracerHandle tracer) {
    this.tracer = tracer;
    this.span = span;
    this.operation = operation;
    this.streaming = streaming;
    this.family = family;
    this.owner = owner;
    this.timeoutMillis = apiCallTimeout == null ? 0 : Math.max(0, apiCallTimeout.toMillis());
  }

  /** The request is recorded: metadata present now is the request's, and survives a retry. */
  synchronized void requestRecorded() {
    requestMetadata = java.util.Set.copyOf(metadata.keySet());
  }

  /**
   * An attempt is about to be sent. After the first, the one before it failed and is being retried: its error is
   * kept, and what it gathered of a response is cleared.
   */
  synchronized void attemptStarted() {
    if (attempts > 0) {
      retriedErrors.add(attemptError == null ? "no response" : attemptError);
      metadata.keySet().retainAll(requestMetadata);
      output.clear();
      outputText = null;
      inputTokens = outputTokens = totalTokens = cacheRead = cacheWrite = null;
      timeToFirstToken = null;
      rawResponse = null;
    }
    attempts++;
    attemptError = null;
    lastFailure = null;
  }

  /** What ended the current attempt, if the SDK tries again: a status, an error code, an exception frame. */
  synchronized void attemptFailed(String error) {
    if (attemptError == null) attemptError = error;
  }

  /**
   * As above, for attempt number {@code attempt} that ended on an exception, kept in case no hook ever says how the
   * call ended. A tap that hears of its attempt's end only once the next attempt has started is not that attempt's.
   */
  synchronized void attemptFailed(int attempt, String error, Throwable cause) {
    if (attempt != attempts) return;
    attemptFailed(error);
    lastFailure = cause;
  }

  /** The number of the attempt in flight: 1 for the first. */
  synchronized int attempt() {
    return attempts;
  }

  /** The SDK gave up on its own timer: it says so to the caller, but to no interceptor. */
  boolean pastApiCallTimeout() {
    return timeoutMillis > 0 && System.nanoTime() - startNanos >= timeoutMillis * 1_000_000;
  }

  synchronized void meta(String key, Object value) {
    if (value != null) metadata.put(key, value);
  }

  synchronized void firstToken() {
    if (timeToFirstToken == null) timeToFirstToken = (System.nanoTime() - startNanos) / 1e9;
  }

  static String clip(String s) {
    if (s == null || s.length() <= MAX_RAW_CHARS) return s;
    return s.substring(0, MAX_RAW_CHARS) + "... [truncated " + (s.length() - MAX_RAW_CHARS) + " characters]";
  }

  /** The stream decoder, once the response started; used to end a stream the caller never finished reading. */
  volatile FrameSink sink;

  /** Ends a stream still open when its invocation ends: what arrived so far, marked incomplete. */
  void endIncomplete() {
    if (ended.get()) return;
    meta("incomplete", true);
    Throwable failure;
    synchronized (this) {
      failure = attemptError != null ? lastFailure : null; // the attempt in flight failed, and nothing followed
    }
    end(failure);
  }

  /**
   * Writes what was gathered to the span and finishes it; later calls do nothing. A stream's output is assembled here
   * as it stands, unless its tap did it already (marking a cancel).
   */
  void end(Throwable error) {
    if (!ended.compareAndSet(false, true)) return;
    try {
      FrameSink s = sink;
      if (s != null) s.assemble(false);
      write(error);
    } finally {
      tracer.callEnded(this); // after the span finished: a waiting flush must find it
    }
  }

  private void write(Throwable error) {
    synchronized (this) {
      if (!inputDocuments.isEmpty()) span.inputDocuments(inputDocuments);
      else if (!input.isEmpty()) span.inputMessages(input);
      else if (inputText != null) span.input(inputText);
      if (!output.isEmpty()) span.outputMessages(output);
      else if (outputText != null) span.output(outputText);
      else if (error != null && family != null && !family.isEmbedding()) {
        span.outputMessages(List.of(Message.assistant("")));
      }
      if (attempts > 1) {
        metadata.put("attempts", attempts);
        metadata.put("retried_errors", List.copyOf(retriedErrors));
      }
      if (!metadata.isEmpty()) span.metadata(metadata);
      if (!toolDefinitions.isEmpty()) span.toolDefinitions(toolDefinitions);
      // Datadog counts cached prompt tokens as input tokens (as Bedrock's Converse does not).
      long cached = (cacheRead == null ? 0 : cacheRead) + (cacheWrite == null ? 0 : cacheWrite);
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
      if (timeToFirstToken != null) span.metric("time_to_first_token", timeToFirstToken);
    }
    if (error instanceof FrameSink.StreamException) {
      span.error(((FrameSink.StreamException) error).type, error.getMessage());
    } else if (error != null) {
      span.error(error);
    }
    span.finish();
  }

  /** A message from its parts; empty tool lists are left out. A null role is the assistant's. */
  static Message message(String role, String text, List<ToolCall> calls, List<ToolResult> results) {
    Message m = Message.of(role == null ? "assistant" : role, text == null ? "" : text);
    if (calls != null && !calls.isEmpty()) m = m.withToolCalls(calls);
    if (results != null && !results.isEmpty()) m = m.withToolResults(results);
    return m;
  }
}
