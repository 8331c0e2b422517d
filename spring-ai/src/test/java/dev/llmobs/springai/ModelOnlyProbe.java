package dev.llmobs.springai;

import dev.llmobs.LLMObs;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Run in a class loader that has Spring AI's model module only (no chat client, no vector store): observes a chat
 * model call as Spring AI's models do, through a registry with our handler, and sends the span to the intake given.
 */
public final class ModelOnlyProbe implements Function<String, String> {
  @Override public String apply(String intakeOrigin) {
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intakeOrigin, "DD_LLMOBS_ML_APP", "claims"));
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new LLMObsObservationHandler());
    ChatModelObservationContext context = ChatModelObservationContext.builder()
        .prompt(new Prompt(List.of(new UserMessage("Is claim 88412 covered?")))).provider("openai").build();
    ChatResponse answer = ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
        .observation(null, new DefaultChatModelObservationConvention(), () -> context, registry)
        .observe(() -> {
          ChatResponse r = new ChatResponse(List.of(new Generation(new AssistantMessage("Covered."))));
          context.setResponse(r);
          return r;
        });
    LLMObs.flush(Duration.ofSeconds(5));
    return answer.getResult().getOutput().getText();
  }
}
