package dev.llmobs.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.ModelApiStub.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring Boot application that only has our jar added: Spring AI's OpenAI starter makes the chat client, Boot's
 * observation support makes the registry, our auto-configuration adds the handler; the call is traced.
 */
@Timeout(60)
class AutoConfigurationTest extends SpringAiFixtures {
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ClaimsApplication {}

  @Test void addingTheJarIsAllASpringBootApplicationDoes() {
    api.on("/chat/completions", Reply.json(ANSWER));
    SpringApplication app = new SpringApplication(ClaimsApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setDefaultProperties(Map.of("spring.ai.openai.base-url", api.baseUrl() + "/v1",
        "spring.ai.openai.api-key", "sk-test-not-a-key", "spring.ai.openai.chat.options.model", "gpt-4o-mini"));
    try (ConfigurableApplicationContext context = app.run()) {
      assertNotNull(context.getBean(LLMObsObservationHandler.class), "our handler, from the jar alone");
      String answer;
      try (LLMObsSpan root = LLMObs.workflow("handler")) {
        answer = context.getBean(ChatClient.Builder.class).build().prompt().user("Is claim 88412 covered?").call().content();
      }
      assertEquals("Claim 88412 is OPEN; a burst pipe is covered by clause 4.2.", answer);
    }
    List<Map<String, Object>> spans = spans();
    Map<String, Object> root = one(spans, "handler"), client = one(spans, "spring_ai.chat_client"),
        llm = one(spans, "openai.chat");
    assertEquals(root.get("span_id"), client.get("parent_id"));
    assertEquals("llm", at(llm, "meta", "span", "kind"));
    assertEquals(95, at(llm, "metrics", "total_tokens"));
  }
}
