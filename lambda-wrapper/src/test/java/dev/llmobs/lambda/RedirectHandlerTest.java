package dev.llmobs.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.llmobs.testing.TestIntake;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Zero-code mode: the function's handler is {@link RedirectHandler}, the user's is named in {@code DD_LAMBDA_HANDLER}.
 * Each handler shape the runtime supports gets real sample events and must see them exactly as typed.
 */
class RedirectHandlerTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  RedirectHandler redirectTo(String handler) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "AWS_LAMBDA_FUNCTION_NAME", "claims-assistant",
        "DD_LAMBDA_HANDLER", handler));
    LLMObsLambda.configure(env);
    return new RedirectHandler();
  }

  static String resource(String name) throws Exception {
    try (InputStream in = RedirectHandlerTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  String invoke(RedirectHandler h, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new TestContext("req-1"));
    return out.toString(StandardCharsets.UTF_8);
  }

  Map<String, Object> root() {
    return WrapperTest.root(intake.spans());
  }

  @Test void pojoRequestHandler() throws Exception {
    String out = invoke(redirectTo("example.handlers.Handlers$PojoHandler"),
        "{\"claimId\":\"88412\",\"question\":\"Is water damage covered?\"}");
    assertEquals("{\"claimId\":\"88412\",\"covered\":true}", out);
    assertEquals(2, intake.spans().size(), "the user's own span nests under the root");
    Map<String, Object> root = root();
    assertEquals(Map.of("value", "{\"claimId\":\"88412\",\"question\":\"Is water damage covered?\"}"),
        WrapperTest.meta(root).get("input"));
    assertEquals(Map.of("value", out), WrapperTest.meta(root).get("output"));
  }

  @Test void mapRequestHandler() throws Exception {
    assertEquals("{\"keys\":2,\"claimId\":\"88412\"}",
        invoke(redirectTo("example.handlers.Handlers$MapHandler"), "{\"claimId\":\"88412\",\"n\":1}"));
  }

  @Test void stringRequestHandler() throws Exception {
    assertEquals("\"HELLO\"", invoke(redirectTo("example.handlers.Handlers$StringHandler"), "\"hello\""));
  }

  @Test void sqsEventKeepsItsFieldsThroughTheRuntimesMixins() throws Exception {
    String out = invoke(redirectTo("example.handlers.Handlers$SqsHandler"), resource("events/sqs.json"));
    assertEquals("\"arn:aws:sqs:eu-west-1:123456789012:claims-queue|{\\\"claimId\\\":\\\"88412\\\",\\\"question\\\":"
        + "\\\"Is water damage covered?\\\"}|high\"", out);
  }

  @Test void s3EventKeepsBucketAndKey() throws Exception {
    assertEquals("\"claims-documents/policies/88412.pdf|ObjectCreated:Put\"",
        invoke(redirectTo("example.handlers.Handlers$S3Handler"), resource("events/s3.json")));
  }

  @Test void apiGatewayV1EventAndResponse() throws Exception {
    String out = invoke(redirectTo("example.handlers.Handlers$ApiV1Handler"), resource("events/apigw-v1.json"));
    assertTrue(out.contains("\"statusCode\":200"), out);
    assertTrue(out.contains("\"body\":\"POST /claims/88412 88412\""), out);
  }

  @Test void apiGatewayV2EventAndResponse() throws Exception {
    String out = invoke(redirectTo("example.handlers.Handlers$ApiV2Handler"), resource("events/apigw-v2.json"));
    assertTrue(out.contains("\"statusCode\":201"), out);
    assertTrue(out.contains("\"body\":\"POST /ask\""), out);
  }

  @Test void eventBridgeEvent() throws Exception {
    assertEquals("\"Claim Submitted|com.example.claims|88412\"",
        invoke(redirectTo("example.handlers.Handlers$EventBridgeHandler"), resource("events/eventbridge.json")));
  }

  @Test void streamHandlerGetsTheRawBytes() throws Exception {
    assertEquals("{\"bytes\":7}", invoke(redirectTo("example.handlers.Handlers$StreamHandler"), "{\"a\":1}"));
  }

  @Test void typeParametersAreResolvedThroughAGenericBaseClass() throws Exception {
    assertEquals("\"claim 7\"", invoke(redirectTo("example.handlers.Handlers$InheritedHandler"), "{\"claimId\":\"7\"}"));
  }

  @Test void staticMethodHandler() throws Exception {
    assertEquals("\"hi!\"", invoke(redirectTo("example.handlers.Handlers$Methods::shout"), "\"hi\""));
  }

  @Test void methodWithContext() throws Exception {
    assertEquals("{\"requestId\":\"req-1\",\"claimId\":\"9\"}",
        invoke(redirectTo("example.handlers.Handlers$Methods::withContext"), "{\"claimId\":\"9\"}"));
  }

  @Test void streamMethod() throws Exception {
    assertEquals("\"req-1:2\"", invoke(redirectTo("example.handlers.Handlers$Methods::streams"), "{}"));
  }

  @Test void methodWithoutArgumentsAndMethodReturningVoid() throws Exception {
    assertEquals("\"no input\"", invoke(redirectTo("example.handlers.Handlers$Methods::noArguments"), "{\"ignored\":1}"));
    assertEquals("null", invoke(redirectTo("example.handlers.Handlers$Methods::nothingBack"), "{\"claimId\":\"3\"}"));
    assertTrue(WrapperTest.tags(intake.spans().get(1)).contains("seen:3"), "the handler annotated the root");
  }

  @Test void theLongestOverloadWinsAsInTheRuntime() throws Exception {
    assertEquals("\"long\"", invoke(redirectTo("example.handlers.Handlers$Methods::overloaded"), "\"x\""));
  }

  @Test void theUsersExceptionReachesTheRuntimeUnchanged() throws Exception {
    RedirectHandler h = redirectTo("example.handlers.Handlers$ThrowingHandler");
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> invoke(h, "{\"claimId\":\"1\"}"));
    assertEquals("no model for 1", e.getMessage());
    assertEquals("error", root().get("status"));
  }

  @Test void aCheckedExceptionFromAMethodHandlerIsNotWrapped() throws Exception {
    RedirectHandler h = redirectTo("example.handlers.Handlers$CheckedThrowingMethods::fail");
    TimeoutException e = assertThrows(TimeoutException.class, () -> invoke(h, "\"x\""));
    assertEquals("bedrock took too long", e.getMessage());
  }

  @Test void aMalformedEventFailsAsTheRuntimeWould() throws Exception {
    RedirectHandler h = redirectTo("example.handlers.Handlers$PojoHandler");
    RuntimeException e = assertThrows(RuntimeException.class, () -> invoke(h, "{not json"));
    assertEquals("An error occurred during JSON parsing", e.getMessage());
    assertEquals("error", root().get("status"), "the span still lands");
  }

  @Test void aMissingOrBadHandlerFailsInitClearly() {
    IllegalStateException none = assertThrows(IllegalStateException.class, () -> redirectTo(" "));
    assertTrue(none.getMessage().contains("DD_LAMBDA_HANDLER"));
    assertThrows(ClassNotFoundException.class, () -> redirectTo("example.handlers.Nope"));
    IllegalStateException noCtor = assertThrows(IllegalStateException.class,
        () -> redirectTo("example.handlers.Handlers$NoDefaultConstructor"));
    assertTrue(noCtor.getMessage().contains("no public zero-argument constructor"));
    IllegalStateException noMethod = assertThrows(IllegalStateException.class,
        () -> redirectTo("example.handlers.Handlers$Methods::missing"));
    assertTrue(noMethod.getMessage().contains("No public method named missing"));
  }

  @Test void ourOwnVariableNameWorksToo() throws Exception {
    Map<String, String> env = Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "LLMOBS_LAMBDA_HANDLER", "example.handlers.Handlers$StringHandler");
    LLMObsLambda.configure(env);
    assertEquals("\"OK\"", invoke(new RedirectHandler(), "\"ok\""));
  }

  /** aws-lambda-java-tests loads the sample with the runtime's serializers; ours must agree field by field. */
  @ParameterizedTest
  @Event(value = "events/sqs.json", type = SQSEvent.class)
  void redirectedSqsEventMatchesTheRuntimeTestLibrary(SQSEvent expected) throws Exception {
    SQSEvent.SQSMessage m = expected.getRecords().get(0);
    String out = invoke(redirectTo("example.handlers.Handlers$SqsHandler"), resource("events/sqs.json"));
    assertEquals("\"" + m.getEventSourceArn() + "|" + m.getBody().replace("\"", "\\\"") + "|"
        + m.getMessageAttributes().get("priority").getStringValue() + "\"", out);
    List<Map<String, Object>> spans = intake.spans();
    assertEquals(1, spans.size());
  }
}
