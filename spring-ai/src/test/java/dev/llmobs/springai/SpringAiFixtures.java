package dev.llmobs.springai;

import dev.llmobs.LLMObs;
import dev.llmobs.testing.ModelApiStub;
import dev.llmobs.testing.ModelApiStub.Reply;
import dev.llmobs.testing.TestIntake;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.tool.annotation.Tool;

/** A loopback OpenAI-compatible API, the loopback intake, and Spring AI's OpenAI models observed into a registry. */
abstract class SpringAiFixtures {
  static final String TOOL_CALL = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":"
      + "\"claimStatus\",\"arguments\":\"{\\\"claimId\\\":\\\"88412\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],"
      + "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":12,\"total_tokens\":62}}";
  static final String ANSWER = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":2,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Claim 88412 is OPEN; a burst pipe is covered by clause 4.2.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":80,\"completion_tokens\":15,\"total_tokens\":95}}";

  static String embedding(double... v) {
    StringBuilder b = new StringBuilder("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[");
    for (int i = 0; i < v.length; i++) b.append(i > 0 ? "," : "").append(v[i]);
    return b.append("]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}").toString();
  }

  static String chunk(String json) {
    return "data: " + json + "\n\n";
  }

  TestIntake intake;
  ModelApiStub api;
  ObservationRegistry registry;

  @BeforeEach void startStandIns() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims"));
    api = new ModelApiStub();
    registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new LLMObsObservationHandler());
  }

  @AfterEach void stopStandIns() {
    api.close();
    intake.close();
  }

  OpenAiChatModel chatModel() {
    return OpenAiChatModel.builder().options(OpenAiChatOptions.builder().baseUrl(api.baseUrl() + "/v1")
        .apiKey("sk-test-not-a-key").model("gpt-4o-mini").temperature(0.2).build()).observationRegistry(registry).build();
  }

  OpenAiEmbeddingModel embeddingModel() {
    return OpenAiEmbeddingModel.builder().options(OpenAiEmbeddingOptions.builder().baseUrl(api.baseUrl() + "/v1")
        .apiKey("sk-test-not-a-key").model("text-embedding-3-small").build()).observationRegistry(registry).build();
  }

  List<Map<String, Object>> spans() {
    LLMObs.flush(Duration.ofSeconds(5));
    return intake.spans();
  }

  static List<Map<String, Object>> named(List<Map<String, Object>> spans, String name) {
    return spans.stream().filter(s -> name.equals(s.get("name"))).toList();
  }

  static Map<String, Object> one(List<Map<String, Object>> spans, String name) {
    List<Map<String, Object>> found = named(spans, name);
    if (found.size() != 1) throw new AssertionError(found.size() + " spans " + name + " in " + spans.stream().map(s -> s.get("name")).toList());
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  static Object at(Map<String, Object> span, String... path) {
    Object o = span;
    for (String p : path) o = o instanceof Map ? ((Map<String, Object>) o).get(p) : null;
    return o;
  }

  /** The claims system, as a Spring AI tool. */
  static final class ClaimTools {
    @Tool(description = "Status of a claim")
    String claimStatus(String claimId) {
      return "Claim " + claimId + " is OPEN";
    }
  }
}
