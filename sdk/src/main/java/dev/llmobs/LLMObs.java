package dev.llmobs;

import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.TracerHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The entry point: start spans, annotate the current one, submit evaluations, carry a trace across services, and
 * flush, synchronously, before a Lambda invocation returns.
 *
 * <pre>{@code
 * try (LLMObsSpan wf = LLMObs.workflow("answer-claim")) {             // inline form
 *   wf.input(question).sessionId(claimId);
 *   String context = LLMObs.retrieval("policy-search", () -> search(question));   // functional form
 *   ...
 * }
 * LLMObs.flush(Duration.ofMillis(500));
 * }</pre>
 *
 * <p>Configuration comes from environment variables on first use (see the README); with
 * {@code DD_LLMOBS_ENABLED=false} every method is a cheap no-op that still runs the user's code. No method throws
 * because of the SDK; the functional forms rethrow the body's own exception unchanged.
 */
public final class LLMObs {
  private static volatile Tracer tracer; // null until first use
  private static final Object INIT = new Object();

  private LLMObs() {}

  static Tracer tracer() {
    Tracer t = tracer;
    if (t == null) {
      synchronized (INIT) {
        t = tracer;
        if (t == null) {
          try {
            t = Tracer.create(Config.fromEnv(System.getenv()), Clock.SYSTEM);
          } catch (Throwable e) {
            Throwables.propagateIfFatal(e);
            dev.llmobs.internal.Log.warn("could not configure llmobs-lambda, tracing is off: " + e);
            t = Tracer.create(Config.fromEnv(Map.of("DD_LLMOBS_ENABLED", "false")), Clock.SYSTEM);
          }
          TracerHandle.install(t);
          tracer = t;
        }
      }
    }
    return t;
  }

  /** The enabled tracer, or null when tracing is off. */
  static Tracer tracerIfEnabled() {
    return active();
  }

  /** The enabled tracer, or null when tracing is off. */
  private static Tracer active() {
    Tracer t = tracer();
    return t.config.enabled ? t : null;
  }

  /**
   * Replaces the configuration, normally read from the environment on first use, with one read from
   * {@code settings} (same variable names). For tests and programmatic set-up; spans not yet flushed are lost.
   */
  public static void configure(Map<String, String> settings) {
    configure(Config.fromEnv(settings), Clock.SYSTEM);
  }

  static void configure(Config config, Clock clock) {
    synchronized (INIT) {
      Tracer old = tracer, t = Tracer.create(config, clock);
      TracerHandle.install(t);
      tracer = t;
      if (old != null) old.exporter.closeIdle();
    }
  }

  /** Whether spans are being recorded. */
  public static boolean isEnabled() {
    return active() != null;
  }

  // ---- spans -------------------------------------------------------------------------------------------------

  /** A span of any kind, to set up before it starts. */
  public static SpanBuilder span(SpanKind kind, String name) {
    return new SpanBuilder(active(), kind, name);
  }

  /** Starts a {@code workflow} span, current on this thread until finished. */
  public static LLMObsSpan workflow(String name) {
    return span(SpanKind.WORKFLOW, name).start();
  }

  public static LLMObsSpan task(String name) {
    return span(SpanKind.TASK, name).start();
  }

  public static LLMObsSpan tool(String name) {
    return span(SpanKind.TOOL, name).start();
  }

  public static LLMObsSpan agent(String name) {
    return span(SpanKind.AGENT, name).start();
  }

  public static LLMObsSpan retrieval(String name) {
    return span(SpanKind.RETRIEVAL, name).start();
  }

  /** Starts an {@code llm} span for one model call. */
  public static LLMObsSpan llm(String name, String modelName, String modelProvider) {
    return span(SpanKind.LLM, name).modelName(modelName).modelProvider(modelProvider).start();
  }

  /** Starts an {@code embedding} span. */
  public static LLMObsSpan embedding(String name, String modelName, String modelProvider) {
    return span(SpanKind.EMBEDDING, name).modelName(modelName).modelProvider(modelProvider).start();
  }

