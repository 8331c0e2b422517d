package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import dev.llmobs.Document;
import dev.llmobs.LLMObs;
import dev.llmobs.lambda.TracedRequestHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAction;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Example 1: a RAG-style claims assistant, adopting through the base class. Per invocation: the question checked by
 * a Bedrock guardrail (a {@code task} span, recorded automatically; an intervention answers at once), a retrieval of
 * policy clauses from a Bedrock Knowledge Base (a {@code retrieval} span, automatic), a Bedrock Converse call that
 * asks for a tool (an {@code llm} span, automatic), the tool call (a {@code tool} span), and the final Converse call,
 * all under the invocation's root span and grouped by the claim's session id.
 *
 * <p>Event: {@code {"claimId": "88412", "question": "Is water damage from a burst pipe covered?"}}. Model: env
 * {@code MODEL_ID} (default a Claude 3.5 Haiku cross-region profile); knowledge base: {@code KNOWLEDGE_BASE_ID}
 * (unset: the clauses below, searched in code, a retrieval span made by hand); guardrail: {@code GUARDRAIL_ID} and
 * {@code GUARDRAIL_VERSION} (unset: no check); region and endpoints from the usual AWS variables.
 */
public class ClaimsAssistant extends TracedRequestHandler<Map<String, Object>, Map<String, Object>> {
  static final String MODEL_ID = System.getenv().getOrDefault("MODEL_ID", "us.anthropic.claude-3-5-haiku-20241022-v1:0");

  static final String KNOWLEDGE_BASE_ID = blankToNull(System.getenv("KNOWLEDGE_BASE_ID"));
  static final String GUARDRAIL_ID = blankToNull(System.getenv("GUARDRAIL_ID"));
  static final String GUARDRAIL_VERSION = System.getenv().getOrDefault("GUARDRAIL_VERSION", "DRAFT");

  // Built once, at Init, as Lambda recommends; our interceptor is picked up from the layer automatically.
  private static final BedrockRuntimeClient BEDROCK = BedrockRuntimeClient.builder()
      .httpClient(UrlConnectionHttpClient.create()).build();
  private static final BedrockAgentRuntimeClient KNOWLEDGE_BASES = KNOWLEDGE_BASE_ID == null ? null
      : BedrockAgentRuntimeClient.builder().httpClient(UrlConnectionHttpClient.create()).build();

  static final List<Document> POLICY = List.of(
      Document.of("Clause 4.2: sudden and accidental water damage, such as a burst pipe, is covered up to the limit.")
          .withId("4.2").withName("policy-88412"),
      Document.of("Clause 4.3: gradual damage, seepage and lack of maintenance are excluded.")
          .withId("4.3").withName("policy-88412"),
      Document.of("Clause 7.1: claims must be reported within 30 days.").withId("7.1").withName("policy-88412"));

  static final Tool CLAIM_STATUS = Tool.builder().toolSpec(ToolSpecification.builder().name("get_claim_status")
      .description("Status of a claim: when it was reported and its cause")
      .inputSchema(ToolInputSchema.fromJson(software.amazon.awssdk.core.document.Document.mapBuilder()
          .putString("type", "object").build())).build()).build();

  @Override protected Map<String, Object> handle(Map<String, Object> event, Context context) {
    String question = String.valueOf(event.getOrDefault("question", ""));
    String claimId = String.valueOf(event.getOrDefault("claimId", "unknown"));
    LLMObs.currentSpan().sessionId("claim-" + claimId).tag("claim_id", claimId);

    if (GUARDRAIL_ID != null) {
      ApplyGuardrailResponse check = BEDROCK.applyGuardrail(g -> g.guardrailIdentifier(GUARDRAIL_ID)
          .guardrailVersion(GUARDRAIL_VERSION).source(GuardrailContentSource.INPUT).content(c -> c.text(t -> t.text(question))));
      if (check.action() == GuardrailAction.GUARDRAIL_INTERVENED) {
        StringBuilder refusal = new StringBuilder();
        check.outputs().forEach(o -> refusal.append(o.text()));
        return Map.of("claimId", claimId, "answer", refusal.toString());
      }
    }
    List<Document> clauses = KNOWLEDGE_BASES != null ? knowledgeBase(question)
        : LLMObs.retrieval("policy-search", () -> search(question));
    StringBuilder context1 = new StringBuilder("Answer from these policy clauses only:\n");
    for (Document d : clauses) context1.append("- ").append(d.text()).append('\n');

    List<Message> conversation = new ArrayList<>();
    conversation.add(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(question)).build());
    ConverseResponse reply = converse(context1.toString(), conversation);
    if ("tool_use".equals(reply.stopReasonAsString())) {
      conversation.add(reply.output().message());
      for (ContentBlock block : reply.output().message().content()) {
        ToolUseBlock use = block.toolUse();
        if (use == null) continue;
        String status = LLMObs.tool(use.name(), () -> claimStatus(claimId));
        conversation.add(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromToolResult(
            ToolResultBlock.builder().toolUseId(use.toolUseId())
                .content(ToolResultContentBlock.fromText(status)).build())).build());
      }
      reply = converse(context1.toString(), conversation);
    }
    StringBuilder answer = new StringBuilder();
    for (ContentBlock b : reply.output().message().content()) if (b.text() != null) answer.append(b.text());

    Map<String, Object> response = new LinkedHashMap<>();
    response.put("claimId", claimId);
    response.put("answer", answer.toString());
    return response;
  }

  private static ConverseResponse converse(String system, List<Message> conversation) {
    return BEDROCK.converse(ConverseRequest.builder().modelId(MODEL_ID)
        .system(SystemContentBlock.builder().text(system).build())
        .messages(conversation)
        .inferenceConfig(c -> c.maxTokens(400).temperature(0.2f))
        .toolConfig(t -> t.tools(CLAIM_STATUS))
        .build());
  }

  /** The policy clauses the knowledge base finds for the question (its retrieval span is recorded for us). */
  static List<Document> knowledgeBase(String question) {
    List<Document> clauses = new ArrayList<>();
    KNOWLEDGE_BASES.retrieve(r -> r.knowledgeBaseId(KNOWLEDGE_BASE_ID).retrievalQuery(q -> q.text(question))
        .retrievalConfiguration(c -> c.vectorSearchConfiguration(v -> v.numberOfResults(3))))
        .retrievalResults().forEach(res -> clauses.add(Document.of(res.content().text())));
    return clauses;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  static List<Document> search(String question) {
    List<Document> hits = new ArrayList<>();
    String q = question.toLowerCase(Locale.ROOT);
    for (Document d : POLICY) {
      int score = 0;
      for (String word : q.split("\\W+")) if (word.length() > 3 && d.text().toLowerCase(Locale.ROOT).contains(word)) score++;
      if (score > 0) hits.add(d.withScore(score));
    }
    LLMObs.currentSpan().input(question).outputDocuments(hits);
    return hits;
  }

  static String claimStatus(String claimId) {
    LLMObs.currentSpan().input("{\"claimId\":\"" + claimId + "\"}");
    return "{\"claimId\":\"" + claimId + "\",\"reportedDaysAgo\":3,\"cause\":\"burst pipe\"}";
  }

}
