package dev.llmobs.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmobs.testing.ClassPaths;
import dev.llmobs.testing.TestIntake;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An application with Spring AI's model module but neither its chat client nor its vector store (both optional):
 * our handler still traces its model calls, and never fails on the classes it does not find. (Found by the benchmark:
 * the handler once named every Spring AI context directly, and threw NoClassDefFoundError into the observation.)
 */
class ModelOnlyApplicationTest {
  @SuppressWarnings("unchecked")
  @Test void withoutTheChatClientAndTheVectorStoreModelCallsAreStillTraced() throws Exception {
    URL[] urls = ClassPaths.without(e -> e.contains("spring-ai-vector-store") || e.contains("spring-ai-client-chat"));
    try (TestIntake intake = new TestIntake();
        URLClassLoader modelOnly = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class,
          () -> modelOnly.loadClass("org.springframework.ai.chat.client.ChatClient"), "the loader lacks the chat client");
      Function<String, String> probe = (Function<String, String>) modelOnly.loadClass(ModelOnlyProbe.class.getName())
          .getDeclaredConstructor().newInstance();
      assertEquals("Covered.", probe.apply(intake.origin()), "the caller's answer");
      Map<String, Object> llm = intake.span("openai.chat");
      assertEquals("llm", ((Map<String, Object>) ((Map<String, Object>) llm.get("meta")).get("span")).get("kind"));
    }
  }
}
