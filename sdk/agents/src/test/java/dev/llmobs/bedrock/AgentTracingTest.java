package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.bedrock.BedrockStub.Reply;
import dev.llmobs.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.DependencyFailedException;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentRequest;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponseHandler;

/**
 * Bedrock Agents through the real async Agent Runtime client, against a loopback stand-in that answers in the
 * service's event-stream framing: the agent span, and with the trace enabled its steps, trees asserted whole.
 */
class AgentTracingTest extends BedrockTest {
  static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  static BedrockAgentRuntimeAsyncClient agents;

  @BeforeAll static void agentClient() {
    agents = BedrockAgentRuntimeAsyncClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
  }

  static byte[] trace(String traceJson) {
    return BedrockStub.event("trace", "{\"agentId\":\"AGENT1\",\"agentAliasId\":\"ALIAS1\",\"sessionId\":\"claim-88412\","
        + "\"trace\":" + traceJson + "}");
  }

  static byte[] orchestration(String member, String json) {
    return trace("{\"orchestrationTrace\":{\"" + member + "\":" + json + "}}");
  }

  static byte[] chunk(String text) {
    return BedrockStub.event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"}");
  }

  static String modelIn(String id, String prompt) {
    return "{\"traceId\":\"" + id + "\",\"text\":\"" + prompt + "\",\"type\":\"ORCHESTRATION\",\"foundationModel\":\"" + MODEL + "\"}";
  }

  static String modelOut(String id, String content, int in, int out) {
    return "{\"traceId\":\"" + id + "\",\"rawResponse\":{\"content\":\"" + content + "\"},\"metadata\":{\"usage\":"
        + "{\"inputTokens\":" + in + ",\"outputTokens\":" + out + "}}}";
  }

  /** What the caller's handler saw: the answer's text and the kinds of events, in order. */
  static final class Seen {
    final StringBuilder answer = new StringBuilder();
    final List<String> events = new ArrayList<>();

    InvokeAgentResponseHandler handler() {
      return InvokeAgentResponseHandler.builder().subscriber(InvokeAgentResponseHandler.Visitor.builder()
          .onChunk(c -> {
            answer.append(c.bytes().asUtf8String());
            events.add("chunk");
          })
          .onTrace(t -> events.add("trace"))
          .onReturnControl(r -> events.add("returnControl"))
          .build()).build();
    }
  }

  static InvokeAgentRequest ask(boolean trace) {
    return InvokeAgentRequest.builder().agentId("AGENT1").agentAliasId("ALIAS1").sessionId("claim-88412")
        .inputText("Is claim 88412 covered, and how much is paid?").enableTrace(trace).build();
  }

  /** An agent's run with a step of every kind: pre-processing, three orchestration steps, a guardrail, post-processing. */
  static List<byte[]> wholeAgentRun() {
    return new ArrayList<>(List.of(
        trace("{\"preProcessingTrace\":{\"modelInvocationInput\":{\"traceId\":\"pre-0\",\"text\":\"Classify the input\","
            + "\"type\":\"PRE_PROCESSING\",\"foundationModel\":\"" + MODEL + "\"}}}"),
        trace("{\"preProcessingTrace\":{\"modelInvocationOutput\":{\"traceId\":\"pre-0\",\"parsedResponse\":{\"rationale\":"
            + "\"A claims question\",\"isValid\":true},\"rawResponse\":{\"content\":\"<category>E</category>\"},"
            + "\"metadata\":{\"usage\":{\"inputTokens\":300,\"outputTokens\":20}}}}}"),
        orchestration("modelInvocationInput", modelIn("t-0", "You are a claims agent.")),
        orchestration("modelInvocationOutput", "{\"traceId\":\"t-0\",\"rawResponse\":{\"content\":\"I will look the claim up.\"},"
            + "\"metadata\":{\"startTime\":\"2025-12-03T08:00:00.250Z\",\"endTime\":\"2025-12-03T08:00:01Z\",\"usage\":{\"inputTokens\":900,\"outputTokens\":40}}}"),
        orchestration("rationale", "{\"traceId\":\"t-0\",\"text\":\"I need the claim's status.\"}"),
        orchestration("invocationInput", "{\"traceId\":\"t-0\",\"invocationType\":\"ACTION_GROUP\","
            + "\"actionGroupInvocationInput\":{\"actionGroupName\":\"claims\",\"function\":\"get_claim\",\"parameters\":"
            + "[{\"name\":\"claimId\",\"type\":\"string\",\"value\":\"88412\"}],\"executionType\":\"LAMBDA\"}}"),
        orchestration("observation", "{\"traceId\":\"t-0\",\"type\":\"ACTION_GROUP\",\"actionGroupInvocationOutput\":"
            + "{\"text\":\"claim 88412: open, water damage, 1200 EUR\",\"metadata\":{\"startTime\":\"2025-12-03T08:00:01.100Z\","
            + "\"endTime\":\"2025-12-03T08:00:01.350Z\"}}}"),
        orchestration("modelInvocationInput", modelIn("t-1", "Look up the cover.")),
        orchestration("modelInvocationOutput", modelOut("t-1", "Search the policy.", 950, 30)),
        orchestration("invocationInput", "{\"traceId\":\"t-1\",\"invocationType\":\"KNOWLEDGE_BASE\","
            + "\"knowledgeBaseLookupInput\":{\"text\":\"water damage cover\",\"knowledgeBaseId\":\"KB12345678\"}}"),
        orchestration("observation", "{\"traceId\":\"t-1\",\"type\":\"KNOWLEDGE_BASE\",\"knowledgeBaseLookupOutput\":"
            + "{\"retrievedReferences\":[{\"content\":{\"text\":\"Clause 4.2: sudden water damage is covered.\"},"
            + "\"location\":{\"type\":\"S3\",\"s3Location\":{\"uri\":\"s3://policies/home.pdf\"}}}]}}"),
        orchestration("modelInvocationInput", modelIn("t-2", "Compute the payment.")),
        orchestration("modelInvocationOutput", modelOut("t-2", "Run code.", 980, 25)),
        orchestration("invocationInput", "{\"traceId\":\"t-2\",\"invocationType\":\"ACTION_GROUP_CODE_INTERPRETER\","
            + "\"codeInterpreterInvocationInput\":{\"code\":\"print(1200 * rate)\"}}"),
        orchestration("observation", "{\"traceId\":\"t-2\",\"type\":\"ACTION_GROUP_CODE_INTERPRETER\","
            + "\"codeInterpreterInvocationOutput\":{\"executionError\":\"NameError: name 'rate' is not defined\"}}"),
        trace("{\"guardrailTrace\":{\"traceId\":\"g-0\",\"action\":\"NONE\",\"outputAssessments\":[{}]}}"),
        orchestration("observation", "{\"traceId\":\"t-2\",\"type\":\"FINISH\",\"finalResponse\":{\"text\":\"Covered.\"}}"),
        trace("{\"postProcessingTrace\":{\"modelInvocationInput\":{\"traceId\":\"post-0\",\"text\":\"Rewrite\","
            + "\"type\":\"POST_PROCESSING\"}}}"),
        trace("{\"postProcessingTrace\":{\"modelInvocationOutput\":{\"traceId\":\"post-0\",\"parsedResponse\":{\"text\":"
            + "\"Claim 88412 is covered.\"}}}}"),
        chunk("Claim 88412 is covered: "), chunk("sudden water damage, clause 4.2.")));
  }

  @Test void withContentCaptureOffNoStepCarriesContentInItsMetadata() throws Exception {
    configure(Map.of("LLMOBS_CAPTURE_IO", "false"));
    stub.reply(Reply.stream(wholeAgentRun()));
    inWorkflow(() -> agents.invokeAgent(ask(true), new Seen().handler()).join());
    List<Map<String, Object>> spans = flushed();
    assertEquals(13, spans.size(), "every step still a span");
    String all = spans.toString();
    for (String content : List.of("I need the claim's status", "Clause 4.2", "You are a claims agent", "water damage, 1200 EUR",
        "Is claim 88412 covered", "outputAssessments", "rationale")) {
      assertFalse(all.contains(content), content + " in " + all);
    }
    assertEquals(940, ((Number) metrics(named(spans, "bedrock-agent.orchestration")).get("total_tokens")).intValue(),
        "tokens are not content");
  }

  @SuppressWarnings("unchecked")
  @Test void anAgentWithItsTraceEnabledIsAnAgentSpanWithEveryStepAsAChild() throws Exception {
    List<byte[]> frames = wholeAgentRun();
    stub.reply(Reply.stream(frames));
    Seen seen = new Seen();
    inWorkflow(() -> agents.invokeAgent(ask(true), seen.handler()).join());
    assertEquals("Claim 88412 is covered: sudden water damage, clause 4.2.", seen.answer.toString(), "the caller's answer, whole");
    assertEquals(frames.size(), seen.events.size(), "the caller saw every event");

    List<Map<String, Object>> spans = flushed();
    Map<String, Object> root = named(spans, "caller"), agent = named(spans, "bedrock-agent-runtime.invoke_agent");
    assertEquals(root.get("span_id"), agent.get("parent_id"));
    assertEquals("agent", kind(agent));
    assertEquals(Map.of("value", "Is claim 88412 covered, and how much is paid?"), meta(agent).get("input"));
    assertEquals(Map.of("value", "Claim 88412 is covered: sudden water damage, clause 4.2."), meta(agent).get("output"));
    assertEquals("AGENT1", metadata(agent).get("agent_id"));
    assertEquals("ALIAS1", metadata(agent).get("agent_alias_id"));
    assertEquals("ok", agent.get("status"));

    // The tree, whole: every span a child of the agent but the models of pre- and post-processing, under their task.
    List<String> children = inStartOrder(spans, agent);
    java.util.Collections.sort(children);
    List<String> expected = new ArrayList<>(List.of("task bedrock-agent.pre_processing", "llm bedrock-agent.orchestration",
        "tool claims.get_claim", "llm bedrock-agent.orchestration", "retrieval bedrock-agent.knowledge_base",
        "llm bedrock-agent.orchestration", "tool code_interpreter", "task bedrock-agent.guardrail",
        "task bedrock-agent.post_processing"));
    java.util.Collections.sort(expected);
    assertEquals(expected, children);
    assertEquals(2 + 9 + 2, spans.size(), "caller, agent, nine steps, two phase models");

    Map<String, Object> pre = named(spans, "bedrock-agent.pre_processing"), preModel = named(spans, "bedrock-agent.pre_processing_model");
    assertEquals(pre.get("span_id"), preModel.get("parent_id"));
    assertEquals(300, ((Number) metrics(preModel).get("input_tokens")).intValue());
    assertEquals(true, metadata(preModel).get("is_valid"));

    List<Map<String, Object>> models = spans.stream().filter(s -> "bedrock-agent.orchestration".equals(s.get("name")))
        .collect(Collectors.toList());
    Map<String, Object> first = models.get(0);
    assertEquals(MODEL, meta(first).get("model_name"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "user", "content", "You are a claims agent."))), meta(first).get("input"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "I will look the claim up."))), meta(first).get("output"));
    assertEquals("I need the claim's status.", metadata(first).get("rationale"));
    assertEquals(Map.of("input_tokens", 900, "output_tokens", 40, "total_tokens", 940), metrics(first));
    assertEquals(java.time.Instant.parse("2025-12-03T08:00:00.250Z").toEpochMilli() * 1_000_000L,
        ((Number) first.get("start_ns")).longValue(), "the step's own start, as the service reports it");
    assertEquals(750_000_000L, ((Number) first.get("duration")).longValue(), "and its own duration");

    Map<String, Object> tool = named(spans, "claims.get_claim");
    assertEquals(Map.of("value", "{\"claimId\":\"88412\"}"), meta(tool).get("input"));
    assertEquals(Map.of("value", "claim 88412: open, water damage, 1200 EUR"), meta(tool).get("output"));
    assertEquals("claims", metadata(tool).get("action_group"));
    assertEquals(250_000_000L, ((Number) tool.get("duration")).longValue(), "the tool's own time");
    Map<String, Object> kbSpan = named(spans, "bedrock-agent.knowledge_base");
    assertTrue(((Number) kbSpan.get("start_ns")).longValue() > ((Number) agent.get("start_ns")).longValue(),
        "without reported times, the arrival (inside the agent's call)");

    Map<String, Object> kb = named(spans, "bedrock-agent.knowledge_base");
    assertEquals(Map.of("documents", List.of(Map.of("text", "Clause 4.2: sudden water damage is covered.",
        "name", "s3://policies/home.pdf"))), meta(kb).get("output"));

    Map<String, Object> code = named(spans, "code_interpreter");
    assertEquals("error", code.get("status"));
    assertEquals("CodeInterpreterError", error(code).get("type"));
  }

  /** The agent's children, in the order they started. */
  static List<String> inStartOrder(List<Map<String, Object>> spans, Map<String, Object> agent) {
    return spans.stream().filter(s -> agent.get("span_id").equals(s.get("parent_id")))
        .sorted(java.util.Comparator.comparingLong(s -> ((Number) s.get("start_ns")).longValue()))
        .map(s -> kind(s) + " " + s.get("name")).collect(Collectors.toList());
  }

  @Test void anActionGroupThatFailsEndsItsToolSpanInErrorAndTheCallerGetsTheServicesException() {
    stub.reply(Reply.stream(List.of(
        orchestration("modelInvocationInput", modelIn("t-0", "You are a claims agent.")),
        orchestration("modelInvocationOutput", modelOut("t-0", "File the claim.", 900, 20)),
        orchestration("invocationInput", "{\"traceId\":\"t-0\",\"invocationType\":\"ACTION_GROUP\","
            + "\"actionGroupInvocationInput\":{\"actionGroupName\":\"claims\",\"function\":\"file_claim\"}}"),
        trace("{\"failureTrace\":{\"traceId\":\"t-0\",\"failureReason\":\"Lambda function claims-fn returned an error\"}}"),
        BedrockStub.exception("dependencyFailedException", "The action group's Lambda function failed"))));
    Seen seen = new Seen();
    CompletionException thrown = assertThrows(CompletionException.class,
        () -> inWorkflow(() -> agents.invokeAgent(ask(true), seen.handler()).join()));
    assertInstanceOf(DependencyFailedException.class, thrown.getCause(), "the service's exception, as without us");
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> agent = named(spans, "bedrock-agent-runtime.invoke_agent"), tool = named(spans, "claims.file_claim");
    assertEquals("error", tool.get("status"));
    assertEquals(Map.of("type", "AgentFailure", "message", "Lambda function claims-fn returned an error"), error(tool));
    assertEquals("error", agent.get("status"));
    assertEquals("Lambda function claims-fn returned an error", metadata(agent).get("failure_reason"));
  }

  @Test void aReturnOfControlIsAToolSpanTheCallerIsToRun() throws Exception {
    stub.reply(Reply.stream(List.of(
        orchestration("modelInvocationInput", modelIn("t-0", "You are a claims agent.")),
        orchestration("modelInvocationOutput", modelOut("t-0", "Ask the caller to pay.", 900, 20)),
        BedrockStub.event("returnControl", "{\"invocationId\":\"inv-1\",\"invocationInputs\":[{\"functionInvocationInput\":"
            + "{\"actionGroup\":\"claims\",\"function\":\"pay_claim\",\"parameters\":[{\"name\":\"amount\",\"type\":\"number\","
            + "\"value\":\"960\"}]}}]}"))));
    Seen seen = new Seen();
    inWorkflow(() -> agents.invokeAgent(ask(true), seen.handler()).join());
    assertEquals(List.of("trace", "trace", "returnControl"), seen.events);
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> agent = named(spans, "bedrock-agent-runtime.invoke_agent"), pay = named(spans, "claims.pay_claim");
    assertEquals(agent.get("span_id"), pay.get("parent_id"));
    assertEquals("tool", kind(pay));
    assertEquals(Map.of("value", "{\"amount\":\"960\"}"), meta(pay).get("input"));
    assertEquals(Map.of("return_of_control", true, "invocation_id", "inv-1"), metadata(pay));
    assertEquals("inv-1", metadata(agent).get("return_of_control"));
  }

  @Test void withoutTheTraceTheAgentSpanStandsAloneAndTheLogSaysHowToSeeItsSteps() throws Exception {
    stub.reply(Reply.stream(List.of(chunk("Claim 88412 is covered."))));
    try (LogCapture logs = new LogCapture()) {
      Seen seen = new Seen();
      inWorkflow(() -> agents.invokeAgent(ask(false), seen.handler()).join());
      List<Map<String, Object>> spans = flushed();
      assertEquals(2, spans.size(), "the caller's span and the agent's");
      assertEquals(Map.of("value", "Claim 88412 is covered."), meta(named(spans, "bedrock-agent-runtime.invoke_agent")).get("output"));
      assertTrue(logs.all().contains("enableTrace(true)"), logs.all()); // said once per process; no other test here turns the trace off
    }
  }

  @Test void anInlineAgentIsTracedTheSameWithTheModelItWasGiven() throws Exception {
    stub.reply(Reply.stream(List.of(
        orchestration("modelInvocationInput", "{\"traceId\":\"t-0\",\"text\":\"You triage claims.\",\"type\":\"ORCHESTRATION\"}"),
        orchestration("modelInvocationOutput", modelOut("t-0", "Triage: urgent.", 500, 10)),
        chunk("Urgent."))));
    StringBuilder answer = new StringBuilder();
    inWorkflow(() -> agents.invokeInlineAgent(r -> r.sessionId("claim-88412").inputText("Triage claim 88412")
        .foundationModel(MODEL).instruction("You triage insurance claims for the adjusters.").enableTrace(true),
        software.amazon.awssdk.services.bedrockagentruntime.model.InvokeInlineAgentResponseHandler.builder()
            .subscriber(software.amazon.awssdk.services.bedrockagentruntime.model.InvokeInlineAgentResponseHandler.Visitor
                .builder().onChunk(c -> answer.append(c.bytes().asUtf8String())).build()).build()).join());
    assertEquals("Urgent.", answer.toString());
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> agent = named(spans, "bedrock-agent-runtime.invoke_inline_agent"), llm = named(spans, "bedrock-agent.orchestration");
    assertEquals("agent", kind(agent));
    assertEquals(MODEL, metadata(agent).get("foundation_model"));
    assertEquals(agent.get("span_id"), llm.get("parent_id"));
    assertEquals(MODEL, meta(llm).get("model_name"), "the event names no model: the one the caller gave");
    assertEquals(Map.of("value", "Urgent."), meta(agent).get("output"));
  }

  static final String RAG_MODEL_ARN = "arn:aws:bedrock:us-east-1::foundation-model/" + MODEL;

  static List<byte[]> generationEvents() {
    return List.of(
        BedrockStub.event("output", "{\"text\":\"Sudden water damage \"}"),
        BedrockStub.event("output", "{\"text\":\"is covered.\"}"),
        BedrockStub.event("citation", "{\"generatedResponsePart\":{\"textResponsePart\":{\"text\":\"Sudden water damage is "
            + "covered.\"}},\"retrievedReferences\":[{\"content\":{\"text\":\"Clause 4.2: sudden water damage is covered.\"},"
            + "\"location\":{\"type\":\"S3\",\"s3Location\":{\"uri\":\"s3://policies/home.pdf\"}}}]}"),
        BedrockStub.event("guardrail", "{\"action\":\"NONE\"}"));
  }

  static software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateStreamResponseHandler generationHandler(
      StringBuilder text) {
    return generationHandler(text, new java.util.concurrent.Semaphore(0));
  }

  /** The same, releasing a permit of {@code heard} for each output event the caller hears. */
  static software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateStreamResponseHandler generationHandler(
      StringBuilder text, java.util.concurrent.Semaphore heard) {
    return software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateStreamResponseHandler.builder()
        .subscriber(software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateStreamResponseHandler.Visitor
            .builder().onOutput(o -> {
              text.append(o.text());
              heard.release();
            }).build()).build();
  }

  @SuppressWarnings("unchecked")
  @Test void aStreamedRetrieveAndGenerateIsTheSameWorkflowOfARetrievalAndAGeneration() throws Exception {
    stub.reply(Reply.stream(generationEvents()));
    StringBuilder text = new StringBuilder();
    inWorkflow(() -> agents.retrieveAndGenerateStream(r -> r.input(i -> i.text("Is water damage covered?"))
        .retrieveAndGenerateConfiguration(c -> c.type("KNOWLEDGE_BASE").knowledgeBaseConfiguration(k -> k
            .knowledgeBaseId("KB12345678").modelArn(RAG_MODEL_ARN))), generationHandler(text)).join());
    assertEquals("Sudden water damage is covered.", text.toString());
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> wf = named(spans, "bedrock-agent-runtime.retrieve_and_generate_stream");
    Map<String, Object> retrieval = named(spans, "bedrock-agent-runtime.retrieve"), llm = named(spans, "bedrock-agent-runtime.generate");
    assertEquals(wf.get("span_id"), retrieval.get("parent_id"));
    assertEquals(wf.get("span_id"), llm.get("parent_id"));
    assertEquals(Map.of("value", "Sudden water damage is covered."), meta(wf).get("output"));
    assertEquals(List.of(Map.of("text", "Clause 4.2: sudden water damage is covered.", "name", "s3://policies/home.pdf")),
        ((Map<String, Object>) meta(retrieval).get("output")).get("documents"));
    assertEquals(MODEL, meta(llm).get("model_name"));
    assertEquals("ok", wf.get("status"));
  }

  @Test void aStreamedRetrieveAndGenerateCutHalfwayEndsInErrorWithWhatArrived() throws Exception {
    java.util.concurrent.Semaphore heard = new java.util.concurrent.Semaphore(0);
    try (CutStreamServer cut = new CutStreamServer(generationEvents(), 1, heard, 1)) { // cut once the caller has it
      BedrockAgentRuntimeAsyncClient client = BedrockAgentRuntimeAsyncClient.builder().endpointOverride(cut.endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
          .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
          .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())).build();
      StringBuilder text = new StringBuilder();
      assertThrows(CompletionException.class, () -> inWorkflow(() -> client.retrieveAndGenerateStream(r -> r
          .input(i -> i.text("Is water damage covered?")).retrieveAndGenerateConfiguration(c -> c.type("KNOWLEDGE_BASE")
              .knowledgeBaseConfiguration(k -> k.knowledgeBaseId("KB12345678").modelArn(RAG_MODEL_ARN))),
          generationHandler(text, heard)).join()));
      assertEquals("Sudden water damage ", text.toString(), "one whole event reached the caller");
      List<Map<String, Object>> spans = flushed();
      Map<String, Object> wf = named(spans, "bedrock-agent-runtime.retrieve_and_generate_stream");
      assertEquals("error", wf.get("status"));
      assertEquals(Map.of("value", "Sudden water damage "), meta(wf).get("output"), "what arrived, kept");
      assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage "))),
          meta(named(spans, "bedrock-agent-runtime.generate")).get("output"));
    }
  }

  static Map<String, Object> named(List<Map<String, Object>> spans, String name) {
    return KnowledgeBasesAndGuardrailsTest.named(spans, name);
  }
}
