package dev.llmobs;

import dev.llmobs.internal.Ids;
import dev.llmobs.internal.Throwables;

/**
 * Sets up a span before it starts: its parent, model, session or ml_app. From {@link LLMObs#span}. Not thread-safe;
 * use it on one thread and drop it after starting.
 */
public final class SpanBuilder {
  private final Tracer tracer; // null when disabled
  private final SpanKind kind;
  private final String name;
  private RealSpan parent;
  private SpanContext remoteParent;
  private boolean root;
  private String modelName, modelProvider, sessionId, mlApp;

  SpanBuilder(Tracer tracer, SpanKind kind, String name) {
    this.tracer = tracer;
    this.kind = kind == null ? SpanKind.TASK : kind;
    this.name = name;
  }

  /** The parent, instead of the span current on this thread. */
  public SpanBuilder parent(LLMObsSpan parent) {
    if (tracer != null && parent instanceof RealSpan && ((RealSpan) parent).recorder == tracer.recorder) {
      this.parent = (RealSpan) parent;
      this.remoteParent = null;
    }
    return this;
  }

  /** A parent in another process, from {@link LLMObs#extract}; null is ignored. */
  public SpanBuilder parent(SpanContext remote) {
    if (remote != null) {
      this.remoteParent = remote;
      this.parent = null;
    }
    return this;
  }

  /** Starts a new trace even if a span is current. */
  public SpanBuilder root() {
    this.root = true;
    return this;
  }

  public SpanBuilder modelName(String modelName) {
    this.modelName = modelName;
    return this;
  }

  public SpanBuilder modelProvider(String modelProvider) {
    this.modelProvider = modelProvider;
    return this;
  }

  public SpanBuilder sessionId(String sessionId) {
    this.sessionId = sessionId;
    return this;
  }

  public SpanBuilder mlApp(String mlApp) {
    this.mlApp = mlApp;
    return this;
  }

  /** Starts the span and makes it current on this thread until it finishes. */
  public LLMObsSpan start() {
    return start(true);
  }

  /**
   * Starts the span without making it current: hand it to another method, thread or callback, and finish it
   * there. Children started elsewhere name it with {@code parent(span)}.
   */
  public LLMObsSpan startDetached() {
    return start(false);
  }

  private LLMObsSpan start(boolean makeCurrent) {
    if (tracer == null) return NoopSpan.of(kind);
    try {
      RealSpan p = parent;
      if (p == null && remoteParent == null && !root) p = (RealSpan) tracer.recorder.current();
      RealSpan s = create(p, p == null ? remoteParent : null);
      Annotations annotation = tracer.annotations.get();
      if (annotation != null) annotation.applyTo(s);
      tracer.recorder.started(s);
      if (makeCurrent) tracer.recorder.push(s);
      if (modelName != null) s.modelName(modelName);
      if (modelProvider != null) s.modelProvider(modelProvider);
      if (sessionId != null) s.sessionId(sessionId);
      if (mlApp != null) s.mlApp(mlApp);
      return s;
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.report("start", "could not start span '" + name + "': " + t);
      return NoopSpan.of(kind);
    }
  }

  /** A new span under {@code p}, or under {@code remote}, or a new trace's root. */
  private RealSpan create(RealSpan p, SpanContext remote) {
    Recorder recorder = tracer.recorder;
    String n = name;
    if (n == null || n.isBlank()) {
      if (n == null) Usage.rejected("null-name", "span name is null; named it '" + kind.wireName + "'");
      n = kind.wireName;
    }
    Trace trace;
    long epoch, nano = recorder.clock.nanoTime();
    if (p != null) {
      trace = p.trace();
      epoch = p.startEpochNanos + (nano - p.startNanoTime());
    } else {
      epoch = recorder.clock.epochNanos();
      trace = remote != null ? remoteTrace(remote, epoch, recorder.sampleRate)
          : new Trace(Ids.traceIdHigh(epoch), Ids.traceIdLow(), recorder.sampleRate);
    }
    return new RealSpan(recorder, kind, n, trace, p, remote, epoch, nano);
  }

  private static Trace remoteTrace(SpanContext remote, long epoch, double rate) {
    try {
      return Trace.fromHex(remote.traceId(), remote, rate);
    } catch (RuntimeException e) {
      Usage.rejected("parent", "malformed remote trace id " + remote.traceId() + "; starting a new trace");
      return new Trace(Ids.traceIdHigh(epoch), Ids.traceIdLow(), rate);
    }
  }

  /**
   * Runs {@code body} inside the span: the span is current meanwhile, records a thrown exception as its error,
   * and finishes. The body's result is returned and its exception rethrown unchanged. A non-null result becomes
   * the span's output unless the body set one.
   */
  public <T, E extends Throwable> T call(SpanCallable<T, E> body) throws E {
    LLMObsSpan span = start(true);
    try {
      T result = body.call();
      recordOutput(span, result);
      return result;
    } catch (Throwable t) {
      recordError(span, t);
      throw t;
    } finally {
      span.finish();
    }
  }

  /** As {@link #call}, for a body with no result. */
  public <E extends Throwable> void run(SpanRunnable<E> body) throws E {
    LLMObsSpan span = start(true);
    try {
      body.run();
    } catch (Throwable t) {
      recordError(span, t);
      throw t;
    } finally {
      span.finish();
    }
  }

  static void recordError(LLMObsSpan span, Throwable t) {
    try {
      span.error(t);
    } catch (Throwable ignored) {
      Throwables.propagateIfFatal(ignored); // the user's exception is what matters
    }
  }

  private static void recordOutput(LLMObsSpan span, Object result) {
    if (result == null || !(span instanceof RealSpan)) return;
    try {
      RealSpan s = (RealSpan) span;
      if (!s.hasOutput()) s.output(result);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }
}
