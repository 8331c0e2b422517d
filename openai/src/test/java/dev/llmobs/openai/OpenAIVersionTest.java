package dev.llmobs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** This module's tests run on the openai-java version the build says (the oldest here, the newest in newest/). */
class OpenAIVersionTest {
  @Test void theTestsRunOnTheVersionTheBuildClaims() {
    assertEquals(System.getProperty("llmobs.expectedOpenAI"), com.openai.core.Properties.getPackageVersion());
  }
}
