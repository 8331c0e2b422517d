package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.llmobs.langchain4j.LLMObsLangChain4j;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Example 4: a LangChain4j AI Service on Lambda, over Amazon Bedrock, with one tool and a retriever. The handler is
 * traced with no code (the layer's exec wrapper); the AI Service would be too (the layer registers our AI Service
 * listeners through LangChain4j's service loader), and one line each adds the rest: the claim as the session, the
 * retriever's queries and documents, LangChain4j's view of each model call. Per invocation the trace is the agent
 * span with a retrieval, the model call that asks for the tool, the tool, and the final model call; each model call
 * is a {@code workflow} {@code langchain4j.chat} whose {@code llm} span, with the tokens, is our Bedrock
 * interceptor's.
 *
 * <p>Event: {@code {"claimId": "88412", "question": "Is water damage from a burst pipe covered?"}}. Model: env
 * {@code MODEL_ID}; region and endpoint from the usual AWS variables. Each claim keeps its own chat memory while the
 * function stays warm.
 */
public class ClaimsAgent implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  interface Assistant {
    @SystemMessage("You answer questions about home insurance claims from the policy clauses you are given."
        + " Check the claim's status with the tool before you answer.")
    String answer(@MemoryId String claimId, @UserMessage String question);
  }

  /** The tool the model may call: a claims system, here a table. */
  static final class ClaimTools {
    @Tool("Status of a claim: when it was reported and its cause")
    String get_claim_status(@P("the claim id") String claimId) {
      return "{\"claimId\":\"" + claimId + "\",\"reported\":\"2026-11-02\",\"cause\":\"burst pipe\",\"status\":\"open\"}";
    }
  }

  static final List<String> POLICY = List.of(
      "Clause 4.2: sudden and accidental water damage, such as a burst pipe, is covered up to the limit.",
      "Clause 4.3: gradual damage, seepage and lack of maintenance are excluded.",
      "Clause 7.1: claims must be reported within 30 days.");

  /** Policy clauses sharing words with the question, best first, with a score: a vector store's stand-in. */
  static final ContentRetriever POLICY_SEARCH = query -> {
    List<Content> found = new ArrayList<>();
    String q = query.text().toLowerCase(Locale.ROOT);
    for (String clause : POLICY) {
      int shared = 0;
      String[] words = clause.toLowerCase(Locale.ROOT).split("\\W+");
      for (String w : words) if (w.length() > 3 && q.contains(w)) shared++;
      if (shared > 0) {
        found.add(Content.from(TextSegment.from(clause), Map.of(ContentMetadata.SCORE, Math.min(1.0, shared / 4.0))));
      }
    }
    found.sort((a, b) -> Double.compare((Double) b.metadata().get(ContentMetadata.SCORE),
        (Double) a.metadata().get(ContentMetadata.SCORE)));
    return found;
  };

  static final String MODEL_ID = System.getenv().getOrDefault("MODEL_ID", "us.anthropic.claude-3-5-haiku-20241022-v1:0");

  // Built once, at Init, as Lambda recommends.
  private static final Assistant ASSISTANT = AiServices.builder(Assistant.class)
      .chatModel(BedrockChatModel.builder()
          .client(BedrockRuntimeClient.builder().httpClient(UrlConnectionHttpClient.create()).build())
          .modelId(MODEL_ID)
          .listeners(List.of(LLMObsLangChain4j.listener())) // LangChain4j's view of each model call
          .build())
      .tools(new ClaimTools())
      .contentRetriever(POLICY_SEARCH.addListener(LLMObsLangChain4j.retrieverListener())) // the retrieval span
      .chatMemoryProvider(claimId -> MessageWindowChatMemory.withMaxMessages(20))
      .registerListeners(LLMObsLangChain4j.aiServiceListenersWithMemoryIdAsSession()) // the claim as session_id
      .build();

  @Override public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    String claimId = String.valueOf(event.getOrDefault("claimId", "unknown"));
    String question = String.valueOf(event.getOrDefault("question", ""));
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("claimId", claimId);
    response.put("answer", ASSISTANT.answer(claimId, question));
    return response;
  }
}
