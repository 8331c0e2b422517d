package dev.llmobs.examples.zerocode;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.service.AiServices;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * A LangChain4j AI Service on Lambda with no line of ours and no llmobs import: what the layer and the exec wrapper
 * alone make of it (a test function, packaged only by the test that runs it).
 */
public class UntracedAgent implements RequestHandler<Map<String, Object>, String> {
  interface Assistant {
    String answer(String question);
  }

  static final class ClaimTools {
    @Tool("Status of a claim: when it was reported and its cause")
    String get_claim_status(String claimId) {
      return "{\"claimId\":\"" + claimId + "\",\"cause\":\"burst pipe\"}";
    }
  }

  private static final Assistant ASSISTANT = AiServices.builder(Assistant.class)
      .chatModel(BedrockChatModel.builder()
          .client(BedrockRuntimeClient.builder().httpClient(UrlConnectionHttpClient.create()).build())
          .modelId("us.anthropic.claude-3-5-haiku-20241022-v1:0").build())
      .tools(new ClaimTools()).build();

  @Override public String handleRequest(Map<String, Object> event, Context context) {
    return ASSISTANT.answer(String.valueOf(event.get("question")));
  }
}
