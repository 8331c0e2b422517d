package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.bedrock.BedrockStub.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Knowledge Bases (the real Bedrock Agent Runtime clients, sync and async) and Guardrails (ApplyGuardrail, Converse
 * with a guardrail) against the loopback stub; trees read whole at the intake.
 */
class KnowledgeBasesAndGuardrailsTest extends BedrockTest {
  static final String KB = "KB12345678";
  static final String RETRIEVED = "{\"retrievalResults\":["
      + "{\"content\":{\"text\":\"Clause 4.2: sudden water damage is covered.\",\"type\":\"TEXT\"},"
      + "\"location\":{\"type\":\"S3\",\"s3Location\":{\"uri\":\"s3://policies/home.pdf\"}},\"score\":0.82,"
      + "\"metadata\":{\"x-amz-bedrock-kb-chunk-id\":\"chunk-1\",\"page\":3}},"
      + "{\"content\":{\"text\":\"Clause 4.3: gradual leaks are not.\",\"type\":\"TEXT\"},"
      + "\"location\":{\"type\":\"WEB\",\"webLocation\":{\"url\":\"https://example.com/policy\"}},\"score\":0.61}]}";
  static final String RAG = "{\"sessionId\":\"bedrock-session-1\",\"output\":{\"text\":\"Sudden water damage is covered.\"},"
      + "\"citations\":[{\"generatedResponsePart\":{\"textResponsePart\":{\"text\":\"Sudden water damage is covered.\","
      + "\"span\":{\"start\":0,\"end\":31}}},\"retrievedReferences\":[{\"content\":{\"text\":\"Clause 4.2: sudden water "
      + "damage is covered.\"},\"location\":{\"type\":\"S3\",\"s3Location\":{\"uri\":\"s3://policies/home.pdf\"}},"
      + "\"metadata\":{\"x-amz-bedrock-kb-chunk-id\":\"chunk-1\"}}]}],\"guardrailAction\":\"NONE\"}";
  static final String APPLIED = "{\"usage\":{\"topicPolicyUnits\":1,\"contentPolicyUnits\":1,\"wordPolicyUnits\":0,"
      + "\"sensitiveInformationPolicyUnits\":1,\"sensitiveInformationPolicyFreeUnits\":0,\"contextualGroundingPolicyUnits\":0},"
      + "\"action\":\"GUARDRAIL_INTERVENED\",\"outputs\":[{\"text\":\"Sorry, I can't give legal advice.\"}],"
      + "\"assessments\":[{\"topicPolicy\":{\"topics\":[{\"name\":\"legal-advice\",\"type\":\"DENY\",\"action\":\"BLOCKED\"}]}}]}";
  static final String CONVERSE_BLOCKED = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":"
      + "\"Sorry, I can't give legal advice.\"}]}},\"stopReason\":\"guardrail_intervened\",\"usage\":{\"inputTokens\":14,"
      + "\"outputTokens\":0,\"totalTokens\":14},\"metrics\":{\"latencyMs\":90},\"trace\":{\"guardrail\":{\"inputAssessment\":"
      + "{\"gr-claims\":{\"topicPolicy\":{\"topics\":[{\"name\":\"legal-advice\",\"type\":\"DENY\",\"action\":\"BLOCKED\"}]}}}}}}";

  static BedrockAgentRuntimeClient agents;
  static BedrockAgentRuntimeAsyncClient agentsAsync;

  @BeforeAll static void agentClients() {
    agents = BedrockAgentRuntimeClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    agentsAsync = BedrockAgentRuntimeAsyncClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
  }

  @AfterAll static void closeAgents() {
    agents.close();
  }

