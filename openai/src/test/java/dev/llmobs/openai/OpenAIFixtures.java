package dev.llmobs.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.llmobs.LLMObs;
import dev.llmobs.testing.ModelApiStub;
import java.util.Map;

/** A loopback OpenAI API and a loopback intake, for the real openai-java client. */
abstract class OpenAIFixtures extends dev.llmobs.testing.ModelApiTest {
  static final String TOOL_CALL = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
      + "{\"name\":\"get_claim\",\"arguments\":\"{\\\"claimId\\\":\\\"88412\\\"}\"}}]},\"logprobs\":null,"
      + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":7,\"total_tokens\":127,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":100},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";
  static final String FINAL = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Covered: sudden water damage.\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":6,\"total_tokens\":46}}";
  static final String RATE_LIMITED = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";
  static final String SERVER_ERROR = "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}";

  static String chunk(String delta, String finish) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
  }

  static final String[] CHAT_STREAM = {
    chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
    chunk("{\"content\":\"Clause \"}", null),
    chunk("{\"content\":\"4.2 covers it.\"}", null),
    chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"file_claim\",\"arguments\":\"\"}}]}", null),
    chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"claimId\\\":\"}}]}", null),
    chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"88412\\\"}\"}}]}", null),
    chunk("{}", "\"tool_calls\""),
    "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}\n\n",
    "data: [DONE]\n\n",
  };

  static final String RESPONSE = "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"status\":\"completed\","
      + "\"model\":\"gpt-5-2025-08-07\",\"output\":[{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":"
      + "\"summary_text\",\"text\":\"The claim needs a lookup.\"}]},{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":"
      + "\"completed\",\"call_id\":\"call_7\",\"name\":\"get_claim\",\"arguments\":\"{\\\"claimId\\\":\\\"88412\\\"}\"},"
      + "{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":"
      + "\"output_text\",\"text\":\"Looking it up.\",\"annotations\":[]}]}],\"parallel_tool_calls\":true,"
      + "\"tool_choice\":\"auto\",\"tools\":[],\"usage\":{\"input_tokens\":80,\"input_tokens_details\":{\"cached_tokens\":64},"
      + "\"output_tokens\":30,\"output_tokens_details\":{\"reasoning_tokens\":20},\"total_tokens\":110}}";

  static String responseEvent(String type, String json) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + json + "}\n\n";
  }

  static final String[] RESPONSE_STREAM = {
    responseEvent("response.created", "\"sequence_number\":0,\"response\":" + RESPONSE.replace("\"completed\",\"model\"", "\"in_progress\",\"model\"")),
    responseEvent("response.output_text.delta", "\"sequence_number\":1,\"item_id\":\"msg_1\",\"output_index\":2,\"content_index\":0,\"delta\":\"Looking \",\"logprobs\":[]"),
    responseEvent("response.output_text.delta", "\"sequence_number\":2,\"item_id\":\"msg_1\",\"output_index\":2,\"content_index\":0,\"delta\":\"it up.\",\"logprobs\":[]"),
    responseEvent("response.completed", "\"sequence_number\":3,\"response\":" + RESPONSE),
  };

  static final String EMBEDDINGS_FLOAT = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
      + "\"embedding\":[0.1,0.2,0.3]},{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.3,0.2,0.1]}],"
      + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}";

  OpenAIClient bareClient(int maxRetries) {
    return OpenAIOkHttpClient.builder().baseUrl(api.baseUrl() + "/v1").apiKey("sk-test-secret-key").maxRetries(maxRetries).build();
  }

  OpenAIClient client(int maxRetries) {
    return LLMObsOpenAI.wrap(bareClient(maxRetries));
  }

}