  /** Runs {@code body} in a {@code workflow} span; see {@link SpanBuilder#call}. */
  public static <T, E extends Throwable> T workflow(String name, SpanCallable<T, E> body) throws E {
    return span(SpanKind.WORKFLOW, name).call(body);
  }

  public static <E extends Throwable> void workflow(String name, SpanRunnable<E> body) throws E {
    span(SpanKind.WORKFLOW, name).run(body);
  }

  public static <T, E extends Throwable> T task(String name, SpanCallable<T, E> body) throws E {
    return span(SpanKind.TASK, name).call(body);
  }

  public static <E extends Throwable> void task(String name, SpanRunnable<E> body) throws E {
    span(SpanKind.TASK, name).run(body);
  }

  public static <T, E extends Throwable> T tool(String name, SpanCallable<T, E> body) throws E {
    return span(SpanKind.TOOL, name).call(body);
  }

  public static <E extends Throwable> void tool(String name, SpanRunnable<E> body) throws E {
    span(SpanKind.TOOL, name).run(body);
  }

  public static <T, E extends Throwable> T agent(String name, SpanCallable<T, E> body) throws E {
    return span(SpanKind.AGENT, name).call(body);
  }

  public static <E extends Throwable> void agent(String name, SpanRunnable<E> body) throws E {
    span(SpanKind.AGENT, name).run(body);
  }

  public static <T, E extends Throwable> T retrieval(String name, SpanCallable<T, E> body) throws E {
    return span(SpanKind.RETRIEVAL, name).call(body);
  }

  public static <E extends Throwable> void retrieval(String name, SpanRunnable<E> body) throws E {
    span(SpanKind.RETRIEVAL, name).run(body);
  }

  /** The span current on this thread, or a no-op span when there is none (annotating it does nothing). */
  public static LLMObsSpan currentSpan() {
    Tracer t = active();
    Recorder.Span s = t == null ? null : t.recorder.current();
    return s != null ? (RealSpan) s : NoopSpan.of(SpanKind.TASK);
  }

  /**
   * Runs {@code task}, on whatever thread, with the span current now as its current span and the
   * annotation context open now (its prompt, name and tags) as its own.
   */
  public static Runnable wrap(Runnable task) {
    Carried c = Carried.now();
    if (c == null) return task;
    return () -> {
      Object[] before = c.enter();
      try {
        task.run();
      } finally {
        c.exit(before);
      }
    };
  }

  /** Calls {@code task} as {@link #wrap(Runnable)} runs one. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Carried c = Carried.now();
    if (c == null) return task;
    return () -> {
      Object[] before = c.enter();
      try {
        return task.call();
      } finally {
        c.exit(before);
      }
    };
  }

  /** What {@link #wrap} carries to another thread: the current span and the open annotation context. */
  private static final class Carried {
    final Tracer tracer;
    final Recorder.Span span;
    final Annotations annotations;

    private Carried(Tracer tracer, Recorder.Span span, Annotations annotations) {
      this.tracer = tracer;
      this.span = span;
      this.annotations = annotations;
    }

    /** Null when there is nothing to carry. */
    static Carried now() {
      Tracer t = active();
      if (t == null) return null;
      Recorder.Span span = t.recorder.current();
      Annotations annotations = t.annotations.get();
      return span == null && annotations == null ? null : new Carried(t, span, annotations);
    }

    /** Installs this on the calling thread; returns what was there, for {@link #exit}. */
    Object[] enter() {
      Object[] before = {tracer.recorder.swap(span), tracer.annotations.get()};
      tracer.annotations.set(annotations);
      return before;
    }

    void exit(Object[] before) {
      tracer.recorder.reset(before[0]);
      tracer.annotations.set((Annotations) before[1]);
    }
  }

  /**
   * Registers the span processor, replacing any other: it sees each finished span before it is sent and may redact,
   * rewrite or drop it (see {@link SpanProcessor}). It belongs to the current configuration: {@link #configure}
   * starts without one. Null is ignored, with a log line.
   */
  public static void registerProcessor(SpanProcessor processor) {
    Tracer t = active();
    if (t == null) return;
    if (processor == null) {
      Usage.report("null-processor", "registerProcessor(null) ignored: use deregisterProcessor()");
      return;
    }
    t.processor(processor);
  }

