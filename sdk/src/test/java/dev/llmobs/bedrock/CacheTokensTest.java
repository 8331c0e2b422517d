package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** When Converse's raw answer is searched for cache tokens: only when the AWS SDK on the class path cannot hold them. */
class CacheTokensTest {
  @Test void knowsWhetherTheSdkOnTheClassPathModelsCacheTokens() {
    boolean hasAccessor = Arrays.stream(TokenUsage.class.getMethods()).anyMatch(m -> m.getName().equals("cacheReadInputTokens"));
    assertEquals(hasAccessor, BedrockCalls.CACHE_TOKENS_MODELLED);
  }

  @Test void findsAStringAnywhereInTheBytesAndOnlyWhole() {
    byte[] body = "{\"usage\":{\"cacheReadInputTokens\":1}}\"cach".getBytes(StandardCharsets.US_ASCII);
    assertTrue(BedrockCalls.contains(body, "\"cache"));
    assertTrue(BedrockCalls.contains(body, "{\"usage"), "at the start");
    assertTrue(BedrockCalls.contains(body, "\"cach"), "at the end");
    assertFalse(BedrockCalls.contains(body, "\"cached"));
    assertFalse(BedrockCalls.contains("\"cac".getBytes(StandardCharsets.US_ASCII), "\"cache"), "longer than the bytes");
  }
}
