package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.llmobs.Evaluation;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.SpanContext;
import dev.llmobs.lambda.LLMObsLambda;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Example 3: manual spans and an evaluation submitted from code, adopting through {@code LLMObsLambda.wrap}. A
 * {@code task} validates the question, a manually annotated {@code llm} span stands for a model this function calls
 * itself, and a rule-based check scores the answer: the evaluation is joined to the llm span by its exported ids.
 * A question that is missing fails the invocation with {@code IllegalArgumentException}, recorded on the root span.
 */
public class EvaluatedAnswer implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final RequestHandler<Map<String, Object>, Map<String, Object>> traced = LLMObsLambda.wrap(this::answer);

  @Override public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    return traced.handleRequest(event, context);
  }

  private Map<String, Object> answer(Map<String, Object> event, Context context) {
    String question = LLMObs.task("validate", () -> {
      Object q = event.get("question");
      if (q == null || q.toString().isBlank()) throw new IllegalArgumentException("question is required");
      return q.toString().trim();
    });

    String answer;
    SpanContext llmIds;
    try (LLMObsSpan llm = LLMObs.llm("rules-model", "claims-rules-v3", "custom")) {
      answer = question.toLowerCase().contains("water")
          ? "Sudden water damage is covered by clause 4.2." : "Please contact your agent.";
      llm.inputMessages(List.of(Message.system("Answer from the rules."), Message.user(question)))
          .outputMessages(List.of(Message.assistant(answer)))
          .metadata("temperature", 0).tokens(question.length() / 4 + 1, answer.length() / 4 + 1);
      llmIds = LLMObs.exportSpan(llm);
    }

    boolean cites = answer.contains("clause");
    LLMObs.submitEvaluation(Evaluation.categorical("cites_policy", cites ? "yes" : "no").forSpan(llmIds)
        .assessment(cites).reasoning(cites ? "names a clause" : "names no clause").tag("evaluator", "rules"));
    LLMObs.submitEvaluation(Evaluation.score("answer_length", answer.length()).forSpan(llmIds));

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("answer", answer);
    out.put("citesPolicy", cites);
    return out;
  }
}