  /** Removes the span processor, if any. */
  public static void deregisterProcessor() {
    Tracer t = active();
    if (t != null) t.processor(null);
  }

  // ---- evaluations and export ---------------------------------------------------------------------------------

  /** The ids of {@code span} as sent on the wire, to join evaluations to it. */
  public static SpanContext exportSpan(LLMObsSpan span) {
    return span == null ? NoopSpan.EMPTY_CONTEXT : span.context();
  }

  /** The ids of the current span. */
  public static SpanContext exportSpan() {
    return currentSpan().context();
  }

  /**
   * Queues an evaluation for the next flush. An invalid one (no label, no join, a NaN score) is dropped with one
   * log line and counted in the flush summary.
   */
  public static void submitEvaluation(Evaluation evaluation) {
    Tracer t = active();
    if (t == null || evaluation == null) return;
    t.recorder.submitEvaluation(evaluation);
  }

  /**
   * Queues end-user feedback (a thumbs-down, a rating, a comment) for the next flush. Refused with one log line
   * when it names no target or no submitter, as an evaluation is; never throws.
   */
  public static void submitFeedback(Feedback feedback) {
    Tracer t = active();
    if (t == null || feedback == null) return;
    try {
      t.recorder.submitEvaluation(feedback.toEvaluation());
    } catch (RuntimeException e) {
      Usage.report("feedback", "could not submit feedback: " + e);
    }
  }

  // ---- distributed tracing ------------------------------------------------------------------------------------

  /** Writes the current span's context into outgoing {@code headers}; nothing when no span is current. */
  public static void inject(Map<String, String> headers) {
    inject(currentSpan(), headers);
  }

  /** Writes {@code span}'s context into outgoing {@code headers}. */
  public static void inject(LLMObsSpan span, Map<String, String> headers) {
    if (headers == null || !(span instanceof RealSpan)) return;
    try {
      Propagation.inject(span.context(), headers);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.report("inject", "could not inject trace headers: " + t);
    }
  }

  /**
   * The LLM Observability parent carried by incoming {@code headers}, or null: pass it to
   * {@link SpanBuilder#parent(SpanContext)} to continue the caller's trace.
   */
  public static SpanContext extract(Map<String, String> headers) {
    if (headers == null || active() == null) return null;
    try {
      return Propagation.extract(headers);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.report("extract", "could not read trace headers: " + t);
      return null;
    }
  }

  // ---- flush --------------------------------------------------------------------------------------------------

  /**
   * Sends everything finished so far, on this thread, returning within {@code budget} (at most
   * {@code LLMOBS_FLUSH_TIMEOUT_MS}) whatever the network does. When another thread's flush is carrying a trace
   * whose root finished on this thread, waits for it within the budget. What the intake provably did not take is
   * kept for the next flush; what it may have taken is never sent twice. Never throws.
   */
  public static FlushResult flush(Duration budget) {
    Tracer t = active();
    if (t == null) return FlushResult.EMPTY;
    long nanos = budget == null ? 0 : budget.isNegative() ? 0 : saturatedNanos(budget);
    nanos = Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(t.config.flushTimeoutMillis));
    try {
      return t.flush(nanos);
    } catch (Throwable e) {
      Throwables.propagateIfFatal(e);
      dev.llmobs.internal.Log.warn("flush failed: " + e);
      return FlushResult.EMPTY;
    }
  }

  /** {@link #flush(Duration)} with the configured budget ({@code LLMOBS_FLUSH_TIMEOUT_MS}, default 2 s). */
  public static FlushResult flush() {
    Tracer t = active();
    if (t == null) return FlushResult.EMPTY;
    return flush(Duration.ofMillis(t.config.flushTimeoutMillis));
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return TimeUnit.DAYS.toNanos(1);
    }
  }
}
