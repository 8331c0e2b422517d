package dev.llmobs.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import dev.llmobs.LLMObs;
import dev.llmobs.testing.ModelApiStub;
import java.util.Map;

/** A loopback Anthropic API and a loopback intake, for the real anthropic-java client. */
abstract class AnthropicFixtures extends dev.llmobs.testing.ModelApiTest {
  static final String MODEL = "claude-sonnet-4-5";
  static final String TOOL_USE = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"Let me look.\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_claim\",\"input\":{\"claimId\":\"88412\"}}],"
      + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":30,\"output_tokens\":12,"
      + "\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":100}}";
  static final String FINAL = "{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Water damage is "
      + "clause 4.2.\",\"signature\":\"sig\"},{\"type\":\"text\",\"text\":\"Covered: sudden water damage.\"}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":60,\"output_tokens\":9}}";
  static final String OVERLOADED = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
  static final String RATE_LIMITED = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Slow down\"}}";

  static String event(String type, String json) {
    return "event: " + type + "\ndata: " + json + "\n\n";
  }

  static final String[] STREAM = {
    event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
        + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1,\"cache_read_input_tokens\":7}}}"),
    event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"),
    event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Check the clause.\"}}"),
    event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
    event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
    event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Clause \"}}"),
    event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"4.2 covers it.\"}}"),
    event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
    event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"file_claim\",\"input\":{}}}"),
    event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"claimId\\\":\"}}"),
    event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"88412\\\"}\"}}"),
    event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"),
    event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}"),
    event("message_stop", "{\"type\":\"message_stop\"}"),
  };

  /** The user's client, as they would build it: against the stand-in, retries fast when the API says when. */
  AnthropicClient bareClient(int maxRetries) {
    return AnthropicOkHttpClient.builder().baseUrl(api.baseUrl()).apiKey("sk-ant-test-secret-key").maxRetries(maxRetries).build();
  }

  AnthropicClient client(int maxRetries) {
    return LLMObsAnthropic.wrap(bareClient(maxRetries));
  }

}
