package dev.llmobs;

import java.util.Objects;

/**
 * The identity of a span as sent on the wire: the ids evaluations join on ({@link LLMObs#exportSpan}), and what a
 * distributed trace carries across a service boundary ({@link LLMObs#extract}). Immutable.
 */
public final class SpanContext {
  private final String traceId;
  private final String spanId;
  private final String mlApp;
  private final String sessionId;

  /** The trace's sampling decision as the caller made it, or null when unknown; and its rate (NaN when unknown). */
  final Boolean sampled;
  final double sampleRate;

  SpanContext(String traceId, String spanId, String mlApp, String sessionId) {
    this(traceId, spanId, mlApp, sessionId, null, Double.NaN);
  }

  SpanContext(String traceId, String spanId, String mlApp, String sessionId, Boolean sampled, double sampleRate) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.mlApp = mlApp;
    this.sessionId = sessionId;
    this.sampled = sampled;
    this.sampleRate = sampleRate;
  }

  /** Creates a context from ids known elsewhere (e.g. stored with a chat turn), to submit an evaluation later. */
  public static SpanContext of(String traceId, String spanId) {
    return new SpanContext(traceId, spanId, null, null);
  }

  /** 32 lowercase hex characters. */
  public String traceId() {
    return traceId;
  }

  /** Decimal, unsigned 64-bit. */
  public String spanId() {
    return spanId;
  }

  /** The ml_app of the span, or null when not known. */
  public String mlApp() {
    return mlApp;
  }

  /** The session of the span, or null. */
  public String sessionId() {
    return sessionId;
  }

  @Override public boolean equals(Object o) {
    if (!(o instanceof SpanContext)) return false;
    SpanContext that = (SpanContext) o;
    return Objects.equals(traceId, that.traceId) && Objects.equals(spanId, that.spanId);
  }

  @Override public int hashCode() {
    return Objects.hash(traceId, spanId);
  }

  @Override public String toString() {
    return "SpanContext{traceId=" + traceId + ", spanId=" + spanId + "}";
  }
}
