package dev.llmobs.bedrock;

import static dev.llmobs.bedrock.ConverseFixtures.TEXT_REPLY;
import static dev.llmobs.bedrock.ConverseFixtures.question;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.bedrock.BedrockStub.Reply;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * Converse on an AWS SDK whose typed usage holds the cache tokens (this module's release): the interceptor leaves the
 * SDK's response stream alone and the span still has every token count, sync and async. The sdk's own tests pin a
 * release without them, where the raw answer is copied and read.
 */
class ConverseOnASdkThatModelsCacheTokensTest extends BedrockTest {
  @BeforeEach void thisReleaseModelsThem() {
    assertTrue(BedrockCalls.CACHE_TOKENS_MODELLED, "this module's AWS SDK should model Converse's cache tokens");
  }

  @Test void syncConverseHasItsCacheTokensFromTheTypedUsage() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY));
    ConverseResponse response = inWorkflow(() -> sync.converse(question()));
    assertEquals(1028, response.usage().cacheReadInputTokens());
    assertTokens(bedrockSpan());
  }

  @Test void asyncConverseHasItsCacheTokensFromTheTypedUsage() throws Exception {
    stub.reply(Reply.json(TEXT_REPLY));
    ConverseResponse response = inWorkflow(() -> async.converse(question()).join());
    assertEquals("Sudden water damage is covered.", response.output().message().content().get(0).text());
    assertTokens(bedrockSpan());
  }

  private static void assertTokens(Map<String, Object> llm) {
    assertMetric(llm, "input_tokens", 12 + 1028); // cached prompt tokens count as input, as Datadog does
    assertMetric(llm, "cache_read_input_tokens", 1028);
    assertMetric(llm, "cache_write_input_tokens", 0);
    assertMetric(llm, "output_tokens", 185);
    assertEquals("end_turn", metadata(llm).get("stop_reason"));
    assertEquals(420, ((Number) metadata(llm).get("latency_ms")).intValue());
  }
}
