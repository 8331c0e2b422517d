package dev.llmobs.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** This module's tests run on the anthropic-java version the build says (the oldest here, the newest in newest/). */
class AnthropicVersionTest {
  @Test void theTestsRunOnTheVersionTheBuildClaims() {
    assertEquals(System.getProperty("llmobs.expectedAnthropic"), com.anthropic.core.Properties.getPackageVersion());
  }
}
