package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import dev.llmobs.Document;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import dev.llmobs.lambda.TracedRequestHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A RAG-style claims assistant adopting through the base class: a retrieval over policy clauses, a model call that
 * asks for a tool, the tool call, and a final model call, all under the invocation's root span, grouped by the
 * caller's session id.
 *
 * <p>The model is a {@link Model}: in Lambda it calls Amazon Bedrock; locally the demo plugs in a deterministic one.
 */
public class ClaimsAssistant extends TracedRequestHandler<Map<String, Object>, Map<String, Object>> {
  /** A chat model: messages in, one assistant message and token counts out. */
  public interface Model {
    Reply reply(List<Message> conversation);

    String name();
  }

  /** What the model answered. */
  public static final class Reply {
    final Message message;
    final int inputTokens, outputTokens;

    public Reply(Message message, int inputTokens, int outputTokens) {
      this.message = message;
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
    }
  }

  static final List<Document> POLICY = List.of(
      Document.of("Clause 4.2: sudden and accidental water damage, such as a burst pipe, is covered up to the limit.")
          .withId("4.2").withName("policy-88412"),
      Document.of("Clause 4.3: gradual damage, seepage and lack of maintenance are excluded.")
          .withId("4.3").withName("policy-88412"),
      Document.of("Clause 7.1: claims must be reported within 30 days.").withId("7.1").withName("policy-88412"));

  private final Model model;

  public ClaimsAssistant() {
    this(new LocalModel());
  }

  public ClaimsAssistant(Model model) {
    this.model = model;
  }

  @Override protected Map<String, Object> handle(Map<String, Object> event, Context context) {
    String question = String.valueOf(event.getOrDefault("question", ""));
    String claimId = String.valueOf(event.getOrDefault("claimId", "unknown"));
    LLMObsSpan root = LLMObs.currentSpan();
    root.sessionId("claim-" + claimId).tag("claim_id", claimId);

    List<Document> clauses = LLMObs.retrieval("policy-search", () -> search(question));

    List<Message> conversation = new ArrayList<>();
    conversation.add(Message.system("Answer from these policy clauses only:\n" + join(clauses)));
    conversation.add(Message.user(question));
    Reply first = call(conversation);
    conversation.add(first.message);

    Message finalMessage = first.message;
    if (!first.message.toolCalls().isEmpty()) {
      ToolCall call = first.message.toolCalls().get(0);
      String status = LLMObs.tool(call.name(), () -> claimStatus(claimId));
      conversation.add(Message.of("user", "").withToolResults(
          List.of(ToolResult.of(call.name(), status, call.toolId(), "toolResult"))));
      finalMessage = call(conversation).message;
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("claimId", claimId);
    response.put("answer", finalMessage.content());
    return response;
  }

  private Reply call(List<Message> conversation) {
    try (LLMObsSpan llm = LLMObs.llm("chat", model.name(), "amazon_bedrock")) {
      llm.inputMessages(conversation).metadata("temperature", 0.2).metadata("max_tokens", 400);
      Reply r = model.reply(conversation);
      llm.outputMessages(List.of(r.message)).tokens(r.inputTokens, r.outputTokens);
      return r;
    }
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

  private static String join(List<Document> docs) {
    StringBuilder b = new StringBuilder();
    for (Document d : docs) b.append("- ").append(d.text()).append('\n');
    return b.toString();
  }

  /** A deterministic stand-in for Bedrock: asks for the claim's status once, then answers from the clauses. */
  static final class LocalModel implements Model {
    @Override public String name() {
      return "anthropic.claude-3-5-haiku-20241022-v1:0";
    }

    @Override public Reply reply(List<Message> conversation) {
      boolean haveStatus = false;
      for (Message m : conversation) haveStatus |= !m.toolResults().isEmpty();
      int in = 0;
      for (Message m : conversation) in += (m.content() == null ? 0 : m.content().length()) / 4 + 4;
      if (!haveStatus) {
        return new Reply(Message.assistant("Let me check the claim first.").withToolCalls(List.of(
            ToolCall.of("get_claim_status", Map.of("claimId", "88412"), "tooluse_demo1", "toolUse"))), in, 18);
      }
      return new Reply(Message.assistant("Yes. A burst pipe is sudden water damage, covered by clause 4.2 up to the"
          + " policy limit, and the claim was reported within the 30 days of clause 7.1."), in, 41);
    }
  }
}
