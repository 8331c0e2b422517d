package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End-user feedback on each route, as Datadog's evaluation API takes it, with the refusals evaluations have. */
class FeedbackTest {
  TestIntake intake;
  final ManualClock clock = new ManualClock();

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  void configure(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "feedback-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "DD_LLMOBS_ML_APP", "claims-assistant"));
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    LLMObs.configure(Config.fromEnv(env, false), clock);
  }

  static SpanContext answered() {
    try (LLMObsSpan wf = LLMObs.workflow("answer")) {
      wf.sessionId("claim-88412");
      return LLMObs.exportSpan(wf);
    }
  }

  @SuppressWarnings("unchecked")
  @Test void feedbackReachesDatadogsEvaluationApiAsFeedbackWithItsTargetAndSubmitter() {
    configure();
    SpanContext span = answered();
    LLMObs.submitFeedback(Feedback.categorical("thumbs", "down").forSpan(span).by("user-123", "user")
        .assessment(false).timestampMillis(1_765_990_800_016L));
    LLMObs.submitFeedback(Feedback.text("user_comment", "The answer missed clause 7.1.").forJoinKey("incident-123")
        .by("user-123", "user").timestampMillis(1_765_990_800_017L));
    LLMObs.submitFeedback(Feedback.score("stars", 2).forSession("claim-88412").by("user-123", "user"));
    LLMObs.submitFeedback(Feedback.bool("accepted", false).forTrace(span).by("agent-7", "agent"));
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(4, r.evaluationsSent(), r.toString());

    List<Map<String, Object>> metrics = intake.evaluations();
    Map<String, Object> thumbs = metrics.get(0);
    assertEquals("feedback", thumbs.get("event_kind"));
    assertEquals(span.spanId(), thumbs.get("span_id"));
    assertFalse(thumbs.containsKey("join_on"), "feedback names its target, never join_on");
    assertEquals("claims-assistant", thumbs.get("ml_app"), "the configured ml_app, as the span's");
    assertEquals(1_765_990_800_016L, ((Number) thumbs.get("timestamp_ms")).longValue());
    assertEquals("categorical", thumbs.get("metric_type"));
    assertEquals("thumbs", thumbs.get("label"));
    assertEquals("down", thumbs.get("categorical_value"));
    assertEquals("fail", thumbs.get("assessment"));
    assertEquals(Map.of("id", "user-123", "type", "user"), thumbs.get("submitter"));

    Map<String, Object> comment = metrics.get(1);
    assertEquals("incident-123", comment.get("feedback_join_key"));
    assertEquals("text", comment.get("metric_type"));
    assertEquals("The answer missed clause 7.1.", comment.get("text_value"));
    assertEquals("claim-88412", metrics.get(2).get("session_id"));
    assertEquals(2.0, ((Number) metrics.get(2).get("score_value")).doubleValue());
    assertEquals(span.traceId(), metrics.get(3).get("trace_id"));
    assertEquals(false, metrics.get(3).get("boolean_value"));
    for (Map<String, Object> m : metrics) {
      long targets = List.of("span_id", "trace_id", "session_id", "feedback_join_key").stream().filter(m::containsKey).count();
      assertEquals(1, targets, "exactly one target: " + m);
    }
  }

  @Test void feedbackWithoutATargetOrASubmitterIsRefusedAndSaid() {
    try (LogCapture logs = new LogCapture()) {
      configure("LLMOBS_LOG_LEVEL", "debug"); // each refusal is said: the first as a warning, the rest at debug
      SpanContext span = answered();
      LLMObs.submitFeedback(Feedback.categorical("thumbs", "up").by("user-1", "user"));
      LLMObs.submitFeedback(Feedback.categorical("thumbs", "up").forSpan(span));
      LLMObs.submitFeedback(Feedback.score("stars", Double.NaN).forSpan(span).by("user-1", "user"));
      LLMObs.submitFeedback(null);
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      assertEquals(0, r.evaluationsSent());
      assertEquals(3, r.evaluationsDropped(), r.toString());
      assertTrue(logs.contains("has no target"), logs.all());
      assertTrue(logs.contains("says nobody submitted it"), logs.all());
      assertTrue(logs.contains("is not finite"), logs.all());
    }
  }

  @Test void anOtlpBackendGetsFeedbackAsAnEvaluationEventMarkedAsFeedback() {
    configure("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin());
    SpanContext span = answered();
    LLMObs.submitFeedback(Feedback.categorical("thumbs", "down").forSpan(span).by("user-123", "user"));
    LLMObs.submitFeedback(Feedback.text("user_comment", "Missed clause 7.1.").forTrace(span).by("user-123", "user"));
    LLMObs.submitFeedback(Feedback.score("stars", 2).forSession("claim-88412").by("user-124", "user"));
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(3, r.evaluationsSent(), r.toString());
    List<io.opentelemetry.proto.logs.v1.LogRecord> records = new java.util.ArrayList<>();
    for (TestIntake.Request req : intake.requestsTo("/v1/logs")) {
      for (var rl : dev.llmobs.testing.OtlpBodies.logs(req.body).getResourceLogsList())
        for (var sl : rl.getScopeLogsList()) records.addAll(sl.getLogRecordsList());
    }
    assertEquals(3, records.size());
    Map<String, Object> thumbs = dev.llmobs.testing.OtlpBodies.attributes(records.get(0).getAttributesList());
    assertEquals("gen_ai.evaluation.result", records.get(0).getEventName());
    assertEquals("feedback", thumbs.get("llmobs.event_kind"));
    assertEquals("user-123", thumbs.get("llmobs.feedback.submitter.id"));
    assertEquals("down", thumbs.get("gen_ai.evaluation.score.label"));
    assertFalse(records.get(0).getSpanId().isEmpty(), "on its span");
    assertTrue(records.get(1).getSpanId().isEmpty(), "on the trace: no span id");
    assertFalse(records.get(1).getTraceId().isEmpty());
    assertEquals("Missed clause 7.1.", dev.llmobs.testing.OtlpBodies.attributes(records.get(1).getAttributesList())
        .get("gen_ai.evaluation.explanation"));
    assertEquals("claim-88412", dev.llmobs.testing.OtlpBodies.attributes(records.get(2).getAttributesList())
        .get("gen_ai.conversation.id"));
  }

  @SuppressWarnings("unchecked")
  @Test void throughDatadogsOtlpIntakeFeedbackCarriesDecimalIdsAndTheOtelSource() throws Exception {
    configure("LLMOBS_EXPORTER", "datadog-otlp", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", intake.origin() + "/v1/traces");
    SpanContext span = answered();
    LLMObs.submitFeedback(Feedback.categorical("thumbs", "down").forTrace(span).by("user-123", "user"));
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(1, r.evaluationsSent(), r.toString());
    Map<String, Object> m = intake.evaluations().get(0);
    assertEquals(new java.math.BigInteger(span.traceId(), 16).toString(), m.get("trace_id"));
    assertTrue(((List<String>) m.get("tags")).contains("source:otel"));
  }
}
