package dev.llmobs.springai;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.TracerHandle;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Spring AI's observations as LLM Observability spans. Spring AI observes each step with Micrometer (the chat client,
 * its advisors, the chat model, tool calls, embedding models, vector store queries); this handler opens a span when
 * an observation starts, under the span of its parent observation (or the caller's current span), makes it current
 * while the observation's scope is open (so that what runs inside, our Bedrock interceptor's span say, nests under
 * it), and fills and finishes it when the observation stops. Spring AI's own contexts only: other observations are
 * left to their own handlers. Nothing here throws into Spring AI.
 */
public final class LLMObsObservationHandler implements ObservationHandler<Observation.Context> {
  /** Where a context keeps its span, and the scope marks of the threads it is current on. */
  private static final Object SPAN = new Object(), SCOPES = new Object(), KIND = new Object();

  @Override public boolean supportsContext(Observation.Context context) {
    return SpringAiSpans.Kind.of(context) != null;
  }

  @Override public void onStart(Observation.Context context) {
    if (!LLMObs.isEnabled()) return;
    try {
      SpringAiSpans.Kind kind = SpringAiSpans.Kind.of(context);
      if (kind == null) return;
      LLMObsSpan span = SpringAiSpans.start(context, kind, parent(context));
      if (span == null) return;
      context.put(SPAN, span);
      context.put(KIND, kind);
      if (SpringAiSpans.streaming(context, kind)) {
        // A stream's observation stops on Reactor's thread, a moment after the caller has the last token: the
        // invocation's end waits for it (bounded), so the span goes with its invocation.
        TracerHandle.current().callOpened(span, span.context().traceId(), true, () -> {
          span.metadata("incomplete", true);
          span.finish();
        });
      }
    } catch (Throwable t) {
      report(t);
    }
  }

  @Override public void onScopeOpened(Observation.Context context) {
    Object span = context.get(SPAN);
    if (span == null) return;
    Object mark = TracerHandle.current().enterSpan(span);
    if (mark != null) scopes(context).push(mark);
  }

  @Override public void onScopeClosed(Observation.Context context) {
    java.util.Deque<Object> marks = context.get(SCOPES);
    if (marks == null) return;
    Object mark = marks.poll();
    if (mark != null) TracerHandle.current().exitSpan(mark);
  }

  @Override public void onError(Observation.Context context) {
    LLMObsSpan span = context.get(SPAN);
    if (span != null && context.getError() != null) span.error(context.getError());
  }

  @Override public void onStop(Observation.Context context) {
    Object removed = context.remove(SPAN);
    LLMObsSpan span = removed instanceof LLMObsSpan ? (LLMObsSpan) removed : null;
    if (span == null) return;
    try {
      SpringAiSpans.Kind kind = context.get(KIND);
      if (kind != null) SpringAiSpans.finish(context, kind, span);
    } catch (Throwable t) {
      report(t);
    } finally {
      span.finish();
      TracerHandle.current().callEnded(span);
    }
  }

  /** The span of the nearest parent observation we traced, else the caller's current span (null: a root). */
  private static LLMObsSpan parent(Observation.Context context) {
    for (io.micrometer.observation.ObservationView p = context.getParentObservation(); p != null;
        p = p.getContextView() instanceof Observation.Context
            ? ((Observation.Context) p.getContextView()).getParentObservation() : null) {
      Object span = p.getContextView().get(SPAN);
      if (span instanceof LLMObsSpan) return (LLMObsSpan) span;
    }
    LLMObsSpan current = LLMObs.currentSpan();
    return current.isRecording() ? current : null;
  }

  @SuppressWarnings("unchecked")
  private static java.util.Deque<Object> scopes(Observation.Context context) {
    return context.computeIfAbsent(SCOPES, k -> new java.util.concurrent.ConcurrentLinkedDeque<>());
  }

  private static void report(Throwable t) {
    Throwables.propagateIfFatal(t);
    Log.debug("a Spring AI observation not traced: " + t);
  }
}
