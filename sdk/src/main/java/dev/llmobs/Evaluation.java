package dev.llmobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An evaluation of a span's quality, sent with {@link LLMObs#submitEvaluation}: a label, a categorical, score or
 * boolean value, and what it is joined to (a span's exported ids, or a tag unique to one span). Immutable; each
 * method returns a changed copy.
 *
 * <pre>{@code
 * LLMObs.submitEvaluation(Evaluation.score("helpfulness", 0.82).forSpan(LLMObs.exportSpan(span)).tag("evaluator", "rules"));
 * }</pre>
 */
public final class Evaluation implements Cloneable {
  /** What an evaluation's value is, and the {@code metric_type} the wire names it by. */
  public enum MetricType {
    CATEGORICAL("categorical"), SCORE("score"), BOOLEAN("boolean"), JSON("json"),
    /** Free text: end-user feedback only ({@link LLMObs#submitFeedback}). */
    TEXT("text");

    private final String wireName;

    MetricType(String wireName) {
      this.wireName = wireName;
    }

    /** As on the wire: {@code categorical}, {@code score}, {@code boolean}, {@code json} or {@code text}. */
    public String wireName() {
      return wireName;
    }
  }

  final MetricType type;
  final String label;
  final Object value;
  /**
   * For end-user feedback ({@link LLMObs#submitFeedback}): the wire field naming its target, the target's id, and who
   * gave it; all null for an evaluation.
   */
  String targetField, targetId, submitterId, submitterType;
  SpanContext span;
  String joinTagKey, joinTagValue;
  String mlApp;
  Long timestampMs;
  List<String> tags = List.of();
  boolean traceScope;
  String assessment;
  String reasoning;
  Map<String, Object> metadata;

  private Evaluation(MetricType type, String label, Object value) {
    this.type = type;
    this.label = label;
    this.value = value;
  }

  /** A categorical value, e.g. {@code ("policy_grounding", "grounded")}. */
  public static Evaluation categorical(String label, String value) {
    return new Evaluation(MetricType.CATEGORICAL, label, value);
  }

  /** A numeric score, e.g. {@code ("helpfulness", 0.82)}. */
  public static Evaluation score(String label, double value) {
    return new Evaluation(MetricType.SCORE, label, value);
  }

  /** A yes/no value, e.g. {@code ("pii_free", true)}. */
  public static Evaluation bool(String label, boolean value) {
    return new Evaluation(MetricType.BOOLEAN, label, value);
  }

  /**
   * A structured result ({@code json_value}), e.g. a rubric's scores: a JSON-like map, copied now so that later
   * changes do not reach it. A map that cannot be read is refused when submitted.
   */
  public static Evaluation json(String label, Map<String, ?> value) {
    return new Evaluation(MetricType.JSON, label, Copies.map(value, "the value of json evaluation '" + label + "'"));
  }

  /** Joins the evaluation to the span with these exported ids. */
  public Evaluation forSpan(SpanContext span) {
    Evaluation e = copy();
    e.span = span;
    e.joinTagKey = e.joinTagValue = null;
    return e;
  }

  /** Joins the evaluation to the one span carrying tag {@code key:value}. */
  public Evaluation forTag(String key, String value) {
    Evaluation e = copy();
    e.joinTagKey = key;
    e.joinTagValue = value;
    e.span = null;
    return e;
  }

  /** The ml_app; defaults to the joined span's, else the configured one. */
  public Evaluation mlApp(String mlApp) {
    Evaluation e = copy();
    e.mlApp = mlApp;
    return e;
  }

  /** When the evaluation was made, in Unix milliseconds; defaults to the time of submission. */
  public Evaluation timestampMillis(long timestampMs) {
    Evaluation e = copy();
    e.timestampMs = timestampMs;
    return e;
  }

  public Evaluation tag(String key, String value) {
    Evaluation e = copy();
    List<String> t = new ArrayList<>(tags);
    t.add(key + ":" + (value == null ? "" : value));
    e.tags = Collections.unmodifiableList(t);
    return e;
  }

  /** The evaluation judges the whole trace rather than the one span. */
  public Evaluation traceScope() {
    Evaluation e = copy();
    e.traceScope = true;
    return e;
  }

  /** Whether the evaluated output passed. */
  public Evaluation assessment(boolean passed) {
    Evaluation e = copy();
    e.assessment = passed ? "pass" : "fail";
    return e;
  }

  public Evaluation reasoning(String reasoning) {
    Evaluation e = copy();
    e.reasoning = reasoning;
    return e;
  }

  public Evaluation metadata(Map<String, ?> metadata) {
    Evaluation e = copy();
    Map<String, Object> copy = Copies.map(metadata, "the metadata of evaluation '" + label + "'");
    if (copy != null || metadata == null) e.metadata = copy; // an unreadable map leaves the earlier metadata
    return e;
  }

  public String label() {
    return label;
  }

  /** What its value is: categorical, score, boolean or JSON. */
  public MetricType metricType() {
    return type;
  }

  /** A {@code String}, a {@code Double}, a {@code Boolean} or a {@code Map}, by {@link #metricType()}. */
  public Object value() {
    return value;
  }

  /** The span joined by ids, or null when joined by tag. */
  public SpanContext joinedSpan() {
    return span;
  }

  /** The tag key joined on, or null when joined by span ids. */
  public String joinTagKey() {
    return joinTagKey;
  }

  public String joinTagValue() {
    return joinTagValue;
  }

  /** The ml_app given, or null: the recorder then uses the joined span's, else the configured default. */
  public String mlApp() {
    return mlApp;
  }

  /** The time given, or null: the recorder then uses the time of submission. */
  public Long timestampMillis() {
    return timestampMs;
  }

  public List<String> tags() {
    return tags;
  }

  public boolean isTraceScope() {
    return traceScope;
  }

  /** {@code pass}, {@code fail}, or null. */
  public String assessment() {
    return assessment;
  }

  public String reasoning() {
    return reasoning;
  }

  /** Null when none was given. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** This evaluation's ml_app, timestamp, tags and assessment around a piece of feedback's value and target. */
  Evaluation asFeedback(MetricType type, String label, Object value, String targetField, String targetId,
      SpanContext span, String submitterId, String submitterType) {
    Evaluation e = new Evaluation(type, label, value);
    e.targetField = targetField;
    e.targetId = targetId;
    e.submitterId = submitterId;
    e.submitterType = submitterType;
    e.span = span;
    e.mlApp = mlApp;
    e.timestampMs = timestampMs;
    e.tags = tags;
    e.assessment = assessment;
    return e;
  }

  /**
   * The same evaluation with the span its tag join names, found by the SDK among the spans it sent (for a
   * destination with no server to join by tag, such as OTLP); the tag is kept beside it.
   */
  public Evaluation resolvedTo(SpanContext span) {
    Evaluation e = copy();
    e.span = span;
    return e;
  }

  /** End-user feedback ({@link LLMObs#submitFeedback}) rather than an evaluation. */
  public boolean isFeedback() {
    return targetField != null;
  }

  /** For feedback, the wire field naming its target: {@code span_id}, {@code trace_id}, {@code session_id} or {@code feedback_join_key}. */
  public String feedbackTargetField() {
    return targetField;
  }

  /** For feedback, the id of its target (a span id, a trace id, a session id, a join key). */
  public String feedbackTargetId() {
    return targetId;
  }

  /** For feedback, who submitted it: an id and a kind ({@code user}, {@code agent}). */
  public String submitterId() {
    return submitterId;
  }

  public String submitterType() {
    return submitterType;
  }

  private Evaluation copy() {
    try {
      return (Evaluation) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /** Why this evaluation cannot be sent, or null when it can. */
  String problem() {
    if (isFeedback()) return feedbackProblem();
    if (label == null || label.isEmpty()) return "an evaluation needs a non-empty label";
    if (label.indexOf('.') >= 0) return "evaluation label '" + label + "' must not contain '.'";
    if (type == MetricType.CATEGORICAL && value == null) return "categorical evaluation '" + label + "' has a null value";
    if (type == MetricType.SCORE && !Double.isFinite((Double) value)) return "score of evaluation '" + label + "' is not finite";
    if (type == MetricType.JSON && value == null) return "json evaluation '" + label + "' has no readable value";
    if (span == null && joinTagKey == null) return "evaluation '" + label + "' is joined to no span: call forSpan or forTag";
    if (span != null && (span.traceId() == null || span.spanId() == null)) return "evaluation '" + label + "' names an incomplete span";
    if (span != null && ("0".equals(span.spanId()) || allZeros(span.traceId()))) {
      return "evaluation '" + label + "' names no span: no span was current when its ids were exported";
    }
    if (joinTagKey != null && (joinTagKey.isEmpty() || joinTagValue == null)) return "evaluation '" + label + "' has an empty join tag";
    if (timestampMs != null && timestampMs < 0) return "evaluation '" + label + "' has a negative timestamp";
    return null;
  }

  private String feedbackProblem() {
    if (label == null || label.isEmpty()) return "feedback needs a non-empty label";
    if (label.indexOf('.') >= 0) return "feedback label '" + label + "' must not contain '.'";
    if ((type == MetricType.CATEGORICAL || type == MetricType.TEXT) && value == null) return "feedback '" + label + "' has a null value";
    if (type == MetricType.SCORE && !Double.isFinite((Double) value)) return "score of feedback '" + label + "' is not finite";
    if (targetField.isEmpty()) return "feedback '" + label + "' has no target: call forSpan, forTrace, forSession or forJoinKey";
    if (targetId == null || targetId.isBlank() || "0".equals(targetId) || (targetField.equals("trace_id") && allZeros(targetId))) {
      return "feedback '" + label + "' names no " + targetField.replace('_', ' ');
    }
    if (submitterId == null || submitterId.isBlank()) return "feedback '" + label + "' says nobody submitted it: call by(id, type)";
    if (timestampMs != null && timestampMs < 0) return "feedback '" + label + "' has a negative timestamp";
    return null;
  }

  private static boolean allZeros(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) != '0') return false;
    return true;
  }

  @Override public String toString() {
    return "Evaluation{" + type + " " + label + "=" + value + "}";
  }
}
