package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Example 2: an existing, plain {@code RequestHandler} with no tracing code at all. Traced with zero code: deploy
 * it with the llmobs-lambda layer and {@code AWS_LAMBDA_EXEC_WRAPPER=/opt/llmobs-wrapper}; the invocation becomes a
 * root span and its Bedrock call an {@code llm} span.
 */
public class PlainHandler implements RequestHandler<Map<String, Object>, String> {
  private static final BedrockRuntimeClient BEDROCK = BedrockRuntimeClient.builder()
      .httpClient(UrlConnectionHttpClient.create()).build();

  @Override public String handleRequest(Map<String, Object> event, Context context) {
    String text = String.valueOf(event.getOrDefault("text", ""));
    var reply = BEDROCK.converse(r -> r.modelId(System.getenv().getOrDefault("MODEL_ID", "amazon.nova-micro-v1:0"))
        .messages(Message.builder().role(ConversationRole.USER)
            .content(ContentBlock.fromText("Summarize in one sentence: " + text)).build()));
    return reply.output().message().content().get(0).text();
  }
}
