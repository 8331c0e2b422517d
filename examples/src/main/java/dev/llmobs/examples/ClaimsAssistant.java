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
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Example 1: a RAG-style claims assistant, adopting through the base class. Per invocation: a retrieval over
 * policy clauses (a {@code retrieval} span), a Bedrock Converse call that asks for a tool (an {@code llm} span,
 * recorded automatically), the tool call (a {@code tool} span), and the final Converse call, all under the
 * invocation's root span and grouped by the claim's session id.
 *
 * <p>Event: {@code {"claimId": "88412", "question": "Is water damage from a burst pipe covered?"}}. Model: env
 * {@code MODEL_ID} (default a Claude 3.5 Haiku cross-region profile); region and endpoint from the usual AWS
 * variables.
 */
public class ClaimsAssistant extends TracedRequestHandler<Map<String, Object>, Map<String, Object>> {
  static final String MODEL_ID = System.getenv().getOrDefault("MODEL_ID", "us.anthropic.claude-3-5-haiku-20241022-v1:0");

  // Built once, at Init, as Lambda recommends; our interceptor is picked up from the layer automatically.
  private static final BedrockRuntimeClient BEDROCK = BedrockRuntimeClient.builder()
      .httpClient(UrlConnectionHttpClient.create()).build();

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

    List<Document> clauses = LLMObs.retrieval("policy-search", () -> search(question));
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
