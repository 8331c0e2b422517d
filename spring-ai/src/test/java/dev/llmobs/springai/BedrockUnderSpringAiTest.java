package dev.llmobs.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.ModelApiStub.Reply;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Spring AI's Bedrock model observes its call (provider {@code bedrock_converse}) and makes it with the AWS SDK,
 * where our interceptor records it too. Here the observation is made as Spring AI's model makes it, around a real
 * Bedrock Runtime client against a loopback Bedrock (spring-ai-bedrock-converse 2.0.x itself is not served by the
 * registry this project builds from): one llm span, the interceptor's, under the observation's workflow span; the
 * tokens once.
 */
@Timeout(60)
class BedrockUnderSpringAiTest extends SpringAiFixtures {
  static final String CONVERSE = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":"
      + "\"Clause 4.2 covers it.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":31,\"outputTokens\":7,"
      + "\"totalTokens\":38},\"metrics\":{\"latencyMs\":120}}";

  @SuppressWarnings("unchecked")
  @Test void aBedrockCallThatOurInterceptorRecordsIsOneLlmSpanWithItsTokensOnce() {
    api.on("/converse", Reply.json(CONVERSE));
    BedrockRuntimeClient bedrock = BedrockRuntimeClient.builder().endpointOverride(URI.create(api.baseUrl()))
        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"))).build();
    Prompt prompt = new Prompt(List.of(new UserMessage("Is a burst pipe covered?")));
    ChatModelObservationContext context = ChatModelObservationContext.builder().prompt(prompt)
        .provider("bedrock_converse").build();
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
          .observation(null, new DefaultChatModelObservationConvention(), () -> context, registry)
          .observe(() -> {
            ConverseResponse r = bedrock.converse(c -> c.modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
                .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Is a burst pipe covered?")).build()));
            ChatResponse response = new ChatResponse(List.of(new Generation(
                new org.springframework.ai.chat.messages.AssistantMessage(r.output().message().content().get(0).text()))));
            context.setResponse(response);
            return response;
          });
    }
    List<Map<String, Object>> spans = spans();
    Map<String, Object> observed = one(spans, "bedrock_converse.chat"), llm = one(spans, "bedrock-runtime.converse");
    assertEquals("workflow", at(observed, "meta", "span", "kind"), "Spring AI's observation yields to our interceptor");
    assertEquals("llm", at(llm, "meta", "span", "kind"));
    assertEquals(observed.get("span_id"), llm.get("parent_id"), "the interceptor's span nests in the observation's");
    assertEquals(1, spans.stream().filter(s -> "llm".equals(at(s, "meta", "span", "kind"))).count(), "one llm span");
    assertEquals(31, at(llm, "metrics", "input_tokens"));
    assertFalse(((Map<String, Object>) observed.get("metrics")).containsKey("input_tokens"), "the tokens once");
    assertEquals("Clause 4.2 covers it.", at(observed, "meta", "output", "value"));
  }
}
