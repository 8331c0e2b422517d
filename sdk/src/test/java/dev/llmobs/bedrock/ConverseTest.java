package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import static dev.llmobs.bedrock.ConverseFixtures.MODEL;
import static dev.llmobs.bedrock.ConverseFixtures.TEXT_REPLY;
import static dev.llmobs.bedrock.ConverseFixtures.question;
import static dev.llmobs.bedrock.ConverseFixtures.streamFrames;
import static dev.llmobs.bedrock.ConverseFixtures.streamQuestion;

import dev.llmobs.bedrock.BedrockStub.Reply;
import dev.llmobs.bedrock.ConverseFixtures.Collector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Converse and ConverseStream through the real clients. */
class ConverseTest extends BedrockTest {
  @Test void aCallInASampledOutTraceIsAnsweredAndNotRead() throws Exception {
    configure(Map.of("DD_LLMOBS_SAMPLE_RATE", "0"));
    List<Object> records = new ArrayList<>();
    software.amazon.awssdk.core.interceptor.ExecutionInterceptor probe = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
      @Override public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution c,
          software.amazon.awssdk.core.interceptor.ExecutionAttributes a) {
        records.add(String.valueOf(a.getAttribute(LlmObsBedrockInterceptor.RECORD)));
      }
    };
    try (BedrockRuntimeClient probed = BedrockRuntimeClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(o -> o.addExecutionInterceptor(probe)).build()) {
      stub.reply(Reply.json(TEXT_REPLY));
      ConverseResponse response = inWorkflow(() -> probed.converse(question()));
      assertEquals("Sudden water damage is covered.", response.output().message().content().get(0).text());
      assertEquals(List.of("null"), records, "our interceptor kept no record of the call");
      assertTrue(flushed().isEmpty());
      configure(Map.of());
      stub.reply(Reply.json(TEXT_REPLY));
      inWorkflow(() -> probed.converse(question()));
      assertFalse(records.get(1).equals("null"), "a sampled-in call is recorded: the probe sees it");
    }
  }

  @Test void converseBecomesAnLlmSpanChildOfTheCallersSpan() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY));
    ConverseResponse response = inWorkflow(() -> sync.converse(question()));
    assertEquals("Sudden water damage is covered.", response.output().message().content().get(0).text());

    List<Map<String, Object>> spans = flushed();
    Map<String, Object> root = spans.stream().filter(s -> "caller".equals(s.get("name"))).findFirst().orElseThrow();
    Map<String, Object> llm = spans.stream().filter(s -> tags(s).contains("integration:bedrock")).findFirst().orElseThrow();
    assertEquals(root.get("span_id"), llm.get("parent_id"));
    assertEquals(root.get("trace_id"), llm.get("trace_id"));
    assertEquals("bedrock-runtime.converse", llm.get("name"));
    assertEquals("llm", kind(llm));
    assertEquals(MODEL, meta(llm).get("model_name"));
    assertEquals("amazon_bedrock", meta(llm).get("model_provider"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "system", "content", "Answer from the policy."),
        Map.of("role", "user", "content", "Is water damage covered?"))), meta(llm).get("input"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered."))),
        meta(llm).get("output"));
    assertEquals(Map.of("max_tokens", 400, "temperature", 0.2, "top_p", 0.9, "stop_sequences", List.of("\n\nHuman:"),
        "stop_reason", "end_turn", "latency_ms", 420), metadata(llm));
    assertMetric(llm, "input_tokens", 12 + 1028); // cached prompt tokens count as input, as Datadog does
    assertMetric(llm, "output_tokens", 185);
    assertMetric(llm, "total_tokens", 1225);
    assertEquals("ok", llm.get("status"));
    assertTrue(tags(llm).contains("bedrock.base_model:anthropic.claude-3-5-haiku-20241022-v1:0"), tags(llm).toString());
    assertTrue(tags(llm).contains("bedrock.model_vendor:anthropic"));
  }

  @Test void converseOverOtlpFollowsTheGenAiConventions() throws Exception {
    configure(Map.of("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin()));
    stub.reply(Reply.json(TEXT_REPLY));
    inWorkflow(() -> sync.converse(question()));
    LLMObs.flush(java.time.Duration.ofSeconds(5));
    io.opentelemetry.proto.trace.v1.ScopeSpans scope = dev.llmobs.testing.OtlpBodies.traces(
        intake.requestsTo("/v1/traces").get(0).body).getResourceSpans(0).getScopeSpans(0);
    io.opentelemetry.proto.trace.v1.Span caller = scope.getSpansList().stream()
        .filter(s -> s.getName().equals("invoke_workflow caller")).findFirst().orElseThrow();
    io.opentelemetry.proto.trace.v1.Span llm = scope.getSpansList().stream()
        .filter(s -> s.getName().equals("chat " + MODEL)).findFirst().orElseThrow();
    assertEquals(caller.getSpanId(), llm.getParentSpanId());
    assertEquals(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT, llm.getKind());
    Map<String, Object> a = dev.llmobs.testing.OtlpBodies.attributes(llm.getAttributesList());
    assertEquals("chat", a.get("gen_ai.operation.name"));
    assertEquals("aws.bedrock", a.get("gen_ai.provider.name"));
    assertEquals(MODEL, a.get("gen_ai.request.model"));
    assertEquals(1040L, a.get("gen_ai.usage.input_tokens"));
    assertEquals(185L, a.get("gen_ai.usage.output_tokens"));
    assertEquals(400L, a.get("gen_ai.request.max_tokens"));
    assertEquals(0.2, (Double) a.get("gen_ai.request.temperature"), 1e-6);
    assertEquals(0.9, (Double) a.get("gen_ai.request.top_p"), 1e-6);
    assertEquals(List.of("stop"), a.get("gen_ai.response.finish_reasons"), "Bedrock's end_turn in the conventions' words");
    assertEquals("bedrock", a.get("llmobs.tag.integration"));
    assertEquals("127.0.0.1", a.get("server.address"), "the client span's server, as the conventions name it");
    assertEquals((long) stub.endpoint().getPort(), a.get("server.port"));
    assertTrue(((String) a.get("gen_ai.output.messages")).contains("Sudden water damage is covered."));
  }

  @Test void aFailedConverseOverOtlpHasAnErrorStatus() {
    configure(Map.of("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin()));
    stub.reply(Reply.error(400, "ValidationException", "max_tokens too big"));
    assertThrows(ValidationException.class, () -> sync.converse(question()));
    LLMObs.flush(java.time.Duration.ofSeconds(5));
    io.opentelemetry.proto.trace.v1.Span llm = dev.llmobs.testing.OtlpBodies.traces(
        intake.requestsTo("/v1/traces").get(0).body).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertEquals(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR, llm.getStatus().getCode());
    Map<String, Object> a = dev.llmobs.testing.OtlpBodies.attributes(llm.getAttributesList());
    assertEquals(ValidationException.class.getName(), a.get("error.type"));
    assertEquals(null, a.get("gen_ai.output.messages"), "a failed call generated nothing");
    assertEquals("127.0.0.1", a.get("server.address"));
  }

  @Test void theCallerGetsTheSameResponseAsWithoutTracing() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY), Reply.json(TEXT_REPLY));
    ConverseResponse traced = sync.converse(question());
    configure(Map.of("LLMOBS_BEDROCK_ENABLED", "false"));
    ConverseResponse untraced = sync.converse(question());
    assertEquals(untraced.toString(), traced.toString());
    assertEquals(untraced.output(), traced.output());
    assertEquals(untraced.usage(), traced.usage());
    assertNoBedrockSpan(flushed());
  }

  @Test void toolUseAndToolResultsAreMessagesWithToolCalls() throws Exception {
    stub.reply(Reply.json("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Checking.\"},"
        + "{\"toolUse\":{\"toolUseId\":\"tooluse_Q3x9\",\"name\":\"lookup_policy\",\"input\":{\"claimId\":\"88412\"}}}]}},"
        + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":40,\"outputTokens\":20,\"totalTokens\":60}}"));
    ConverseRequest req = ConverseRequest.builder().modelId("amazon.nova-lite-v1:0")
        .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Covered?")).build(),
            Message.builder().role(ConversationRole.ASSISTANT).content(ContentBlock.fromToolUse(ToolUseBlock.builder()
                .toolUseId("t0").name("lookup_policy").input(Document.mapBuilder().putString("claimId", "1").build()).build())).build(),
            Message.builder().role(ConversationRole.USER).content(ContentBlock.fromToolResult(ToolResultBlock.builder()
                .toolUseId("t0").content(ToolResultContentBlock.builder().text("{\"water\":\"sudden only\"}").build()).build())).build())
        .toolConfig(t -> t.tools(Tool.builder().toolSpec(ToolSpecification.builder().name("lookup_policy")
            .description("Finds a policy").inputSchema(ToolInputSchema.fromJson(Document.mapBuilder()
                .putString("type", "object").build())).build()).build()))
        .build();
    sync.converse(req);
    Map<String, Object> llm = bedrockSpan();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> input = (List<Map<String, Object>>) ((Map<?, ?>) meta(llm).get("input")).get("messages");
    assertEquals(List.of(Map.of("name", "lookup_policy", "arguments", Map.of("claimId", "1"), "tool_id", "t0",
        "type", "toolUse")), input.get(1).get("tool_calls"));
    assertEquals(List.of(Map.of("name", "lookup_policy", "result", "{\"water\":\"sudden only\"}", "tool_id", "t0",
        "type", "toolResult")), input.get(2).get("tool_results"), "named after the call that asked for it");
    assertEquals("user", input.get(2).get("role"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Checking.", "tool_calls",
        List.of(Map.of("name", "lookup_policy", "arguments", Map.of("claimId", "88412"), "tool_id", "tooluse_Q3x9",
            "type", "toolUse"))))), meta(llm).get("output"));
    assertEquals(List.of(Map.of("name", "lookup_policy", "description", "Finds a policy", "schema", Map.of("type", "object"))),
        meta(llm).get("tool_definitions"));
    assertEquals(null, metadata(llm).get("tool_config"), "definitions are no longer metadata");
    assertEquals("tool_use", metadata(llm).get("stop_reason"));
  }

  @Test void aMessageWithTextAndAToolResultBecomesTwoAndUnrenderedBlocksLeaveMarkers() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY));
    ConverseRequest req = ConverseRequest.builder().modelId("amazon.nova-lite-v1:0")
        .messages(Message.builder().role(ConversationRole.ASSISTANT).content(ContentBlock.fromToolUse(ToolUseBlock.builder()
                .toolUseId("t1").name("get_status").input(Document.mapBuilder().build()).build())).build(),
            Message.builder().role(ConversationRole.USER).content(
                ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId("t1")
                    .content(ToolResultContentBlock.builder().text("open").build()).build()),
                ContentBlock.fromText("And the deductible?"),
                ContentBlock.fromDocument(software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock.builder()
                    .name("policy").format("pdf").source(src -> src.bytes(software.amazon.awssdk.core.SdkBytes
                        .fromUtf8String("%PDF"))).build())).build())
        .build();
    sync.converse(req);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> input = (List<Map<String, Object>>) ((Map<?, ?>) meta(bedrockSpan()).get("input")).get("messages");
    assertEquals(3, input.size(), input.toString());
    assertEquals("And the deductible?([DOCUMENT DETECTED: policy])", input.get(1).get("content"));
    assertEquals(List.of(Map.of("name", "get_status", "result", "open", "tool_id", "t1", "type", "toolResult")),
        input.get(2).get("tool_results"));
  }

  @Test void asyncConverseIsParentedOnTheCallersSpanThoughHooksRunElsewhere() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY));
    String rootId;
    try (LLMObsSpan wf = LLMObs.workflow("caller")) {
      rootId = wf.context().spanId();
      CompletableFuture<ConverseResponse> f = async.converse(question());
      assertEquals("end_turn", f.join().stopReasonAsString());
    }
    Map<String, Object> llm = bedrockSpan();
    assertEquals(rootId, llm.get("parent_id"));
    assertMetric(llm, "output_tokens", 185);
  }

  @Test void parallelAsyncCallsEachGetTheirOwnSpan() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY), Reply.json(TEXT_REPLY), Reply.json(TEXT_REPLY));
    try (LLMObsSpan wf = LLMObs.workflow("fan-out")) {
      List<CompletableFuture<ConverseResponse>> fs = new ArrayList<>();
      for (int i = 0; i < 3; i++) fs.add(async.converse(question()));
      for (CompletableFuture<ConverseResponse> f : fs) f.join();
    }
    long n = flushed().stream().filter(s -> tags(s).contains("integration:bedrock")).count();
    assertEquals(3, n);
  }

  @Test void validationErrorIsRecordedAndReachesTheCallerUnchanged() {
    stub.reply(Reply.error(400, "ValidationException", "The model returned the following errors: max_tokens too big"));
    ValidationException e = assertThrows(ValidationException.class, () -> sync.converse(question()));
    assertEquals(400, e.statusCode());
    Map<String, Object> llm = bedrockSpan();
    assertEquals("error", llm.get("status"));
    assertEquals(ValidationException.class.getName(), error(llm).get("type"));
    assertTrue(((String) error(llm).get("message")).contains("max_tokens too big"));
  }

  @Test void throttlingIsRetriedBySdkAndRecordedWhenItGivesUp() {
    for (int i = 0; i < 6; i++) stub.reply(Reply.error(429, "ThrottlingException", "Too many requests"));
    BedrockRuntimeClient noRetry = BedrockRuntimeClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryPolicy(r -> r.numRetries(1))).build();
    try {
      ThrottlingException e = assertThrows(ThrottlingException.class, () -> noRetry.converse(question()));
      assertEquals(429, e.statusCode());
    } finally {
      noRetry.close();
    }
    Map<String, Object> llm = bedrockSpan();
    assertEquals(ThrottlingException.class.getName(), error(llm).get("type"));
    assertEquals(2, stub.received.size(), "the SDK's retry ran; one span for the call");
  }

  @Test void aSyncCallPastItsApiCallTimeoutIsRecordedAsTheCallerSeesIt() {
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    stub.reply(Reply.json(TEXT_REPLY).holdAfter(0, answer));
    BedrockRuntimeClient impatient = BedrockRuntimeClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofMillis(300))).build();
    software.amazon.awssdk.core.exception.ApiCallTimeoutException e;
    try {
      e = assertThrows(software.amazon.awssdk.core.exception.ApiCallTimeoutException.class,
          () -> impatient.converse(question()));
    } finally {
      answer.countDown();
      impatient.close();
    }
    Map<String, Object> llm = bedrockSpan();
    assertEquals("error", llm.get("status"));
    assertEquals(e.getClass().getName(), error(llm).get("type"));
    assertEquals(e.getMessage(), error(llm).get("message"));
  }

  @Test void serverErrorIsRecorded() {
    for (int i = 0; i < 4; i++) stub.reply(Reply.error(500, "InternalServerException", "boom"));
    assertThrows(software.amazon.awssdk.services.bedrockruntime.model.InternalServerException.class,
        () -> sync.converse(question()));
    assertEquals("error", bedrockSpan().get("status"));
  }

  @Test void aMalformedBodyFailsTheCallAsWithoutUsAndTheSpanLands() {
    for (int i = 0; i < 4; i++) stub.reply(Reply.raw(200, "application/json", "{\"output\": [not json"));
    SdkClientException e = assertThrows(SdkClientException.class, () -> sync.converse(question()));
    assertFalse(e.getMessage().contains("llmobs"), "the SDK's own error: " + e.getMessage());
    Map<String, Object> llm = bedrockSpan();
    assertEquals("error", llm.get("status"));
  }

  @Test void theInterceptorCanAlsoBeRegisteredOnOneClientWithoutDuplicateSpans() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY));
    BedrockRuntimeClient explicit = BedrockRuntimeClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new LlmObsBedrockInterceptor())).build();
    try {
      explicit.converse(question());
    } finally {
      explicit.close();
    }
    Map<String, Object> llm = bedrockSpan();
    assertEquals(1, ((List<?>) ((Map<?, ?>) meta(llm).get("output")).get("messages")).size());
  }

  @Test void otherOperationsGetNoSpanAndStillWork() {
    stub.reply(Reply.json("{\"asyncInvokeSummaries\":[]}"));
    var r = sync.listAsyncInvokes(l -> l.maxResults(5));
    assertEquals(0, r.asyncInvokeSummaries().size());
    assertNoBedrockSpan(flushed()); // ApplyGuardrail is traced since: see KnowledgeBasesAndGuardrailsTest
  }

  // ---- ConverseStream ----------------------------------------------------------------------------------------

  @Test void converseStreamEndsWithTheStreamAndAssemblesTheOutput() throws Exception {
    stub.reply(Reply.stream(streamFrames()));
    Collector c = new Collector();
    try (LLMObsSpan wf = LLMObs.workflow("caller")) {
      async.converseStream(streamQuestion(), c.handler()).join();
    }
    assertEquals("Sudden water damage is covered.", c.text.toString(), "the caller's stream is untouched");
    assertEquals(List.of("delta", "delta", "delta", "delta", "metadata"), c.events);

    Map<String, Object> llm = bedrockSpan();
    assertEquals("bedrock-runtime.converse_stream", llm.get("name"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered.",
        "tool_calls", List.of(Map.of("name", "lookup_policy", "arguments", Map.of("claimId", "88412"),
            "tool_id", "tooluse_c4wN", "type", "toolUse"))))), meta(llm).get("output"));
    assertEquals("tool_use", metadata(llm).get("stop_reason"));
    assertEquals(1271, metadata(llm).get("latency_ms"));
    assertMetric(llm, "input_tokens", 8);
    assertMetric(llm, "output_tokens", 26);
    assertMetric(llm, "total_tokens", 34);
    double ttft = ((Number) metrics(llm).get("time_to_first_token")).doubleValue();
    assertTrue(ttft > 0 && ttft < 60, "seconds: " + ttft);
  }

  @Test void anExceptionFrameMidStreamEndsTheSpanInError() {
    List<byte[]> frames = BedrockStub.frames(
        BedrockStub.event("messageStart", "{\"role\":\"assistant\"}"),
        BedrockStub.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Partial\"}}"),
        BedrockStub.exception("modelStreamErrorException", "The model stopped unexpectedly"));
    stub.reply(Reply.stream(frames));
    Collector c = new Collector();
    CompletionException e = assertThrows(CompletionException.class,
        () -> async.converseStream(streamQuestion(), c.handler()).join());
    assertInstanceOf(ModelStreamErrorException.class, cause(e));
    Map<String, Object> llm = bedrockSpan();
    assertEquals("error", llm.get("status"));
    String type = (String) error(llm).get("type");
    assertTrue(type.equals("modelStreamErrorException") || type.equals(ModelStreamErrorException.class.getName()), type);
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Partial"))), meta(llm).get("output"),
        "what arrived before the error is kept");
  }

  @Test void aStreamCutMidWayEndsTheSpanInErrorAndTheCallerSeesTheSameFailure() throws Exception {
    Collector c = new Collector();
    try (CutStreamServer cut = new CutStreamServer(streamFrames(), 3, c.deltas, 2)) { // two text deltas in 3 frames
      var client = software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient.builder()
          .endpointOverride(cut.endpoint()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
          .httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
              .protocol(software.amazon.awssdk.http.Protocol.HTTP1_1))
          .overrideConfiguration(o -> o.retryPolicy(r -> r.numRetries(0))).build();
      assertThrows(CompletionException.class, () -> client.converseStream(streamQuestion(), c.handler()).join());
      assertEquals("Sudden water damage is covered.", c.text.toString(), "three whole frames reached the caller");
      Map<String, Object> llm = bedrockSpan();
      assertEquals("error", llm.get("status"));
      assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered."))),
          meta(llm).get("output"));
    }
  }

  @Test void aCallerWhoStopsReadingEndsTheSpanWithWhatArrived() throws Exception {
    stub.reply(Reply.stream(streamFrames()));
    java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .onEventStream(publisher -> publisher.subscribe(new org.reactivestreams.Subscriber<Object>() {
          org.reactivestreams.Subscription s;
          int seen;

          @Override public void onSubscribe(org.reactivestreams.Subscription s) {
            this.s = s;
            s.request(1);
          }

          @Override public void onNext(Object event) {
            if (++seen == 2) { // messageStart, then the first text delta: enough
              s.cancel();
              cancelled.countDown();
            } else {
              s.request(1);
            }
          }

          @Override public void onError(Throwable t) {}

          @Override public void onComplete() {}
        }))
        .build();
    try {
      async.converseStream(streamQuestion(), handler);
      cancelled.await();
    } finally {
      cancelled.countDown();
    }
    // The span ends on the cancel signal, on the SDK's thread; wait for it without sleeping.
    Map<String, Object> llm = null;
    for (int i = 0; i < 500 && llm == null; i++) {
      LLMObs.flush(java.time.Duration.ofSeconds(1));
      for (Map<String, Object> s : intake.spans()) if (tags(s).contains("integration:bedrock")) llm = s;
      if (llm == null) Thread.onSpinWait();
    }
    assertTrue(llm != null, "the span ended after the caller cancelled");
    assertEquals(true, metadata(llm).get("stream_cancelled"));
    assertEquals("ok", llm.get("status"), "stopping early is the caller's choice, not an error");
  }

  @Test void aStreamStillOpenWhenItsInvocationEndsIsSentAsIncomplete() throws Exception {
    java.util.concurrent.CountDownLatch rest = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch firstText = new java.util.concurrent.CountDownLatch(1);
    stub.reply(Reply.stream(streamFrames()).holdAfter(3, rest));
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
            .onContentBlockDelta(d -> firstText.countDown()).build())
        .build();
    try {
      String traceId;
      try (LLMObsSpan wf = LLMObs.workflow("handler")) {
        traceId = wf.context().traceId();
        async.converseStream(streamQuestion(), handler); // never joined: the handler returns
        firstText.await();
      }
      int forced = dev.llmobs.internal.TracerHandle.current().endCalls(traceId, System.nanoTime() + 50_000_000L);
      assertEquals(1, forced);
      Map<String, Object> llm = bedrockSpan();
      assertEquals(true, metadata(llm).get("incomplete"));
      assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered."))),
          meta(llm).get("output"), "what arrived before the invocation ended");
    } finally {
      rest.countDown();
    }
  }

  @Test void aStreamThatEndsWhileTheInvocationWaitsIsSentWhole() throws Exception {
    stub.reply(Reply.stream(streamFrames()));
    String traceId;
    try (LLMObsSpan wf = LLMObs.workflow("handler")) {
      traceId = wf.context().traceId();
      async.converseStream(streamQuestion(), new Collector().handler());
    }
    assertEquals(0, dev.llmobs.internal.TracerHandle.current().endCalls(traceId, System.nanoTime() + 30_000_000_000L));
    Map<String, Object> llm = bedrockSpan();
    assertEquals(null, metadata(llm).get("incomplete"));
    assertMetric(llm, "output_tokens", 26);
  }

  @Test void aCallWithNoCurrentSpanIsARootLlmSpan() {
    stub.reply(Reply.json(TEXT_REPLY));
    sync.converse(question());
    Map<String, Object> llm = bedrockSpan();
    assertEquals("undefined", llm.get("parent_id"));
    assertSame(null, error(llm));
  }
}
