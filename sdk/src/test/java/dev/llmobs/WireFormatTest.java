package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.internal.Version;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every request body checked against shared/docs/datadog-llmobs-wire-format.md, through a real loopback intake. */
class WireFormatTest {
  TestIntake intake;
  ManualClock clock = new ManualClock();

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  void agentless(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "secret-key-123",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims-assistant",
        "DD_SERVICE", "claims-api", "DD_ENV", "prod", "DD_VERSION", "2.3.0"));
    env.putAll(extra);
    LLMObs.configure(Config.fromEnv(env, false), clock);
  }

  static Map<String, Object> byName(List<Map<String, Object>> spans, String name) {
    for (Map<String, Object> s : spans) if (name.equals(s.get("name"))) return s;
    throw new AssertionError("no span named " + name + " in " + spans);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @Test void agentlessRequestHasUrlHeadersAndOneSpanPerElement() {
    agentless(Map.of());
    try (LLMObsSpan wf = LLMObs.workflow("claims-handler")) {
      wf.input("{\"claimId\": \"88412\"}").output("covered");
      try (LLMObsSpan llm = LLMObs.llm("bedrock-runtime.converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock")) {
        llm.tokens(231, 18);
      }
    }
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(2, r.spansSent());

    List<TestIntake.Request> reqs = intake.requests();
    assertEquals(1, reqs.size());
    TestIntake.Request req = reqs.get(0);
    assertEquals("POST", req.method);
    assertEquals("/api/v2/llmobs", req.path);
    assertEquals("application/json", req.headers.get("content-type"));
    assertEquals("secret-key-123", req.headers.get("dd-api-key"));
    assertNull(req.headers.get("x-datadog-evp-subdomain"));
    assertNull(req.headers.get("content-encoding"));

    List<Object> elements = list(req.json());
    assertEquals(2, elements.size());
    for (Object e : elements) {
      Map<String, Object> el = map(e);
      assertEquals("raw", el.get("_dd.stage"));
      assertEquals(Version.get(), el.get("_dd.tracer_version"));
      assertEquals("span", el.get("event_type"));
      assertEquals(1, list(el.get("spans")).size());
    }
  }

  @Test void spanEventCarriesIdsParentageKindsAndTimes() {
    agentless(Map.of());
    try (LLMObsSpan wf = LLMObs.workflow("claims-handler")) {
      clock.advanceNanos(1_000);
      try (LLMObsSpan llm = LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "Amazon_Bedrock")) {
        clock.advanceNanos(1_840_000_000L);
      }
      clock.advanceNanos(5_000);
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> spans = intake.spans();
    Map<String, Object> root = byName(spans, "claims-handler");
    Map<String, Object> llm = byName(spans, "converse");

    String traceId = (String) root.get("trace_id");
    assertTrue(traceId.matches("[0-9a-f]{32}"), traceId);
    assertEquals("00000000", traceId.substring(8, 16), "Datadog 128-bit shape: seconds, zeros, random");
    assertEquals(Long.toHexString(1_763_745_000L), traceId.substring(0, 8));
    assertEquals(traceId, llm.get("trace_id"));
    assertTrue(((String) root.get("span_id")).matches("[1-9][0-9]*"));
    assertEquals("undefined", root.get("parent_id"));
    assertEquals(root.get("span_id"), llm.get("parent_id"));
    assertNotEquals(root.get("span_id"), llm.get("span_id"));

    assertEquals(1_763_745_000_000_000_000L, ((Number) root.get("start_ns")).longValue());
    assertEquals(1_840_006_000L, ((Number) root.get("duration")).longValue());
    assertEquals(1_763_745_000_000_001_000L, ((Number) llm.get("start_ns")).longValue());
    assertEquals(1_840_000_000L, ((Number) llm.get("duration")).longValue());
    assertEquals("ok", root.get("status"));

    assertEquals(Map.of("kind", "workflow"), map(map(root.get("meta")).get("span")));
    Map<String, Object> llmMeta = map(llm.get("meta"));
    assertEquals(Map.of("kind", "llm"), llmMeta.get("span"));
    assertEquals("anthropic.claude-3-5-haiku-20241022-v1:0", llmMeta.get("model_name"));
    assertEquals("amazon_bedrock", llmMeta.get("model_provider"));
    assertFalse(map(root.get("meta")).containsKey("model_name"), "only llm and embedding spans name a model");
    assertEquals(Map.of(), root.get("metrics"));

    Map<String, Object> dd = map(llm.get("_dd"));
    assertEquals(llm.get("span_id"), dd.get("span_id"));
    assertEquals(traceId, dd.get("trace_id"));
    assertEquals(traceId, dd.get("apm_trace_id"));
  }

  @Test void tagsAreSortedAndCarryTheStandardKeys() {
    agentless(Map.of("DD_TAGS", "team:llm,region:eu"));
    try (LLMObsSpan wf = LLMObs.workflow("w")) {
      wf.tag("claim_turn_id", "88412-3");
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Object> tags = list(intake.spans().get(0).get("tags"));
    List<Object> sorted = new ArrayList<>(tags);
    sorted.sort(null);
    assertEquals(sorted, tags);
    assertEquals(List.of("claim_turn_id:88412-3", "ddtrace.version:" + Version.get(), "env:prod", "error:0",
        "language:jvm", "ml_app:claims-assistant", "region:eu", "service:claims-api", "source:integration",
        "team:llm", "version:2.3.0"), tags);
  }

  @Test void unsetServiceEnvAndVersionAreLeftOutNotSentEmpty() {
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin()), false), clock);
    LLMObs.workflow("w").finish();
    LLMObs.flush(Duration.ofSeconds(5));
    List<Object> tags = list(intake.spans().get(0).get("tags"));
    assertTrue(tags.stream().noneMatch(t -> t.equals("env:") || t.equals("service:") || t.equals("version:")), tags::toString);
    assertTrue(tags.stream().noneMatch(t -> String.valueOf(t).startsWith("env:")), "no env at all when DD_ENV is unset");
    assertTrue(tags.contains("ml_app:unnamed-ml-app"));
  }

  @Test void inputOutputShapesFollowTheKind() {
    agentless(Map.of());
    try (LLMObsSpan wf = LLMObs.workflow("wf")) {
      wf.input("question").output(Map.of("answer", 42));
      try (LLMObsSpan llm = LLMObs.llm("chat", "m", "amazon_bedrock")) {
        llm.inputMessages(List.of(Message.system("be brief"), Message.user("Is water damage covered?")));
        llm.outputMessages(List.of(Message.assistant("")
            .withToolCalls(List.of(ToolCall.of("lookup_policy", Map.of("claimId", "88412"), "tooluse_Q3x9", "toolUse")))));
      }
      try (LLMObsSpan emb = LLMObs.embedding("embed", "amazon.titan-embed-text-v2:0", "amazon_bedrock")) {
        emb.inputDocuments(List.of(Document.of("water damage")));
        emb.output("[1 embedding(s) returned with size 1024]");
      }
      try (LLMObsSpan ret = LLMObs.retrieval("search")) {
        ret.input("water damage");
        ret.outputDocuments(List.of(Document.of("clause 4.2").withName("policy").withId("p-1").withScore(0.93)));
      }
      try (LLMObsSpan llm2 = LLMObs.llm("tool-result", "m", "amazon_bedrock")) {
        llm2.inputMessages(List.of(Message.of("user", null)
            .withToolResults(List.of(ToolResult.of("lookup_policy", "{\"water\": \"sudden only\"}", "tooluse_Q3x9", "toolResult")))));
      }
    }
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> spans = intake.spans();

    Map<String, Object> wf = map(byName(spans, "wf").get("meta"));
    assertEquals(Map.of("value", "question"), wf.get("input"));
    assertEquals(Map.of("value", "{\"answer\":42}"), wf.get("output"));

    Map<String, Object> llm = map(byName(spans, "chat").get("meta"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "system", "content", "be brief"),
        Map.of("role", "user", "content", "Is water damage covered?"))), llm.get("input"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "", "tool_calls",
        List.of(Map.of("name", "lookup_policy", "arguments", Map.of("claimId", "88412"), "tool_id", "tooluse_Q3x9",
            "type", "toolUse"))))), llm.get("output"));

    Map<String, Object> emb = map(byName(spans, "embed").get("meta"));
    assertEquals(Map.of("documents", List.of(Map.of("text", "water damage"))), emb.get("input"));
    assertEquals(Map.of("value", "[1 embedding(s) returned with size 1024]"), emb.get("output"));

    Map<String, Object> ret = map(byName(spans, "search").get("meta"));
    assertEquals(Map.of("documents", List.of(Map.of("text", "clause 4.2", "name", "policy", "id", "p-1", "score", 0.93))),
        ret.get("output"));

    Map<String, Object> tr = map(byName(spans, "tool-result").get("meta"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "user", "content", "", "tool_results",
        List.of(Map.of("name", "lookup_policy", "result", "{\"water\": \"sudden only\"}", "tool_id", "tooluse_Q3x9",
            "type", "toolResult"))))), tr.get("input"));
  }

  @Test void metadataAndMetricsAreSentAsGiven() {
    agentless(Map.of());
    try (LLMObsSpan llm = LLMObs.llm("chat", "m", "p")) {
      llm.metadata("temperature", 0.2).metadata("max_tokens", 400).metadata("stop_sequences", List.of("\n\nHuman:"));
      llm.metadata(Map.of("tool_config", Map.of("tools", List.of(Map.of("name", "lookup")))));
      llm.tokens(231, 18).metric("cache_read_input_tokens", 12).metric("time_to_first_token", 0.25);
    }
    LLMObs.flush(Duration.ofSeconds(5));
    Map<String, Object> span = intake.spans().get(0);
    Map<String, Object> meta = map(span.get("meta"));
    assertEquals(Map.of("temperature", 0.2, "max_tokens", 400, "stop_sequences", List.of("\n\nHuman:"),
        "tool_config", Map.of("tools", List.of(Map.of("name", "lookup")))), meta.get("metadata"));
    assertEquals(Map.of("input_tokens", 231, "output_tokens", 18, "total_tokens", 249, "cache_read_input_tokens", 12,
        "time_to_first_token", 0.25), span.get("metrics"));
  }

  @Test void errorIsNestedWithTypeMessageAndStackAndTagged() {
    agentless(Map.of());
    IllegalStateException boom = new IllegalStateException("Model timed out");
    try (LLMObsSpan wf = LLMObs.workflow("w")) {
      wf.error(boom);
    }
    LLMObs.flush(Duration.ofSeconds(5));
    Map<String, Object> span = intake.spans().get(0);
    assertEquals("error", span.get("status"));
    Map<String, Object> error = map(map(span.get("meta")).get("error"));
    assertEquals("Model timed out", error.get("message"));
    assertEquals("java.lang.IllegalStateException", error.get("type"));
    assertTrue(((String) error.get("stack")).startsWith("java.lang.IllegalStateException: Model timed out\n\tat "));
    List<Object> tags = list(span.get("tags"));
    assertTrue(tags.contains("error:1"));
    assertTrue(tags.contains("error_type:java.lang.IllegalStateException"));
  }

  @Test void anErrorWithoutAnExceptionHasNoEmptyStack() {
    agentless(Map.of());
    try (LLMObsSpan llm = LLMObs.llm("call", "m", "p")) {
      llm.error("ThrottlingException", "Too many requests");
    }
    LLMObs.flush(Duration.ofSeconds(5));
    Map<String, Object> error = map(map(intake.spans().get(0).get("meta")).get("error"));
    assertEquals(Map.of("message", "Too many requests", "type", "ThrottlingException"), error);
  }

  @Test void sessionSetOnTheRootReachesEverySpanOfTheTrace() {
    agentless(Map.of());
    try (LLMObsSpan wf = LLMObs.workflow("root")) {
      try (LLMObsSpan t = LLMObs.task("child")) {
        LLMObs.tool("grandchild").finish();
      }
      wf.sessionId("claim-88412"); // set late, still applies
    }
    LLMObs.flush(Duration.ofSeconds(5));
    for (Map<String, Object> s : intake.spans()) {
      assertEquals("claim-88412", s.get("session_id"), "span " + s.get("name"));
      assertTrue(list(s.get("tags")).contains("session_id:claim-88412"));
    }
    assertEquals(3, intake.spans().size());
  }

  @Test void mlAppCanBeSetPerRootAndIsInherited() {
    agentless(Map.of());
    try (LLMObsSpan a = LLMObs.span(SpanKind.WORKFLOW, "a").mlApp("Billing Bot").start()) {
      LLMObs.task("a-child").finish();
    }
    LLMObs.workflow("b").finish();
    LLMObs.flush(Duration.ofSeconds(5));
    List<Map<String, Object>> spans = intake.spans();
    assertTrue(list(byName(spans, "a").get("tags")).contains("ml_app:billing_bot"));
    assertTrue(list(byName(spans, "a-child").get("tags")).contains("ml_app:billing_bot"));
    assertTrue(list(byName(spans, "b").get("tags")).contains("ml_app:claims-assistant"));
  }

  @Test void evaluationsGoToTheEvalEndpointJoinedBySpanOrTag() {
    agentless(Map.of());
    SpanContext exported;
    try (LLMObsSpan wf = LLMObs.workflow("w")) {
      wf.tag("claim_turn_id", "88412-3");
      exported = LLMObs.exportSpan(wf);
    }
    LLMObs.submitEvaluation(Evaluation.categorical("policy_grounding", "grounded").forSpan(exported)
        .tag("evaluator", "rules").assessment(true).reasoning("matches clause 4.2"));
    LLMObs.submitEvaluation(Evaluation.score("helpfulness", 0.82).forTag("claim_turn_id", "88412-3"));
    LLMObs.submitEvaluation(Evaluation.bool("pii_free", true).forSpan(exported).traceScope()
        .metadata(Map.of("checker", "regex")).timestampMillis(1_763_745_003_200L));
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(3, r.evaluationsSent());

    List<TestIntake.Request> evalReqs = intake.requestsTo("/api/intake/llm-obs/v2/eval-metric");
    assertEquals(1, evalReqs.size());
    assertEquals("secret-key-123", evalReqs.get(0).headers.get("dd-api-key"));
    Map<String, Object> data = map(map(evalReqs.get(0).json()).get("data"));
    assertEquals("evaluation_metric", data.get("type"));

    List<Map<String, Object>> metrics = intake.evaluations();
    Map<String, Object> cat = metrics.get(0);
    assertEquals("evaluation", cat.get("event_kind"));
    assertEquals("claims-assistant", cat.get("ml_app"));
    assertEquals(1_763_745_000_000L, ((Number) cat.get("timestamp_ms")).longValue());
    assertEquals(Map.of("span", Map.of("span_id", exported.spanId(), "trace_id", exported.traceId())), cat.get("join_on"));
    assertEquals("categorical", cat.get("metric_type"));
    assertEquals("policy_grounding", cat.get("label"));
    assertEquals("grounded", cat.get("categorical_value"));
    assertEquals(List.of("ddtrace.version:" + Version.get(), "ml_app:claims-assistant", "evaluator:rules"), cat.get("tags"));
    assertEquals("span", cat.get("eval_scope"));
    assertEquals("pass", cat.get("assessment"));
    assertEquals("matches clause 4.2", cat.get("reasoning"));

    Map<String, Object> score = metrics.get(1);
    assertEquals(Map.of("tag", Map.of("key", "claim_turn_id", "value", "88412-3")), score.get("join_on"));
    assertEquals("score", score.get("metric_type"));
    assertEquals(0.82, score.get("score_value"));

    Map<String, Object> bool = metrics.get(2);
    assertEquals("boolean", bool.get("metric_type"));
    assertEquals(true, bool.get("boolean_value"));
    assertEquals("trace", bool.get("eval_scope"));
    assertEquals(Map.of("checker", "regex"), bool.get("metadata"));
    assertEquals(1_763_745_003_200L, ((Number) bool.get("timestamp_ms")).longValue());
  }

  @Test void agentRouteUsesTheEvpProxyWithoutTheApiKey() {
    LLMObs.configure(Config.fromEnv(Map.of("DD_TRACE_AGENT_URL", intake.origin(), "DD_API_KEY", "secret-key-123"),
        false), clock);
    SpanContext ctx;
    try (LLMObsSpan wf = LLMObs.workflow("w")) {
      ctx = wf.context();
    }
    LLMObs.submitEvaluation(Evaluation.score("s", 1).forSpan(ctx));
    LLMObs.flush(Duration.ofSeconds(5));
    TestIntake.Request spans = intake.requestsTo("/evp_proxy/v2/api/v2/llmobs").get(0);
    assertEquals("llmobs-intake", spans.headers.get("x-datadog-evp-subdomain"));
    assertNull(spans.headers.get("dd-api-key"));
    TestIntake.Request evals = intake.requestsTo("/evp_proxy/v2/api/intake/llm-obs/v2/eval-metric").get(0);
    assertEquals("api", evals.headers.get("x-datadog-evp-subdomain"));
    assertNull(evals.headers.get("dd-api-key"));
    for (TestIntake.Request r : intake.requests()) assertFalse(r.bodyText().contains("secret-key-123"));
  }

  @Test void flushSplitsRequestsAtThePayloadLimit() {
    agentless(Map.of("DD_LLMOBS_PAYLOAD_SIZE_BYTES", "20000"));
    String chunk = "x".repeat(3000);
    for (int i = 0; i < 20; i++) {
      try (LLMObsSpan s = LLMObs.task("t" + i)) {
        s.input(chunk);
      }
    }
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(20, r.spansSent());
    List<TestIntake.Request> reqs = intake.requestsTo("/api/v2/llmobs");
    assertTrue(reqs.size() >= 4, "20 spans of ~3.8 KB in 20 KB requests: " + reqs.size());
    for (TestIntake.Request req : reqs) assertTrue(req.body.length <= 20000, "request of " + req.body.length);
    assertEquals(20, intake.spans().size());
  }

  @Test void oversizeSpanKeepsItsIdsButLosesItsIoToAMarker() {
    agentless(Map.of("DD_LLMOBS_EVENT_SIZE_BYTES", "10000"));
    try (LLMObsSpan s = LLMObs.workflow("big")) {
      s.input("y".repeat(20_000)).output("z").metadata("kept", true);
    }
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(1, r.spansTruncated());
    Map<String, Object> span = intake.spans().get(0);
    Map<String, Object> meta = map(span.get("meta"));
    String marker = "[This value has been dropped because this span's size exceeds the 5MB size limit.]";
    assertEquals(Map.of("value", marker), meta.get("input"));
    assertEquals(Map.of("value", marker), meta.get("output"));
    assertEquals(Map.of("kept", true), meta.get("metadata"));
    assertEquals(List.of("dropped_io"), span.get("collection_errors"));
  }
}
