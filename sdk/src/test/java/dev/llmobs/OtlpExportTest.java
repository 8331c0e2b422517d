package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmobs.internal.Config;
import dev.llmobs.testing.Lateness;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.OtlpBodies;
import dev.llmobs.testing.TestIntake;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same spans over OTLP/HTTP JSON with the GenAI conventions (v1.41.0): every body parsed by the official OTLP
 * definitions, span trees, ids, parent links, attributes and resource checked exactly.
 */
class OtlpExportTest {
  /** How late this machine wakes threads now: added to every time bound (a busy machine is not our fault). */
  final Lateness late = Lateness.watch();
  static final String HONEYCOMB_KEY = "hcaik_01j9xq7w2v8k3m4n5p6q7r8s9t";
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    late.close();
    intake.close();
  }

  void configure(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("LLMOBS_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin(), "OTEL_SERVICE_NAME", "claims-assistant",
        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test,team=claims%20ml",
        "OTEL_EXPORTER_OTLP_HEADERS", "x-honeycomb-team=" + HONEYCOMB_KEY,
        "DD_LLMOBS_ML_APP", "claims-assistant", "AWS_LAMBDA_FUNCTION_NAME", "claims-fn",
        "AWS_REGION", "eu-west-1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"));
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  List<ExportTraceServiceRequest> traceRequests() {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    for (TestIntake.Request r : intake.requestsTo("/v1/traces")) out.add(OtlpBodies.traces(r.body));
    return out;
  }

  Map<String, Span> spansByName() {
    Map<String, Span> out = new HashMap<>();
    for (ExportTraceServiceRequest req : traceRequests()) {
      for (ResourceSpans rs : req.getResourceSpansList()) {
        for (var ss : rs.getScopeSpansList()) for (Span s : ss.getSpansList()) out.put(s.getName(), s);
      }
    }
    return out;
  }

  static Map<String, Object> attrs(Span s) {
    return OtlpBodies.attributes(s.getAttributesList());
  }

  /** A Lambda invocation as the wrapper records it, with every span kind inside. */
  static void invocation() {
    try (LLMObsSpan root = LLMObs.workflow("claims-fn")) {
      root.sessionId("claim-88412").input("{\"question\":\"Is water damage covered?\"}")
          .tag("request_id", "req-1").tag("cold_start", "true")
          .tag("function_arn", "arn:aws:lambda:eu-west-1:123456789012:function:claims-fn")
          .tag("account_id", "123456789012");
      LLMObs.retrieval("policy-search", () -> List.of(Document.of("clause 4.2").withId("c42").withScore(0.91)));
      LLMObsSpan embed = LLMObs.embedding("embed-question", "amazon.titan-embed-text-v2:0", "amazon_bedrock");
      embed.inputDocuments(List.of(Document.of("Is water damage covered?"))).tokens(7, 0).finish();
      try (LLMObsSpan agent = LLMObs.agent("claims-agent")) {
        try (LLMObsSpan llm = LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock")) {
          llm.inputMessages(List.of(Message.system("Answer from the policy."), Message.user("Is water damage covered?")))
              .outputMessages(List.of(Message.assistant("").withToolCalls(List.of(
                  ToolCall.of("get_claim_status", Map.of("claimId", "88412"), "tool-1")))))
              .metadata("temperature", 0.2).metadata("max_tokens", 400).metadata("stop_reason", "tool_use")
              .metadata("guardrail", Map.of("applied", false))
              .tokens(180, 32);
        }
        try (LLMObsSpan tool = LLMObs.tool("get_claim_status")) {
          tool.tag("tool_call_id", "tool-1").output("{\"status\":\"open\"}");
        }
      }
      try (LLMObsSpan task = LLMObs.task("format-answer")) {
        task.error(new IllegalStateException("template missing"));
      }
      root.output("Yes, under clause 4.2.");
    }
  }

  @SuppressWarnings("unchecked")
  @Test void toolResultsKnowledgeBasesAndFailedCallsFollowTheConventionsPinned() throws Exception {
    configure();
    try (LLMObsSpan root = LLMObs.workflow("claims-fn")) {
      try (LLMObsSpan llm = LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock")) {
        llm.inputMessages(List.of(Message.user("Is it covered?"), Message.of("tool", "").withToolResults(List.of(
            ToolResult.of("get_claim_status", "{\"status\":\"open\"}", "tool-1", "tool_result")))))
            .outputMessages(List.of(Message.assistant("Covered."))).metadata("stop_reason", "end_turn");
      }
      try (LLMObsSpan kb = LLMObs.span(SpanKind.RETRIEVAL, "bedrock-agent-runtime.retrieve").modelProvider("amazon_bedrock").start()) {
        kb.input("water damage").metadata("knowledge_base_id", "KB12345678")
            .outputDocuments(List.of(Document.of("Clause 4.2").withId("chunk-1").withScore(0.82), Document.of("Clause 7.1")));
      }
      try (LLMObsSpan failed = LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock")) {
        failed.inputMessages(List.of(Message.user("Is it covered?"))).outputMessages(List.of(Message.assistant("")))
            .error("ThrottlingException", "Too many requests");
      }
    }
    LLMObs.flush(Duration.ofSeconds(2));
    List<Span> all = new java.util.ArrayList<>();
    for (ExportTraceServiceRequest req : traceRequests()) for (var rs : req.getResourceSpansList())
      for (var ss : rs.getScopeSpansList()) all.addAll(ss.getSpansList());
    Map<String, Object> ok = null, failed = null;
    for (Span sp : all) {
      if (!sp.getName().startsWith("chat ")) continue;
      if (sp.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) failed = attrs(sp);
      else ok = attrs(sp);
    }
    List<Map<String, Object>> in = (List<Map<String, Object>>) (List<?>) JSON.std.listFrom((String) ok.get("gen_ai.input.messages"));
    assertEquals(Map.of("type", "tool_call_response", "id", "tool-1", "response", "{\"status\":\"open\"}"),
        ((List<?>) in.get(1).get("parts")).get(0), "v1.41.0's ToolCallResponsePart");
    assertEquals(List.of("stop"), ok.get("gen_ai.response.finish_reasons"));
    assertNull(failed.get("gen_ai.output.messages"), "a failed call generated nothing");
    Span kb = spansByName().get("retrieval KB12345678");
    assertNotNull(kb, "named by its data source: " + spansByName().keySet());
    Map<String, Object> ka = attrs(kb);
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, kb.getKind());
    assertEquals("KB12345678", ka.get("gen_ai.data_source.id"));
    assertEquals("aws.bedrock", ka.get("gen_ai.provider.name"));
    assertEquals("water damage", ka.get("gen_ai.retrieval.query.text"));
    assertEquals(List.of(Map.of("id", "chunk-1", "score", 0.82), Map.of()), JSON.std.listFrom((String) ka.get("gen_ai.retrieval.documents")));
  }

  @Test void everySpanKindMapsToTheGenAiConventions() throws Exception {
    configure();
    invocation();
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(7, r.spansSent(), r.toString());
    assertEquals("otlp", r.destination());

    List<ExportTraceServiceRequest> requests = traceRequests();
    assertEquals(1, requests.size());
    ResourceSpans rs = requests.get(0).getResourceSpans(0);
    Map<String, Object> resource = OtlpBodies.attributes(rs.getResource().getAttributesList());
    assertEquals("claims-assistant", resource.get("service.name"));
    assertEquals("test", resource.get("deployment.environment.name"));
    assertEquals("claims ml", resource.get("team"), "percent-decoded");
    assertEquals("aws", resource.get("cloud.provider"));
    assertEquals("aws_lambda", resource.get("cloud.platform"));
    assertEquals("eu-west-1", resource.get("cloud.region"));
    assertEquals("claims-fn", resource.get("faas.name"));
    assertEquals(512L * 1024 * 1024, resource.get("faas.max_memory"));
    assertEquals("llmobs-lambda", resource.get("telemetry.sdk.name"));
    assertEquals("java", resource.get("telemetry.sdk.language"));
    assertEquals("dev.llmobs", rs.getScopeSpans(0).getScope().getName());
    assertEquals("https://opentelemetry.io/schemas/1.41.0", rs.getScopeSpans(0).getSchemaUrl());

    Map<String, Span> spans = spansByName();
    assertEquals(List.of("chat anthropic.claude-3-5-haiku-20241022-v1:0", "claims-fn",
        "embeddings amazon.titan-embed-text-v2:0", "execute_tool get_claim_status", "format-answer",
        "invoke_agent claims-agent", "retrieval policy-search"),
        spans.keySet().stream().sorted().toList());
    Span root = spans.get("claims-fn"), llm = spans.get("chat anthropic.claude-3-5-haiku-20241022-v1:0");
    Span agent = spans.get("invoke_agent claims-agent"), tool = spans.get("execute_tool get_claim_status");
    Span retrieval = spans.get("retrieval policy-search"), task = spans.get("format-answer");
    Span embedding = spans.get("embeddings amazon.titan-embed-text-v2:0");

    // One trace, parent links as recorded.
    for (Span s : spans.values()) assertEquals(root.getTraceId(), s.getTraceId());
    assertTrue(root.getParentSpanId().isEmpty());
    for (Span s : List.of(retrieval, embedding, agent, task)) assertEquals(root.getSpanId(), s.getParentSpanId());
    assertEquals(agent.getSpanId(), llm.getParentSpanId());
    assertEquals(agent.getSpanId(), tool.getParentSpanId());

    // The invocation: a FaaS server span.
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, root.getKind());
    Map<String, Object> ra = attrs(root);
    assertEquals("invoke_workflow", ra.get("gen_ai.operation.name"));
    assertEquals("claims-fn", ra.get("gen_ai.workflow.name"));
    assertEquals("req-1", ra.get("faas.invocation_id"));
    assertEquals(true, ra.get("faas.coldstart"));
    assertEquals("other", ra.get("faas.trigger"));
    assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:claims-fn", ra.get("cloud.resource_id"));
    assertEquals("123456789012", ra.get("cloud.account.id"));
    assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:claims-fn", ra.get("aws.lambda.invoked_arn"));
    assertEquals("claim-88412", ra.get("gen_ai.conversation.id"));
    assertEquals("claims-assistant", ra.get("llmobs.ml_app"));
    assertEquals("{\"question\":\"Is water damage covered?\"}", ra.get("llmobs.input"));
    assertEquals("Yes, under clause 4.2.", ra.get("llmobs.output"));

    // The model call.
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, llm.getKind());
    Map<String, Object> la = attrs(llm);
    assertEquals("chat", la.get("gen_ai.operation.name"));
    assertEquals("aws.bedrock", la.get("gen_ai.provider.name"));
    assertEquals("aws.bedrock", la.get("gen_ai.system"), "v1.36.0's name too, until opted out");
    assertEquals("anthropic.claude-3-5-haiku-20241022-v1:0", la.get("gen_ai.request.model"));
    assertEquals(180L, la.get("gen_ai.usage.input_tokens"));
    assertEquals(32L, la.get("gen_ai.usage.output_tokens"));
    assertEquals(0.2, la.get("gen_ai.request.temperature"));
    assertEquals(400L, la.get("gen_ai.request.max_tokens"));
    assertEquals(List.of("tool_call"), la.get("gen_ai.response.finish_reasons"), "Anthropic's tool_use in the conventions' words");
    assertEquals("{\"applied\":false}", la.get("llmobs.metadata.guardrail"));
    assertEquals("claim-88412", la.get("gen_ai.conversation.id"), "the trace's session reaches every span");
    assertEquals(List.of(Map.of("type", "text", "content", "Answer from the policy.")),
        JSON.std.listFrom((String) la.get("gen_ai.system_instructions")));
    assertEquals(List.of(Map.of("role", "user", "parts", List.of(Map.of("type", "text", "content",
        "Is water damage covered?")))), JSON.std.listFrom((String) la.get("gen_ai.input.messages")));
    assertEquals(List.of(Map.of("role", "assistant", "finish_reason", "tool_call", "parts", List.of(Map.of(
        "type", "tool_call", "id", "tool-1", "name", "get_claim_status", "arguments", Map.of("claimId", "88412"))))),
        JSON.std.listFrom((String) la.get("gen_ai.output.messages")));

    Map<String, Object> ea = attrs(embedding);
    assertEquals("embeddings", ea.get("gen_ai.operation.name"));
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, embedding.getKind());
    assertEquals(7L, ea.get("gen_ai.usage.input_tokens"));
    assertNull(ea.get("gen_ai.usage.output_tokens"), "an embedding generates no tokens");

    Map<String, Object> ta = attrs(tool);
    assertEquals("execute_tool", ta.get("gen_ai.operation.name"));
    assertEquals("get_claim_status", ta.get("gen_ai.tool.name"));
    assertEquals("tool-1", ta.get("gen_ai.tool.call.id"), "joins the model's tool call");
    assertEquals("{\"status\":\"open\"}", ta.get("gen_ai.tool.call.result"));
    assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, tool.getKind());

    assertEquals("invoke_agent", attrs(agent).get("gen_ai.operation.name"));
    assertEquals("claims-agent", attrs(agent).get("gen_ai.agent.name"));
    assertEquals("custom", attrs(agent).get("gen_ai.provider.name"), "required on invoke_agent; none was named");
    Map<String, Object> rta = attrs(retrieval);
    assertEquals("retrieval", rta.get("gen_ai.operation.name"));
    assertEquals(List.of(Map.of("text", "clause 4.2", "id", "c42", "score", 0.91)),
        JSON.std.listFrom((String) rta.get("llmobs.output.documents")));
    assertEquals(List.of(Map.of("id", "c42", "score", 0.91)), JSON.std.listFrom((String) rta.get("gen_ai.retrieval.documents")),
        "the conventions' retrieved documents");
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, retrieval.getKind());

    // The failed task: status, error.type, the exception event.
    Map<String, Object> ka = attrs(task);
    assertNull(ka.get("gen_ai.operation.name"), "task is not a GenAI operation");
    assertEquals("task", ka.get("llmobs.span.kind"));
    assertEquals("java.lang.IllegalStateException", ka.get("error.type"));
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, task.getStatus().getCode());
    assertEquals("template missing", task.getStatus().getMessage());
    assertEquals("exception", task.getEvents(0).getName());
    Map<String, Object> ex = OtlpBodies.attributes(task.getEvents(0).getAttributesList());
    assertEquals("java.lang.IllegalStateException", ex.get("exception.type"));
    assertTrue(((String) ex.get("exception.stacktrace")).contains("OtlpExportTest"));
    assertEquals(Status.StatusCode.STATUS_CODE_UNSET, llm.getStatus().getCode());

    // Times: end after start, nanoseconds since the epoch.
    for (Span s : spans.values()) assertTrue(s.getEndTimeUnixNano() >= s.getStartTimeUnixNano());
  }

  /** The mapping is written once: both encodings carry the same spans, and each parses with the official definitions. */
  @Test void protobufByDefaultJsonOnRequestAndBothCarryTheSameSpans() throws Exception {
    configure();
    invocation();
    LLMObs.flush(Duration.ofSeconds(2));
    TestIntake.Request proto = intake.requestsTo("/v1/traces").get(0);
    assertEquals("application/x-protobuf", proto.headers.get("content-type"));
    ExportTraceServiceRequest fromProto = OtlpBodies.traces(proto.body);

    intake.close();
    intake = new TestIntake();
    configure("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json");
    invocation();
    LLMObs.flush(Duration.ofSeconds(2));
    TestIntake.Request json = intake.requestsTo("/v1/traces").get(0);
    assertEquals("application/json", json.headers.get("content-type"));
    ExportTraceServiceRequest fromJson = OtlpBodies.traces(json.body);

    assertEquals(normalized(fromJson), normalized(fromProto), "the same spans, attribute for attribute");
  }

  /** A request's spans with what differs between two runs (ids, times) left out. */
  static List<String> normalized(ExportTraceServiceRequest r) {
    List<String> out = new ArrayList<>();
    for (var rs : r.getResourceSpansList()) for (var ss : rs.getScopeSpansList()) for (Span s : ss.getSpansList()) {
      Map<String, Object> a = new java.util.TreeMap<>(attrs(s));
      out.add(s.getName() + " " + s.getKind() + " " + s.getStatus().getCode() + " " + a + " " + s.getEventsCount());
    }
    java.util.Collections.sort(out);
    return out;
  }

  @Test void protobufRequestsStayUnderThePayloadLimitAndCarryEverySpanOnce() throws Exception {
    configure("LLMOBS_OTLP_PAYLOAD_SIZE_BYTES", "16000"); // the failed task's stack trace alone is 9 KB
    for (int i = 0; i < 4; i++) invocation();
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    assertEquals(28, r.spansSent(), r.toString());
    List<TestIntake.Request> requests = intake.requestsTo("/v1/traces");
    assertTrue(requests.size() > 1, "split into several requests: " + requests.size());
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (TestIntake.Request req : requests) {
      assertTrue(req.body.length <= 16000, req.body.length + " bytes");
      for (var rs : OtlpBodies.traces(req.body).getResourceSpansList()) for (var ss : rs.getScopeSpansList())
        for (Span s : ss.getSpansList()) assertTrue(ids.add(s.getSpanId().toStringUtf8() + s.getTraceId().toStringUtf8()));
    }
    assertEquals(28, ids.size(), "every span once");
  }

  @SuppressWarnings("unchecked")
  @Test void datadogsOtlpIntakeGetsProtobufWithItsHeadersAndEvaluationsGoToItsApiWithDecimalIds() throws Exception {
    String key = "5e2b7c1d9a0f4e3b8c6d1a2f7e9b0c4d";
    try (LogCapture logs = new LogCapture()) {
      configure("LLMOBS_EXPORTER", "datadog-otlp", "DD_API_KEY", key, "DD_SITE", "datadoghq.eu",
          "OTEL_EXPORTER_OTLP_ENDPOINT", "", "OTEL_EXPORTER_OTLP_HEADERS", "",
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", intake.origin() + "/v1/traces", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
          "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "LLMOBS_LOG_LEVEL", "debug");
      SpanContext ids;
      try (LLMObsSpan wf = LLMObs.workflow("answer")) {
        ids = LLMObs.exportSpan(wf);
      }
      LLMObs.submitEvaluation(Evaluation.score("helpfulness", 0.82).forSpan(ids).timestampMillis(1_700_000_000_000L));
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      assertEquals(1, r.spansSent(), r.toString());
      assertEquals(1, r.evaluationsSent(), r.toString());
      assertEquals("datadog-otlp", r.destination());

      TestIntake.Request traces = intake.requestsTo("/v1/traces").get(0);
      assertEquals("application/x-protobuf", traces.headers.get("content-type"), "protobuf only, whatever was asked");
      assertEquals(key, traces.headers.get("dd-api-key"));
      assertEquals("llmobs", traces.headers.get("dd-otlp-source"));
      Span span = OtlpBodies.traces(traces.body).getResourceSpans(0).getScopeSpans(0).getSpans(0);
      assertEquals("invoke_workflow answer", span.getName());

      TestIntake.Request eval = intake.requestsTo("/api/intake/llm-obs/v2/eval-metric").get(0);
      assertEquals(key, eval.headers.get("dd-api-key"));
      Map<String, Object> metric = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
          JSON.std.mapFrom(eval.body).get("data")).get("attributes")).get("metrics")).get(0);
      Map<String, Object> join = (Map<String, Object>) ((Map<String, Object>) metric.get("join_on")).get("span");
      assertEquals(new java.math.BigInteger(ids.traceId(), 16).toString(), join.get("trace_id"), "a decimal trace id");
      assertEquals(ids.spanId(), join.get("span_id"));
      assertEquals(new java.math.BigInteger(1, span.getSpanId().toByteArray()).toString(), join.get("span_id"),
          "the id the intake got, in decimal");
      assertTrue(((List<String>) metric.get("tags")).contains("source:otel"));
      for (int i = 0; i + 8 <= key.length(); i++) assertFalse(logs.all().contains(key.substring(i, i + 8)), logs.all());
    }
  }

  @Test void datadogsOtlpIntakeIsAtTheSitesOtlpHost() {
    Config c = Config.fromEnv(Map.of("LLMOBS_EXPORTER", "datadog-otlp", "DD_API_KEY", "5e2b7c1d9a0f4e3b8c6d1a2f7e9b0c4d",
        "DD_SITE", "us5.datadoghq.com"), false);
    assertEquals("https://otlp.us5.datadoghq.com/v1/traces", c.otlp.tracesUrl);
    assertTrue(c.otlp.tracesProtobuf);
    assertFalse(c.describeRoute().contains("5e2b7c1d"), c.describeRoute());
  }

  @Test void anEvaluationJoinedByTagNamesTheSpanThatCarriesTheTag() throws Exception {
    configure();
    SpanContext ids;
    try (LLMObsSpan wf = LLMObs.workflow("answer")) {
      wf.tag("turn_id", "88412-3");
      ids = LLMObs.exportSpan(wf);
    }
    LLMObs.submitEvaluation(Evaluation.categorical("grounding", "grounded").forTag("turn_id", "88412-3"));
    LLMObs.submitEvaluation(Evaluation.categorical("grounding", "ungrounded").forTag("turn_id", "nobody-has-it"));
    LLMObs.flush(Duration.ofSeconds(2));
    List<LogRecord> records = new ArrayList<>();
    for (TestIntake.Request r : intake.requestsTo("/v1/logs")) {
      for (var rl : OtlpBodies.logs(r.body).getResourceLogsList()) for (var sl : rl.getScopeLogsList()) records.addAll(sl.getLogRecordsList());
    }
    assertEquals(2, records.size());
    LogRecord joined = records.get(0), lonely = records.get(1);
    assertEquals(ids.traceId(), hexOf(joined.getTraceId().toByteArray()), "the span the tag names");
    assertEquals(OtlpEncoderIds.hex(ids.spanId()), hexOf(joined.getSpanId().toByteArray()));
    assertEquals("turn_id", OtlpBodies.attributes(joined.getAttributesList()).get("llmobs.join.tag.key"), "the tag kept");
    assertTrue(lonely.getSpanId().isEmpty(), "no span has that tag: the tag alone");
  }

  static String hexOf(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(String.format("%02x", x));
    return s.toString();
  }

  /** Our span ids (unsigned decimal) as OTLP's 16 hex digits. */
  static final class OtlpEncoderIds {
    static String hex(String decimal) {
      return String.format("%016x", Long.parseUnsignedLong(decimal));
    }
  }

  @Test void theConfiguredHeadersAreSentAndNeverLogged() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      configure("LLMOBS_LOG_LEVEL", "debug");
      intake.always(TestIntake.Answer.status(401, "{\"error\":\"unknown key " + HONEYCOMB_KEY + "\"}"));
      invocation();
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      assertEquals(7, r.spansDropped());
      assertEquals(HONEYCOMB_KEY, intake.requests().get(0).headers.get("x-honeycomb-team"));
      assertEquals("application/x-protobuf", intake.requests().get(0).headers.get("content-type"), "the OTLP default");
      assertTrue(logs.contains("check OTEL_EXPORTER_OTLP_HEADERS"), logs.all());
      for (int i = 0; i + 8 <= HONEYCOMB_KEY.length(); i++) {
        assertFalse(logs.all().contains(HONEYCOMB_KEY.substring(i, i + 8)), logs.all());
      }
    }
  }

  @Test void evaluationsAreEvaluationEventsParentedToTheirSpan() throws Exception {
    configure();
    SpanContext ids;
    try (LLMObsSpan wf = LLMObs.workflow("answer")) {
      ids = LLMObs.exportSpan(wf);
    }
    LLMObs.submitEvaluation(Evaluation.score("helpfulness", 0.82).forSpan(ids).reasoning("cites the clause")
        .timestampMillis(1_700_000_000_000L));
    LLMObs.submitEvaluation(Evaluation.categorical("grounding", "grounded").forTag("turn_id", "88412-3")
        .timestampMillis(1_700_000_000_001L));
    LLMObs.submitEvaluation(Evaluation.bool("refused", false).forSpan(ids).timestampMillis(1_700_000_000_002L));
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(3, r.evaluationsSent(), r.toString());

    List<TestIntake.Request> logRequests = intake.requestsTo("/v1/logs");
    assertEquals(1, logRequests.size());
    ExportLogsServiceRequest logs = OtlpBodies.logs(logRequests.get(0).body);
    List<LogRecord> records = logs.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertEquals(3, records.size());
    LogRecord score = records.get(0);
    assertEquals("gen_ai.evaluation.result", score.getEventName());
    assertEquals(ids.traceId(), OtlpBodies.hex(score.getTraceId()));
    assertEquals(String.format("%016x", Long.parseUnsignedLong(ids.spanId())), OtlpBodies.hex(score.getSpanId()));
    assertEquals(1_700_000_000_000_000_000L, score.getTimeUnixNano());
    Map<String, Object> sa = OtlpBodies.attributes(score.getAttributesList());
    assertEquals("helpfulness", sa.get("gen_ai.evaluation.name"));
    assertEquals(0.82, sa.get("gen_ai.evaluation.score.value"));
    assertEquals("cites the clause", sa.get("gen_ai.evaluation.explanation"));

    Map<String, Object> ga = OtlpBodies.attributes(records.get(1).getAttributesList());
    assertTrue(records.get(1).getTraceId().isEmpty(), "joined by tag: no span to point at");
    assertEquals("grounded", ga.get("gen_ai.evaluation.score.label"));
    assertEquals("turn_id", ga.get("llmobs.join.tag.key"));
    assertEquals("88412-3", ga.get("llmobs.join.tag.value"));

    Map<String, Object> ba = OtlpBodies.attributes(records.get(2).getAttributesList());
    assertEquals(0.0, ba.get("gen_ai.evaluation.score.value"));
    assertEquals("false", ba.get("gen_ai.evaluation.score.label"));
  }

  @Test void theSchemaCheckRefusesWhatTheRealSchemaRefuses() {
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> OtlpBodies.traces("{\"resourceSpans\":[{\"scopeSpanz\":[]}]}".getBytes()), "unknown field");
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> OtlpBodies.traces("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"sideways\"}]}]}]}"
            .getBytes()), "no such span kind");
    org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> OtlpBodies.traces("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"abc\"}]}]}]}"
            .getBytes()), "a span id of three hex digits");
  }

  @Test void aCollectorThatNeverAnswersCannotHoldTheFlushPastItsBudget() throws Exception {
    configure();
    intake.always(TestIntake.Answer.neverAnswer());
    invocation();
    long start = System.nanoTime();
    FlushResult r = LLMObs.flush(Duration.ofMillis(300));
    long took = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(took <= 300 + 150 + late.worstMillis(), "took " + took + " ms");
    assertEquals(7, r.spansUnconfirmed(), r.toString());
    intake.always(202);
    assertEquals(0, LLMObs.flush(Duration.ofSeconds(2)).spansSent(), "never sent twice");
  }

  @Test void optingIntoTheLatestConventionsDropsTheDeprecatedName() throws Exception {
    configure("OTEL_SEMCONV_STABILITY_OPT_IN", "http,gen_ai_latest_experimental");
    LLMObs.llm("converse", "amazon.nova-micro-v1:0", "amazon_bedrock").tokens(1, 1).finish();
    LLMObs.flush(Duration.ofSeconds(2));
    Map<String, Object> a = attrs(spansByName().get("chat amazon.nova-micro-v1:0"));
    assertEquals("aws.bedrock", a.get("gen_ai.provider.name"));
    assertFalse(a.containsKey("gen_ai.system"));
  }

  @Test void withoutIoCaptureNoContentLeaves() throws Exception {
    configure("LLMOBS_CAPTURE_IO", "false");
    invocation();
    LLMObs.flush(Duration.ofSeconds(2));
    for (Span s : spansByName().values()) {
      for (String k : attrs(s).keySet()) {
        assertFalse(k.endsWith(".messages") || k.equals("gen_ai.system_instructions") || k.startsWith("llmobs.input")
            || k.startsWith("llmobs.output") || k.equals("gen_ai.tool.call.arguments")
            || k.equals("gen_ai.tool.call.result"), s.getName() + " has " + k);
      }
    }
  }

  @Test void datadogAndOtlpTogetherEachWithItsOwnAccounting() throws Exception {
    try (TestIntake datadog = new TestIntake()) {
      configure("LLMOBS_EXPORTER", "agentless,otlp", "DD_API_KEY", "9f3c1a7be2d84c0f95a6e1b7d3c2f480",
          "DD_LLMOBS_OVERRIDE_ORIGIN", datadog.origin());
      intake.always(503); // the collector is away
      invocation();
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      assertEquals(List.of("datadog", "otlp"), r.destinations().stream().map(FlushResult::destination).toList());
      assertEquals(7, r.spansSent(), "Datadog took them, the collector none");
      assertEquals(7, r.spansKept(), "the collector's share waits for it, and the totals say so");
      assertEquals("datadog+otlp", r.destination());
      assertTrue(r.toString().contains("otlp: sent 0, kept 7"), r.toString());
      assertEquals(7, r.destinations().get(1).spansKept());
      assertEquals(7, datadog.spans().size());

      intake.always(202); // the collector is back: only its share is sent again
      FlushResult next = LLMObs.flush(Duration.ofSeconds(2));
      assertEquals(7, next.spansSent(), "the collector's share, the only one left");
      assertEquals(0, next.destinations().get(0).spansSent());
      assertEquals(7, next.destinations().get(1).spansSent());
      assertEquals(0, next.spansKept());
      assertEquals(7, datadog.spans().size(), "Datadog got nothing twice");
      assertEquals(7, spansByName().size());
    }
  }
}
