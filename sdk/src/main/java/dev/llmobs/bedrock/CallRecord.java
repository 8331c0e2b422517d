package dev.llmobs.bedrock;

import dev.llmobs.LLMObsSpan;
import dev.llmobs.integrations.internal.ModelCall;

/**
 * One Bedrock call: the {@link ModelCall} every integration fills, plus what only Bedrock has: the operation, the
 * model family that reads its bodies, its stream decoder and the API call timeout the AWS SDK enforces silently.
 */
final class CallRecord extends ModelCall {
  final String operation;
  final boolean streaming;
  volatile ModelFamily family;
  /** Converse's response body as received, when captured: holds fields older SDK models do not (cache tokens). */
  volatile byte[] rawResponse;
  /** The interceptor instance that opened this record; another one (registered twice) leaves the call alone. */
  final Object owner;
  /** The API call timeout in force, after which the SDK gives up with {@code ApiCallTimeoutException}; 0 if none. */
  final long timeoutMillis;
  /** The request as wire-named maps, for the operations read that way (Knowledge Bases, Guardrails); else null. */
  volatile java.util.Map<String, Object> requestFields;
  /** The stream decoder, once the response started; used to end a stream the caller never finished reading. */
  volatile ResponseTaps.Sink sink;

  CallRecord(LLMObsSpan span, String operation, boolean streaming, ModelFamily family, Object owner,
      java.time.Duration apiCallTimeout, dev.llmobs.internal.TracerHandle tracer) {
    super(span, tracer);
    this.operation = operation;
    this.streaming = streaming;
    this.family = family;
    this.owner = owner;
    this.timeoutMillis = apiCallTimeout == null ? 0 : Math.max(0, apiCallTimeout.toMillis());
  }

  @Override protected void responseCleared() {
    rawResponse = null;
  }

  /** The SDK gave up on its own timer: it says so to the caller, but to no interceptor. */
  boolean pastApiCallTimeout() {
    return timeoutMillis > 0 && System.nanoTime() - startNanos >= timeoutMillis * 1_000_000;
  }

  /** A stream's output is assembled as it stands, unless its tap did it already (marking a cancel). */
  @Override protected void beforeWrite() {
    ResponseTaps.Sink s = sink;
    if (s != null) s.assemble(false);
  }

  @Override protected boolean isEmbedding() {
    ModelFamily f = family;
    return f != null && f.isEmbedding();
  }
}
