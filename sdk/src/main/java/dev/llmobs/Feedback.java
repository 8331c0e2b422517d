package dev.llmobs;

/**
 * End-user feedback on what the application produced (a thumbs-down, a rating, a comment), as Datadog receives it:
 * an evaluation of kind {@code feedback}, with who submitted it and exactly one target (a span, a trace, a session,
 * or a join key the application tagged its spans with). Immutable: each method returns a changed copy.
 *
 * <pre>{@code
 * LLMObs.submitFeedback(Feedback.categorical("thumbs", "down").forSpan(answerSpan).by("user-123", "user")
 *     .assessment(false));
 * }</pre>
 *
 * <p>Every route takes it: Datadog's (agentless, the agent or extension, Datadog's OTLP intake) as feedback, an OTLP
 * backend as a {@code gen_ai.evaluation.result} event marked {@code llmobs.event_kind=feedback}.
 */
public final class Feedback {
  /** What the feedback names; exactly one. */
  enum Target { SPAN, TRACE, SESSION, JOIN_KEY }

  final Evaluation.MetricType type;
  final String label;
  final Object value;
  final Target target;
  final String targetId;
  final SpanContext span; // the span or trace targeted, when given as exported ids
  final String submitterId, submitterType;
  final Evaluation base; // ml_app, timestamp, tags, assessment, as an evaluation carries them

  private Feedback(Evaluation.MetricType type, String label, Object value, Target target, String targetId,
      SpanContext span, String submitterId, String submitterType, Evaluation base) {
    this.type = type;
    this.label = label;
    this.value = value;
    this.target = target;
    this.targetId = targetId;
    this.span = span;
    this.submitterId = submitterId;
    this.submitterType = submitterType;
    this.base = base;
  }

  private static Feedback of(Evaluation.MetricType type, String label, Object value) {
    return new Feedback(type, label, value, null, null, null, null, null, Evaluation.categorical(label, ""));
  }

  /** A categorical answer, e.g. {@code ("thumbs", "down")}. */
  public static Feedback categorical(String label, String value) {
    return of(Evaluation.MetricType.CATEGORICAL, label, value);
  }

  /** A rating, e.g. {@code ("stars", 4)}. */
  public static Feedback score(String label, double value) {
    return of(Evaluation.MetricType.SCORE, label, value);
  }

  /** A yes/no answer, e.g. {@code ("accepted_change", true)}. */
  public static Feedback bool(String label, boolean value) {
    return of(Evaluation.MetricType.BOOLEAN, label, value);
  }

  /** Free text, e.g. {@code ("user_comment", "The answer missed clause 7.1.")}. */
  public static Feedback text(String label, String text) {
    return of(Evaluation.MetricType.TEXT, label, text);
  }

  private Feedback to(Target t, String id, SpanContext s) {
    return new Feedback(type, label, value, t, id, s, submitterId, submitterType, base);
  }

  /** On the one span with these exported ids. */
  public Feedback forSpan(SpanContext span) {
    return to(Target.SPAN, span == null ? null : span.spanId(), span);
  }

  /** On the whole trace of the span with these exported ids. */
  public Feedback forTrace(SpanContext anySpanOfTheTrace) {
    return to(Target.TRACE, anySpanOfTheTrace == null ? null : anySpanOfTheTrace.traceId(), anySpanOfTheTrace);
  }

  /** On a whole session (the {@code session_id} the spans carry). */
  public Feedback forSession(String sessionId) {
    return to(Target.SESSION, sessionId, null);
  }

  /** On the spans the application tagged {@code feedback_join_key:<key>} (an incident, a report, a task). */
  public Feedback forJoinKey(String key) {
    return to(Target.JOIN_KEY, key, null);
  }

  /** Who gave it: an id of the application's ({@code user-123}) and its kind ({@code user}, {@code agent}). */
  public Feedback by(String submitterId, String submitterType) {
    return new Feedback(type, label, value, target, targetId, span, submitterId, submitterType, base);
  }

  private Feedback with(Evaluation b) {
    return new Feedback(type, label, value, target, targetId, span, submitterId, submitterType, b);
  }

  /** Whether the user judged the output good. */
  public Feedback assessment(boolean passed) {
    return with(base.assessment(passed));
  }

  /** The ml_app; defaults to the targeted span's, else the configured one. */
  public Feedback mlApp(String mlApp) {
    return with(base.mlApp(mlApp));
  }

  /** When it was given, in Unix milliseconds; defaults to the time of submission. */
  public Feedback timestampMillis(long timestampMs) {
    return with(base.timestampMillis(timestampMs));
  }

  public Feedback tag(String key, String value) {
    return with(base.tag(key, value));
  }

  /** As an evaluation the pipeline carries, marked as feedback (an empty target field: none was given). */
  Evaluation toEvaluation() {
    return base.asFeedback(type, label, value, targetField(), targetId, span, submitterId, submitterType);
  }

  private String targetField() {
    if (target == null) return "";
    switch (target) {
      case SPAN: return "span_id";
      case TRACE: return "trace_id";
      case SESSION: return "session_id";
      default: return "feedback_join_key";
    }
  }

  @Override public String toString() {
    return "Feedback{" + type + " " + label + "=" + value + " on " + target + "}";
  }
}
