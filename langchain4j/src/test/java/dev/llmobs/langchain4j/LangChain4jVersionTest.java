package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import org.junit.jupiter.api.Test;

/** The tests run on the LangChain4j the build says (1.11.0 in langchain4j/, the newest in langchain4j/newest). */
class LangChain4jVersionTest {
  @Test void theLangChain4jOnTheClassPathIsTheOneThisModuleTests() throws Exception {
    String expected = System.getProperty("llmobs.expectedLangChain4j");
    assertNotNull(expected, "set by the module's surefire configuration");
    String jar = ChatModelListener.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertEquals("langchain4j-core-" + expected + ".jar", jar.substring(jar.lastIndexOf('/') + 1));
  }
}
