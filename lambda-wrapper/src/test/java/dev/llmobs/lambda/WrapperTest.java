package dev.llmobs.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.TestIntake;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wrapper, driven as the runtime drives a handler, against a real loopback intake. */
class WrapperTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    configure(Map.of());
    Invocation.resetColdStart();
  }

  @AfterEach void stop() {
    intake.close();
  }

  void configure(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "DD_LLMOBS_ML_APP", "claims-assistant", "AWS_LAMBDA_FUNCTION_NAME", "claims-assistant",
        "AWS_REGION", "eu-west-1", "AWS_EXECUTION_ENV", "AWS_Lambda_java17",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand", "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"));
    env.putAll(extra);
    LLMObsLambda.configure(env);
  }

  static Map<String, Object> root(List<Map<String, Object>> spans) {
    for (Map<String, Object> s : spans) if ("undefined".equals(s.get("parent_id"))) return s;
    throw new AssertionError("no root span in " + spans);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

  @SuppressWarnings("unchecked")
  static List<String> tags(Map<String, Object> span) {
    return (List<String>) span.get("tags");
  }

  @Test void flushesBeforeTheInvocationReturns() {
    RequestHandler<Map<String, Object>, String> traced = LLMObsLambda.wrap((event, ctx) -> {
      LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock").tokens(10, 5).finish();
      assertTrue(intake.requests().isEmpty(), "nothing is sent while the handler runs");
      return "covered";
    });
    String result = traced.handleRequest(Map.of("question", "Is water damage covered?"), new TestContext("req-1"));
    assertEquals("covered", result);
    // No wait, no latch: the spans reached the intake before handleRequest returned.
    List<Map<String, Object>> spans = intake.spans();
    assertEquals(2, spans.size());
    Map<String, Object> root = root(spans);
    assertEquals("claims-assistant", root.get("name"));
    assertEquals(Map.of("kind", "workflow"), meta(root).get("span"));
    assertEquals(Map.of("value", "{\"question\":\"Is water damage covered?\"}"), meta(root).get("input"));
    assertEquals(Map.of("value", "covered"), meta(root).get("output"));
    List<String> tags = tags(root);
    for (String t : List.of("request_id:req-1", "function_name:claims-assistant",
        "function_arn:arn:aws:lambda:eu-west-1:123456789012:function:claims-assistant", "function_version:$LATEST",
        "region:eu-west-1", "account_id:123456789012", "memory_size:1024", "runtime:AWS_Lambda_java17",
        "cold_start:true", "init_type:on-demand")) {
      assertTrue(tags.contains(t), t + " in " + tags);
    }
  }

  @Test void onlyTheFirstCallIsAColdStart() {
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> e);
    traced.handleRequest("a", new TestContext("r1"));
    traced.handleRequest("b", new TestContext("r2"));
    List<Map<String, Object>> spans = intake.spans();
    assertTrue(tags(spans.get(0)).contains("cold_start:true"));
    assertTrue(tags(spans.get(1)).contains("cold_start:false"));
  }

  @Test void provisionedConcurrencyIsNeverACold() {
    configure(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency"));
    LLMObsLambda.wrap((String e, Context c) -> e).handleRequest("a", new TestContext("r1"));
    List<String> tags = tags(intake.spans().get(0));
    assertTrue(tags.contains("cold_start:false"));
    assertTrue(tags.contains("init_type:provisioned-concurrency"));
  }

  @Test void theResultIsReturnedUntouched() {
    Object answer = new Object();
    assertSame(answer, LLMObsLambda.wrap((String e, Context c) -> answer).handleRequest("q", new TestContext("r")));
  }

  @Test void theHandlersExceptionIsRecordedAndTheSameOneRethrown() {
    IllegalStateException boom = new IllegalStateException("model unavailable");
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> {
      throw boom;
    });
    assertSame(boom, assertThrows(IllegalStateException.class, () -> traced.handleRequest("q", new TestContext("r"))));
    Map<String, Object> root = root(intake.spans());
    assertEquals("error", root.get("status"));
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) meta(root).get("error");
    assertEquals("java.lang.IllegalStateException", error.get("type"));
    assertEquals("model unavailable", error.get("message"));
  }

  @Test void aCheckedExceptionOfAStreamHandlerIsRethrownUnwrapped() {
    IOException io = new IOException("socket closed");
    RequestStreamHandler traced = LLMObsLambda.wrap((in, out, c) -> {
      throw io;
    });
    assertSame(io, assertThrows(IOException.class, () -> traced.handleRequest(
        new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), new TestContext("r"))));
    assertEquals("error", root(intake.spans()).get("status"));
  }

  @Test void aStreamHandlersBytesPassThroughAndAreRecorded() throws IOException {
    RequestStreamHandler traced = LLMObsLambda.wrap((in, out, c) -> {
      byte[] event = in.readAllBytes();
      out.write(("{\"echo\":" + new String(event, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8));
    });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    traced.handleRequest(new ByteArrayInputStream("{\"q\":1}".getBytes(StandardCharsets.UTF_8)), out, new TestContext("r"));
    assertEquals("{\"echo\":{\"q\":1}}", out.toString(StandardCharsets.UTF_8));
    Map<String, Object> root = root(intake.spans());
    assertEquals(Map.of("value", "{\"q\":1}"), meta(root).get("input"));
    assertEquals(Map.of("value", "{\"echo\":{\"q\":1}}"), meta(root).get("output"));
  }

  @Test void aFailingIntakeChangesNeitherResultNorException() throws Exception {
    intake.always(500);
    RequestHandler<String, String> ok = LLMObsLambda.wrap((e, c) -> "fine");
    assertEquals("fine", ok.handleRequest("q", new TestContext("r1", 2_000)));
    RuntimeException boom = new RuntimeException("handler failed");
    RequestHandler<String, String> failing = LLMObsLambda.wrap((e, c) -> {
      throw boom;
    });
    assertSame(boom, assertThrows(RuntimeException.class, () -> failing.handleRequest("q", new TestContext("r2", 2_000))));
    int port = intake.port();
    intake.close(); // and with the intake down altogether
    assertEquals("fine", ok.handleRequest("q", new TestContext("r3", 2_000)));
    intake = new TestIntake(port);
  }

  @Test void withTooLittleTimeLeftTheNetworkIsSkippedAndSpansWaitForTheNextCall() {
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> e);
    traced.handleRequest("late", new TestContext("r1", 50)); // 50 ms left, margin 100 ms
    assertTrue(intake.requests().isEmpty());
    traced.handleRequest("next", new TestContext("r2", 30_000));
    Set<Object> requestIds = new HashSet<>();
    for (Map<String, Object> s : intake.spans()) {
      for (String t : tags(s)) if (t.startsWith("request_id:")) requestIds.add(t);
    }
    assertEquals(Set.of("request_id:r1", "request_id:r2"), requestIds);
  }

  @Test void theFlushIsBoundedByTheTimeLeft() {
    CountDownLatch release = new CountDownLatch(1);
    intake.answer(TestIntake.Answer.heldUntil(release));
    try {
      RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> e);
      assertEquals("q", traced.handleRequest("q", new TestContext("r1", 400))); // budget 300 ms
      assertEquals(1, release.getCount(), "returned while the intake still held the response");
    } finally {
      release.countDown();
    }
  }

  @Test void thePreviousFlushDurationIsAMetricOfTheNextRoot() {
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> e);
    traced.handleRequest("a", new TestContext("r1"));
    traced.handleRequest("b", new TestContext("r2"));
    @SuppressWarnings("unchecked")
    Map<String, Object> metrics = (Map<String, Object>) intake.spans().get(1).get("metrics");
    assertTrue(((Number) metrics.get("llmobs.previous_flush_ms")).doubleValue() > 0, metrics.toString());
  }

  @Test void theWrapperAddsNoThread() {
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> e);
    traced.handleRequest("warm", new TestContext("r0"));
    Set<String> before = threads();
    for (int i = 0; i < 3; i++) traced.handleRequest("q", new TestContext("r" + i));
    assertEquals(before, threads());
  }

  static Set<String> threads() {
    Set<String> names = new TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive()) names.add(t.getName() + "#" + t.getId());
    return names;
  }

  @Test void concurrentInvocationsThroughOneWrapperKeepTracesWholeAndSeparate() throws Exception {
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> {
      try (LLMObsSpan task = LLMObs.task("work-" + c.getAwsRequestId())) {
        LLMObs.llm("llm-" + c.getAwsRequestId(), "m", "amazon_bedrock").finish();
      }
      return e;
    });
    int n = 8, rounds = 10;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int thread = t;
      fs.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < rounds; i++) {
          String id = "req-" + thread + "-" + i;
          assertEquals(id, traced.handleRequest(id, new TestContext(id)));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) f.get();
    pool.shutdown();

    List<Map<String, Object>> spans = intake.spans();
    assertEquals(n * rounds * 3, spans.size());
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (Map<String, Object> s : spans) byName.put((String) s.get("name"), s);
    Set<Object> traceIds = new HashSet<>();
    for (Map<String, Object> s : spans) {
      if (!"undefined".equals(s.get("parent_id"))) continue;
      String id = null;
      for (String t : tags(s)) if (t.startsWith("request_id:")) id = t.substring(11);
      Map<String, Object> work = byName.get("work-" + id), llm = byName.get("llm-" + id);
      assertEquals(s.get("trace_id"), work.get("trace_id"), id);
      assertEquals(s.get("span_id"), work.get("parent_id"), id);
      assertEquals(work.get("span_id"), llm.get("parent_id"), id);
      assertEquals(Map.of("value", id), meta(s).get("input"), "each root carries its own event");
      assertTrue(traceIds.add(s.get("trace_id")));
    }
    assertEquals(n * rounds, traceIds.size());
  }

  @Test void snapStartRestoreMakesTheNextCallColdAndReseedsIds() {
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> e);
    traced.handleRequest("before snapshot", new TestContext("r1"));
    SnapStartHooks.INSTANCE.beforeCheckpoint(null);
    SnapStartHooks.INSTANCE.afterRestore(null);
    traced.handleRequest("after restore", new TestContext("r2"));
    traced.handleRequest("warm", new TestContext("r3"));
    List<Map<String, Object>> spans = intake.spans();
    assertTrue(tags(spans.get(0)).contains("cold_start:true"));
    assertTrue(tags(spans.get(1)).contains("cold_start:true"), "first call after a restore");
    assertTrue(tags(spans.get(2)).contains("cold_start:false"));
    assertNotEquals(spans.get(0).get("trace_id"), spans.get(1).get("trace_id"));
  }

  @Test void theSnapStartHookIsRegisteredOnlyWhenTheFunctionIsSnapshotted() {
    // Registering costs tens of milliseconds of a cold start; no snapshot is taken but under SnapStart.
    assertFalse(SnapStartHooks.register(new LambdaSettings(Map.of())), "on-demand");
    assertFalse(SnapStartHooks.register(new LambdaSettings(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE",
        "provisioned-concurrency"))));
    // org.crac without a CRaC JVM keeps registrations in its own context; registering twice must be harmless.
    LambdaSettings snapStart = new LambdaSettings(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
    assertTrue(SnapStartHooks.register(snapStart));
    assertTrue(SnapStartHooks.register(snapStart));
    assertTrue(LLMObs.isEnabled());
  }

  @Test void baseClassTracesAnApiGatewayV2EventWithItsSessionAndTypes() {
    configure(Map.of("LLMOBS_SESSION_ID_FROM", "header:X-Session-Id"));
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/apigw-v2.json");
    V2Handler handler = new V2Handler();
    assertEquals("POST /ask", handler.handleRequest(event, new TestContext("r1")));
    Map<String, Object> root = root(intake.spans());
    assertEquals("claim-v2-1", root.get("session_id"));
    String input = (String) ((Map<?, ?>) meta(root).get("input")).get("value");
    assertTrue(input.contains("\"routeKey\":\"POST /ask\""), input);
  }

  static final class V2Handler extends TracedRequestHandler<APIGatewayV2HTTPEvent, String> {
    @Override protected String handle(APIGatewayV2HTTPEvent event, Context context) {
      return event.getRouteKey();
    }
  }

  @Test void sessionIdFromAQueryParameterOrAJsonFieldInsideTheBody() {
    APIGatewayProxyRequestEvent v1 = EventLoader.loadApiGatewayRestEvent("events/apigw-v1.json");
    RequestHandler<APIGatewayProxyRequestEvent, String> traced = LLMObsLambda.wrap((e, c) -> e.getPath());
    configure(Map.of("LLMOBS_SESSION_ID_FROM", "query:session"));
    traced.handleRequest(v1, new TestContext("r1"));
    configure(Map.of("LLMOBS_SESSION_ID_FROM", "json:body.conversation.sessionId"));
    traced.handleRequest(v1, new TestContext("r2"));
    List<Map<String, Object>> spans = intake.spans();
    assertEquals("q-session-1", spans.get(0).get("session_id"));
    assertEquals("body-session-7", spans.get(1).get("session_id"));
  }

  @Test void albEventsGiveTheirSessionFromAHeaderOrADecodedQueryParameter() {
    var alb = EventLoader.loadApplicationLoadBalancerRequestEvent("events/alb.json");
    RequestHandler<com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent, String> traced =
        LLMObsLambda.wrap((e, c) -> e.getPath());
    configure(Map.of("LLMOBS_SESSION_ID_FROM", "header:X-Session-Id"));
    traced.handleRequest(alb, new TestContext("r1"));
    configure(Map.of("LLMOBS_SESSION_ID_FROM", "query:session"));
    traced.handleRequest(alb, new TestContext("r2"));
    List<Map<String, Object>> spans = intake.spans();
    assertEquals("alb-header-session", spans.get(0).get("session_id"));
    assertEquals("alb session/4", spans.get(1).get("session_id"), "ALB does not decode query strings; we do");
  }

  @Test void aBodyThatRepeatsAKeyGivesItsLastValueAsTheSessionId() throws Exception {
    configure(Map.of("LLMOBS_SESSION_ID_FROM", "json:body.conversation.sessionId"));
    String raw = "{\"body\":\"{\\\"conversation\\\":{\\\"sessionId\\\":\\\"first\\\","
        + "\\\"sessionId\\\":\\\"s-last\\\"}}\"}";
    RequestStreamHandler traced = LLMObsLambda.wrap((in, out, c) -> out.write("{}".getBytes(StandardCharsets.UTF_8)));
    traced.handleRequest(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
        new TestContext("r1"));
    assertEquals("s-last", root(intake.spans()).get("session_id"), raw);
  }

  @Test void aFunctionUrlEventIsReadLikeApiGatewayV2() throws Exception {
    configure(Map.of("LLMOBS_SESSION_ID_FROM", "query:session"));
    // A Function URL event has the v2 shape; handled raw here, as the redirect handler sees it.
    String raw = new String(getClass().getClassLoader().getResourceAsStream("events/apigw-v2.json").readAllBytes(),
        StandardCharsets.UTF_8);
    RequestStreamHandler traced = LLMObsLambda.wrap((in, out, c) -> out.write("{}".getBytes(StandardCharsets.UTF_8)));
    traced.handleRequest(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
        new TestContext("r1"));
    assertEquals("q-session-2", root(intake.spans()).get("session_id"));
  }

  @Test void aDistributedTraceIsContinuedFromIncomingHeaders() {
    Map<String, String> headers = new HashMap<>();
    String callerTrace, callerSpan;
    try (LLMObsSpan caller = LLMObs.workflow("caller").sessionId("s-9")) {
      LLMObs.inject(headers);
      callerTrace = caller.context().traceId();
      callerSpan = caller.context().spanId();
    }
    intake.clear();
    Map<String, Object> event = new HashMap<>();
    event.put("headers", headers);
    event.put("body", "{}");
    LLMObsLambda.wrap((Map<String, Object> e, Context c) -> "ok").handleRequest(event, new TestContext("r1"));
    Map<String, Object> root = intake.spans().stream().filter(s -> "claims-assistant".equals(s.get("name")))
        .findFirst().orElseThrow();
    assertEquals(callerTrace, root.get("trace_id"));
    assertEquals(callerSpan, root.get("parent_id"));
    assertEquals("s-9", root.get("session_id"));
  }

  @Test void ioCaptureCanBeTurnedOffForPrivacy() {
    configure(Map.of("LLMOBS_CAPTURE_IO", "false"));
    LLMObsLambda.wrap((String e, Context c) -> "secret answer").handleRequest("secret question", new TestContext("r"));
    Map<String, Object> root = root(intake.spans());
    assertFalse(meta(root).containsKey("input"));
    assertFalse(meta(root).containsKey("output"));
  }

  @Test void aCallStillOpenWhenTheHandlerReturnsIsWaitedForThenSentWithThisInvocation() {
    configure(Map.of("LLMOBS_STREAM_WAIT_MS", "20"));
    Object call = new Object();
    boolean[] forced = {false};
    RequestHandler<String, String> traced = LLMObsLambda.wrap((e, c) -> {
      LLMObsSpan stream = LLMObs.span(dev.llmobs.SpanKind.LLM, "still-streaming").startDetached();
      // What the Bedrock interceptor does for a stream the handler does not read to the end.
      dev.llmobs.internal.TracerHandle.current().callOpened(call, stream.context().traceId(), true, () -> {
        forced[0] = true;
        stream.metadata("incomplete", true).finish();
      });
      return e;
    });
    traced.handleRequest("q", new TestContext("r1"));
    assertTrue(forced[0], "ended by the wrapper after its bounded wait");
    Map<String, Object> span = intake.spans().stream().filter(s -> "still-streaming".equals(s.get("name")))
        .findFirst().orElseThrow(() -> new AssertionError("sent with this invocation: " + intake.spans()));
    assertEquals(Map.of("incomplete", true), meta(span).get("metadata"));
  }

  @Test void withTracingDisabledTheHandlerRunsAndNothingIsSent() {
    configure(Map.of("DD_LLMOBS_ENABLED", "false"));
    RuntimeException boom = new RuntimeException("still the handler's");
    assertEquals("answer", LLMObsLambda.wrap((String e, Context c) -> "answer").handleRequest("q", new TestContext("r1")));
    assertSame(boom, assertThrows(RuntimeException.class, () -> LLMObsLambda.wrap((String e, Context c) -> {
      throw boom;
    }).handleRequest("q", new TestContext("r2"))));
    assertTrue(intake.requests().isEmpty());
  }

  @Test void theRootSpanNameCanBeOverridden() {
    configure(Map.of("LLMOBS_ROOT_SPAN_NAME", "answer-claim"));
    LLMObsLambda.wrap((String e, Context c) -> e).handleRequest("q", new TestContext("r"));
    assertEquals("answer-claim", root(intake.spans()).get("name"));
  }

  @Test void aNullContextOrEventStillLands() {
    assertEquals("x", LLMObsLambda.wrap((Object e, Context c) -> "x").handleRequest(null, null));
    assertEquals(1, intake.spans().size());
  }
}