  @SuppressWarnings("unchecked")
  @Test void aKnowledgeBaseRetrieveIsARetrievalSpanWithItsDocuments() throws Exception {
    stub.reply(Reply.json(RETRIEVED));
    RetrieveResponse response = inWorkflow(() -> agents.retrieve(r -> r.knowledgeBaseId(KB)
        .retrievalQuery(q -> q.text("Is water damage covered?"))
        .retrievalConfiguration(c -> c.vectorSearchConfiguration(v -> v.numberOfResults(5).overrideSearchType("HYBRID")))));
    assertEquals(2, response.retrievalResults().size(), "the caller's answer");
    assertEquals("/knowledgebases/" + KB + "/retrieve", stub.received.get(0).path);
    List<Map<String, Object>> spans = flushed();
    Map<String, Object> root = named(spans, "caller"), retrieval = named(spans, "bedrock-agent-runtime.retrieve");
    assertEquals(2, spans.size());
    assertEquals(root.get("span_id"), retrieval.get("parent_id"));
    assertEquals("retrieval", kind(retrieval));
    assertEquals(Map.of("value", "Is water damage covered?"), meta(retrieval).get("input"));
    assertEquals(Map.of("documents", List.of(
        Map.of("text", "Clause 4.2: sudden water damage is covered.", "name", "s3://policies/home.pdf", "id", "chunk-1", "score", 0.82),
        Map.of("text", "Clause 4.3: gradual leaks are not.", "name", "https://example.com/policy", "score", 0.61))),
        meta(retrieval).get("output"));
    Map<String, Object> md = metadata(retrieval);
    assertEquals(KB, md.get("knowledge_base_id"));
    assertEquals(5, md.get("number_of_results"));
    assertEquals("HYBRID", md.get("search_type"));
    assertEquals(List.of(Map.of("x-amz-bedrock-kb-chunk-id", "chunk-1", "page", 3), Map.of()), md.get("document_metadata"));
    assertEquals("ok", retrieval.get("status"));
  }

  @Test void aRetrieveThatFindsNothingSaysSo() throws Exception {
    stub.reply(Reply.json("{\"retrievalResults\":[]}"));
    inWorkflow(() -> agentsAsync.retrieve(r -> r.knowledgeBaseId(KB).retrievalQuery(q -> q.text("Pets?"))).join());
    Map<String, Object> retrieval = bedrockSpan();
    assertEquals(Map.of("documents", List.of()), meta(retrieval).get("output"), "an empty result, not a missing one");
  }

  @Test void aThrottledThenSuccessfulRetrieveIsOneSpanWithItsAttempts() throws Exception {
    stub.reply(Reply.error(429, "ThrottlingException", "Rate exceeded"), Reply.json(RETRIEVED));
    inWorkflow(() -> agents.retrieve(r -> r.knowledgeBaseId(KB).retrievalQuery(q -> q.text("Is water damage covered?"))));
    Map<String, Object> retrieval = bedrockSpan();
    assertEquals(2, metadata(retrieval).get("attempts"));
    assertEquals(List.of("ThrottlingException (HTTP 429)"), metadata(retrieval).get("retried_errors"));
    assertEquals("ok", retrieval.get("status"));
  }

  @SuppressWarnings("unchecked")
  @Test void retrieveAndGenerateIsAWorkflowOfARetrievalAndAGeneration() throws Exception {
    stub.reply(Reply.json(RAG));
    RetrieveAndGenerateResponse response = inWorkflow(() -> agentsAsync.retrieveAndGenerate(r -> r
        .input(i -> i.text("Is water damage covered?")).sessionId("bedrock-session-1")
        .retrieveAndGenerateConfiguration(c -> c.type("KNOWLEDGE_BASE").knowledgeBaseConfiguration(k -> k.knowledgeBaseId(KB)
            .modelArn("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0")))).join());
    assertEquals("Sudden water damage is covered.", response.output().text());
    List<Map<String, Object>> spans = flushed();
    assertEquals(4, spans.size(), "caller, workflow, retrieval, llm: " + spans);
    Map<String, Object> root = named(spans, "caller"), wf = named(spans, "bedrock-agent-runtime.retrieve_and_generate");
    Map<String, Object> retrieval = named(spans, "bedrock-agent-runtime.retrieve"), llm = named(spans, "bedrock-agent-runtime.generate");
    assertEquals(root.get("span_id"), wf.get("parent_id"));
    assertEquals(wf.get("span_id"), retrieval.get("parent_id"));
    assertEquals(wf.get("span_id"), llm.get("parent_id"));
    assertEquals("workflow", kind(wf));
    assertEquals("bedrock-session-1", meta(wf).get("session_id") == null ? wf.get("session_id") : meta(wf).get("session_id"));
    assertEquals(Map.of("value", "Sudden water damage is covered."), meta(wf).get("output"));
    assertEquals(List.of(Map.of("text", "Clause 4.2: sudden water damage is covered.", "name", "s3://policies/home.pdf",
        "id", "chunk-1")), ((Map<String, Object>) meta(retrieval).get("output")).get("documents"));
    assertEquals("anthropic.claude-3-5-haiku-20241022-v1:0", meta(llm).get("model_name"));
    assertEquals(Map.of("messages", List.of(Map.of("role", "assistant", "content", "Sudden water damage is covered."))),
        meta(llm).get("output"));
    assertEquals(1, metadata(llm).get("citations"));
    assertFalse(tags(wf).stream().anyMatch(t -> t.startsWith("bedrock.guardrail_action")), "NONE is no intervention");
  }

