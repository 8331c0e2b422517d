package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import dev.llmobs.LLMObs;
import dev.llmobs.anthropic.LLMObsAnthropic;
import dev.llmobs.lambda.LLMObsLambda;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Example 5: claims triage with the Anthropic Java SDK, called directly. The client is traced with one line
 * ({@link LLMObsAnthropic#wrap}); the handler with {@link LLMObsLambda#wrap}. Per invocation: a Messages call that asks
 * for a tool (an {@code llm} span), the tool (a {@code tool} span), and the Messages call that answers.
 *
 * <p>Event: {@code {"claimId": "88412", "description": "A pipe burst in the kitchen"}}. API key and base URL from
 * {@code ANTHROPIC_API_KEY} and {@code ANTHROPIC_BASE_URL} (the SDK's own variables); model from {@code MODEL}.
 */
public class ClaimsTriage implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  static final String MODEL = System.getenv().getOrDefault("MODEL", "claude-sonnet-4-5");

  // Built once, at Init, as Lambda recommends; traced by one line.
  private static final AnthropicClient CLAUDE = LLMObsAnthropic.wrap(AnthropicOkHttpClient.fromEnv());

  static final Tool POLICY_LOOKUP = Tool.builder().name("policy_lookup").description("The policy clauses of a claim")
      .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
          .putAdditionalProperty("claimId", JsonValue.from(Map.of("type", "string"))).build())
          .required(List.of("claimId")).build()).build();

  private final RequestHandler<Map<String, Object>, Map<String, Object>> traced = LLMObsLambda.wrap(this::triage);

  @Override public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    return traced.handleRequest(event, context);
  }

  private Map<String, Object> triage(Map<String, Object> event, Context context) {
    String claimId = String.valueOf(event.getOrDefault("claimId", "unknown"));
    LLMObs.currentSpan().sessionId("claim-" + claimId).tag("claim_id", claimId);
    MessageCreateParams ask = MessageCreateParams.builder().model(MODEL).maxTokens(512)
        .system("You triage insurance claims: urgent, standard or reject, with one sentence why.")
        .addTool(POLICY_LOOKUP)
        .addUserMessage("Claim " + claimId + ": " + event.getOrDefault("description", "")).build();
    Message first = CLAUDE.messages().create(ask);
    MessageCreateParams.Builder next = ask.toBuilder().addMessage(first);
    for (ContentBlock block : first.content()) {
      if (!block.isToolUse()) continue;
      ToolUseBlock use = block.asToolUse();
      String clauses = LLMObs.tool(use.name(), () -> {
        String found = policyClauses(claimId);
        LLMObs.currentSpan().input(String.valueOf(use._input())).output(found);
        return found;
      });
      next.addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
          ToolResultBlockParam.builder().toolUseId(use.id()).content(clauses).build())));
    }
    Message answer = first.stopReason().map(r -> r.asString().equals("tool_use")).orElse(false)
        ? CLAUDE.messages().create(next.build()) : first;
    StringBuilder text = new StringBuilder();
    for (ContentBlock block : answer.content()) block.text().ifPresent(t -> text.append(t.text()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("claimId", claimId);
    out.put("triage", text.toString());
    return out;
  }

  /** The tool: a policy store in a real function; fixed clauses here. */
  static String policyClauses(String claimId) {
    return "Clause 4.2: sudden water damage is covered. Clause 7.1: report within 30 days.";
  }
}
