package dev.llmobs.springai;

import io.micrometer.observation.ObservationHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adding the jar is all a Spring Boot user does: this registers {@link LLMObsObservationHandler} as a bean, and
 * Spring Boot's observation support adds every {@code ObservationHandler} bean to the application's
 * {@code ObservationRegistry}, the one Spring AI's models, chat clients and vector stores observe into.
 */
@AutoConfiguration
@ConditionalOnClass(name = {"org.springframework.ai.chat.observation.ChatModelObservationContext",
    "io.micrometer.observation.ObservationHandler"})
public class LLMObsSpringAiAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean(LLMObsObservationHandler.class)
  public ObservationHandler<io.micrometer.observation.Observation.Context> llmObsObservationHandler() {
    return new LLMObsObservationHandler();
  }
}
