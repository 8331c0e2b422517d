package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.llmobs.FlushResult;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanContext;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.TracerHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One traced invocation: the root {@code workflow} span with the Lambda facts, the handler run inside it, its
 * error recorded and rethrown unchanged, and the synchronous flush in {@code finally}, bounded by the time the
 * invocation has left. Everything here is per call (locals and the SDK's per-thread current span), so concurrent
 * invocations in one JVM (Lambda Managed Instances) never share state but the cold-start flag.
 */
final class Invocation {
  /**
   * The handler's work. The wrappers hand it over as classes, not lambdas: each lambda's first use bootstraps a class
   * of its own, in the first invocation.
   */
  interface Body<T> {
    T run() throws Throwable;
  }

  static volatile LambdaSettings settings = new LambdaSettings(System.getenv());
  private static final AtomicBoolean firstCall = new AtomicBoolean(true);
  private static volatile long previousFlushNanos = -1;

  /** The most Init gives the SDK to prepare: a local agent's answer takes about a millisecond. */
  static final long PREPARE_MILLIS = 50;
  private static final AtomicBoolean prepared = new AtomicBoolean();

  private Invocation() {}

  /**
   * Once, at the function's Init (the handler class loading): the SnapStart hooks registered, and the SDK configured
   * and prepared, so that the first invocation finds the encoder loaded, a connection to a local agent open and its
   * route known. Never throws; never starts a thread.
   */
  static void atInit() {
    SnapStartHooks.register();
    if (!prepared.compareAndSet(false, true)) return;
    try {
      if (LLMObs.isEnabled()) {
        TracerHandle.current().prepare(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PREPARE_MILLIS));
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug("could not prepare at init: " + t);
    }
  }

  /** After a SnapStart restore the next call is the first of this copy of the JVM. */
  static void resetColdStart() {
    firstCall.set(true);
  }

  /**
   * Runs {@code body} traced. {@code event} is the deserialized event (a POJO or a map) or null; {@code rawEvent}
   * its JSON text when known (stream handlers). The body's result is returned and its throwable rethrown, both
   * untouched; {@code output} turns the result into what the span records.
   */
  static <T> T trace(Object event, String rawEvent, Context context, Body<T> body, OutputView<T> output)
      throws Throwable {
    Object mark = enter();
    LLMObsSpan root = startRoot(event, rawEvent, context);
    T result;
    try {
      result = body.run();
    } catch (Throwable t) {
      try {
        root.error(t);
      } catch (Throwable ignored) {
        Throwables.propagateIfFatal(ignored);
      }
      finishAndFlush(mark, root, context);
      throw t;
    }
    try {
      Object out = output.of(result);
      if (out != null) root.output(out);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
    finishAndFlush(mark, root, context);
    return result;
  }

  /** What must be undone when the invocation ends: the thread's current span before it. */
  private static Object enter() {
    try {
      LLMObs.isEnabled(); // the SDK's first use installs the handle of its tracer
      return TracerHandle.current().enterInvocation();
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return null;
    }
  }

  /** The result itself, as the span's output. */
  @SuppressWarnings("unchecked")
  static <T> OutputView<T> asIs() {
    return (OutputView<T>) AS_IS;
  }

  private static final OutputView<Object> AS_IS = new OutputView<Object>() {
    @Override public Object of(Object result) {
      return result;
    }
  };

  /** What the root span records as output for a result. */
  interface OutputView<T> {
    Object of(T result);
  }

  private static LLMObsSpan startRoot(Object event, String rawEvent, Context context) {
    try {
      LambdaSettings s = settings;
      boolean claimed = firstCall.compareAndSet(true, false);
      boolean cold = claimed && !"provisioned-concurrency".equals(s.initType);
      String fn = s.functionName != null ? s.functionName : call(context, C_FUNCTION_NAME);
      String arn = call(context, C_ARN);
      String name = s.rootSpanName != null ? s.rootSpanName : fn != null ? fn : "lambda-invocation";

      Object parsed = null; // the event as maps, parsed only if something must be read from raw JSON
      Object view = event != null ? event : null;
      if (view == null && rawEvent != null && needsParsing(rawEvent, s)) {
        parsed = EventFields.parseJson(rawEvent);
        view = parsed;
      }
      SpanContext remote = view == null ? null : LLMObs.extract(EventFields.headers(view));
      String session = view == null || s.sessionSource == null ? null : sessionId(view, s.sessionSource);

      LLMObsSpan root = LLMObs.span(SpanKind.WORKFLOW, name).root().parent(remote).sessionId(session).start();
      root.tag("request_id", call(context, C_REQUEST_ID));
      if (fn != null) root.tag("function_name", fn);
      if (arn != null) root.tag("function_arn", arn);
      String version = s.functionVersion != null ? s.functionVersion : call(context, C_VERSION);
      if (version != null) root.tag("function_version", version);
      String[] arnParts = arn == null ? new String[0] : arn.split(":");
      String region = s.region != null ? s.region : arnParts.length > 3 ? arnParts[3] : null;
      if (region != null) root.tag("region", region);
      if (arnParts.length > 4) root.tag("account_id", arnParts[4]);
      String memory = call(context, C_MEMORY);
      if (memory != null) root.tag("memory_size", memory);
      if (s.runtime != null) root.tag("runtime", s.runtime);
      root.tag("cold_start", cold ? "true" : "false");
      root.tag("init_type", s.initType);
      long prev = previousFlushNanos;
      if (prev >= 0) root.metric("llmobs.previous_flush_ms", Math.round(prev / 1e3) / 1e3); // to the microsecond
      if (rawEvent != null) root.input(rawEvent);
      else if (event != null) root.input(event);
      return root;
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("could not start the invocation span: " + t);
      return LLMObs.span(SpanKind.WORKFLOW, "lambda-invocation").root().start();
    }
  }

  /** Raw JSON is parsed only when a configured session source or trace headers may be in it. */
  private static boolean needsParsing(String raw, LambdaSettings s) {
    if (s.sessionSource != null) return true;
    return raw.contains("atadog-tags") || raw.contains("ATADOG-TAGS") || raw.contains("racestate")
        || raw.contains("RACESTATE") || raw.contains("raceState");
  }

  private static String sessionId(Object event, LambdaSettings.SessionSource src) {
    Object v;
    switch (src.kind) {
      case HEADER:
        v = EventFields.headers(event).get(src.name.toLowerCase(java.util.Locale.ROOT));
        break;
      case QUERY:
        v = EventFields.query(event, src.name);
        break;
      default:
        v = EventFields.path(event, src.path);
    }
    return v == null || v instanceof Map || v instanceof Iterable ? null : v.toString();
  }

  private static void finishAndFlush(Object mark, LLMObsSpan root, Context context) {
    try {
      LambdaSettings s = settings;
      long remaining = remainingMillis(context);
      long budget = Math.min(s.flushCapMillis, remaining - s.flushMarginMillis);
      // Calls still streaming (a Bedrock stream the handler did not read to the end) get a bounded wait, then are
      // sent as they are, with the spans the handler left open: after this return the sandbox may freeze for good,
      // and nothing of this invocation may stay behind on the thread.
      long waitMillis = budget < s.flushMinMillis ? 0 : Math.min(s.streamWaitMillis, budget / 2);
      long waitStart = System.nanoTime();
      try {
        TracerHandle.current().endInvocation(mark, root, waitStart + TimeUnit.MILLISECONDS.toNanos(waitMillis));
      } finally {
        root.finish();
      }
      budget -= TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitStart);
      long start = System.nanoTime();
      FlushResult r;
      if (budget < s.flushMinMillis) {
        // Too little time left: sending could make the function time out. Keep the spans for the next call.
        r = LLMObs.flush(Duration.ZERO);
        Log.info("only " + remaining + " ms left in the invocation: spans kept for the next flush (" + r.spansKept()
            + " kept)");
      } else {
        r = LLMObs.flush(Duration.ofMillis(budget));
      }
      long took = System.nanoTime() - start;
      previousFlushNanos = took;
      if (Log.isDebug()) {
        Log.debug("invocation flush took " + TimeUnit.NANOSECONDS.toMicros(took) / 1000.0 + " ms of a "
            + Math.max(0, budget) + " ms budget: " + r);
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("invocation flush failed: " + t);
    }
  }

  private static long remainingMillis(Context context) {
    if (context == null) return settings.flushCapMillis + settings.flushMarginMillis;
    try {
      return context.getRemainingTimeInMillis();
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return settings.flushCapMillis + settings.flushMarginMillis;
    }
  }

  private static final int C_FUNCTION_NAME = 0, C_ARN = 1, C_REQUEST_ID = 2, C_VERSION = 3, C_MEMORY = 4;

  /**
   * Reads a Context fact, surviving a null context or a test double that throws. Only methods present in every
   * aws-lambda-java-core a runtime ships (1.2.x) are called.
   */
  private static String call(Context c, int what) {
    if (c == null) return null;
    try {
      switch (what) {
        case C_FUNCTION_NAME: return c.getFunctionName();
        case C_ARN: return c.getInvokedFunctionArn();
        case C_REQUEST_ID: return c.getAwsRequestId();
        case C_VERSION: return c.getFunctionVersion();
        default: return Integer.toString(c.getMemoryLimitInMB());
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return null;
    }
  }
}
