package com.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.llmobs.Document;
import dev.llmobs.Evaluation;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.SpanContext;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import dev.llmobs.lambda.LLMObsLambda;
import java.util.List;
import java.util.Map;

/**
 * Adopts through {@code LLMObsLambda.wrap} and annotates by hand every kind of content the viewer shows: a retrieval
 * with scored documents, an llm span that asks for a tool (messages, tool calls, tokens, metadata), the tool, an llm
 * span with the tool's result, a failing task, and an evaluation joined to the answer.
 */
public class Assistant implements RequestHandler<Map<String, Object>, String> {
  private final RequestHandler<Map<String, Object>, String> traced = LLMObsLambda.wrap(this::answer);

  @Override public String handleRequest(Map<String, Object> event, Context context) {
    return traced.handleRequest(event, context);
  }

  private String answer(Map<String, Object> event, Context context) {
    String question = String.valueOf(event.getOrDefault("question", "Is a burst pipe covered?"));
    LLMObs.currentSpan().sessionId(String.valueOf(event.getOrDefault("sessionId", "claim-88412")));
    LLMObs.retrieval("policy-search", () -> {
      LLMObs.currentSpan().input(question).outputDocuments(List.of(
          Document.of("Clause 4.2: sudden water damage is covered.").withName("policy.pdf").withId("c42").withScore(0.81),
          Document.of("Clause 4.3: seepage is excluded.").withName("policy.pdf").withId("c43").withScore(0.58)));
    });
    try (LLMObsSpan llm = LLMObs.llm("plan", "claude-local", "anthropic")) {
      llm.inputMessages(List.of(Message.system("Answer from the clauses."), Message.user(question)))
          .outputMessages(List.of(Message.assistant("").withToolCalls(
              List.of(ToolCall.of("get_claim_status", Map.of("claimId", "88412"), "call-1")))))
          .metadata("temperature", 0.2).tokens(120, 18);
    }
    String status = LLMObs.tool("get_claim_status", () -> {
      LLMObs.currentSpan().input("{\"claimId\":\"88412\"}").output("OPEN");
      return "OPEN";
    });
    String answer = "Yes: clause 4.2 covers a burst pipe. Your claim is " + status + ".";
    SpanContext ids;
    try (LLMObsSpan llm = LLMObs.llm("answer", "claude-local", "anthropic")) {
      llm.inputMessages(List.of(Message.user(question), Message.of("tool", "").withToolResults(
              List.of(ToolResult.of("get_claim_status", status, "call-1")))))
          .outputMessages(List.of(Message.assistant(answer))).tokens(160, 24);
      ids = LLMObs.exportSpan(llm);
    }
    try {
      LLMObs.task("notify-handler", (dev.llmobs.SpanRunnable<IllegalStateException>) () -> {
        throw new IllegalStateException("the notification queue is down");
      });
    } catch (IllegalStateException expected) {
      // recorded on the task span; the answer still goes out
    }
    LLMObs.submitEvaluation(Evaluation.score("groundedness", 0.9).forSpan(ids).reasoning("cites clause 4.2"));
    return answer;
  }
}