  @Test void applyGuardrailIsATaskSpanAndAnInterventionIsTaggedNotAnError() throws Exception {
    stub.reply(Reply.json(APPLIED));
    ApplyGuardrailResponse response = inWorkflow(() -> sync.applyGuardrail(r -> r.guardrailIdentifier("gr-claims")
        .guardrailVersion("1").source(GuardrailContentSource.INPUT)
        .content(c -> c.text(t -> t.text("Can I sue my neighbour over the leak?")))));
    assertEquals("GUARDRAIL_INTERVENED", response.actionAsString());
    Map<String, Object> task = bedrockSpan();
    assertEquals("bedrock-runtime.apply_guardrail", task.get("name"));
    assertEquals("task", kind(task));
    assertEquals("ok", task.get("status"));
    assertTrue(tags(task).contains("bedrock.guardrail_action:guardrail_intervened"), tags(task).toString());
    assertEquals(Map.of("value", "Can I sue my neighbour over the leak?"), meta(task).get("input"));
    assertEquals(Map.of("value", "Sorry, I can't give legal advice."), meta(task).get("output"));
    Map<String, Object> md = metadata(task);
    assertEquals("gr-claims", md.get("guardrail_id"));
    assertEquals("INPUT", md.get("source"));
    assertEquals("GUARDRAIL_INTERVENED", md.get("action"));
    assertEquals(List.of(Map.of("topicPolicy", Map.of("topics", List.of(Map.of("name", "legal-advice", "type", "DENY",
        "action", "BLOCKED"))))), md.get("assessments"));
    assertMetric(task, "topic_policy_units", 1);
    assertMetric(task, "sensitive_information_policy_units", 1);
  }

  @Test void aConverseGuardrailThatIntervenesIsVisibleOnTheLlmSpanNotAnError() throws Exception {
    stub.reply(Reply.json(CONVERSE_BLOCKED));
    ConverseResponse response = inWorkflow(() -> sync.converse(r -> r.modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
        .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Can I sue?")).build())
        .guardrailConfig(g -> g.guardrailIdentifier("gr-claims").guardrailVersion("1").trace("enabled"))));
    assertEquals("guardrail_intervened", response.stopReasonAsString());
    Map<String, Object> llm = bedrockSpan();
    assertEquals("ok", llm.get("status"));
    assertTrue(tags(llm).contains("bedrock.guardrail_action:guardrail_intervened"), tags(llm).toString());
    Map<String, Object> md = metadata(llm);
    assertEquals("guardrail_intervened", md.get("stop_reason"));
    assertEquals(Map.of("guardrailIdentifier", "gr-claims", "guardrailVersion", "1", "trace", "enabled"), md.get("guardrail_config"));
    assertEquals(Map.of("inputAssessment", Map.of("gr-claims", Map.of("topicPolicy", Map.of("topics", List.of(Map.of(
        "name", "legal-advice", "type", "DENY", "action", "BLOCKED")))))), md.get("guardrail_trace"));
  }

  static Map<String, Object> named(List<Map<String, Object>> spans, String name) {
    return spans.stream().filter(s -> name.equals(s.get("name"))).findFirst().orElseThrow(() -> new AssertionError(name + " in " + spans));
  }

}
