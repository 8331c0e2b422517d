package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.bedrock.BedrockStub.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;

/** InvokeModel and InvokeModelWithResponseStream, one case per model family, through the real clients. */
class InvokeModelTest extends BedrockTest {

  /** One family: the model id, the request and response bodies, and what the span must say. */
  static final class Case {
    final String modelId, request, response;
    final Map<String, String> headers;
    final String kind;
    final Object input, output;
    final Map<String, Object> metadata;
    final long inputTokens;
    final Long outputTokens;

    Case(String modelId, String request, String response, Map<String, String> headers, String kind, Object input,
        Object output, Map<String, Object> metadata, long inputTokens, Long outputTokens) {
      this.modelId = modelId;
      this.request = request;
      this.response = response;
      this.headers = headers;
      this.kind = kind;
      this.input = input;
      this.output = output;
      this.metadata = metadata;
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
    }

    @Override public String toString() {
      return modelId;
    }
  }

  static Map<String, Object> msgs(Object... roleContent) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < roleContent.length; i += 2) out.add(Map.of("role", roleContent[i], "content", roleContent[i + 1]));
    return Map.of("messages", out);
  }

  static final Map<String, String> TOKENS = Map.of("X-Amzn-Bedrock-Input-Token-Count", "11",
      "X-Amzn-Bedrock-Output-Token-Count", "7", "X-Amzn-Bedrock-Invocation-Latency", "321");

  static Stream<Arguments> families() {
    return Stream.of(
        new Case("anthropic.claude-3-5-sonnet-20240620-v1:0",
            "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":300,\"temperature\":0.5,\"system\":\"Be brief.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Covered?\"}]}],"
                + "\"tools\":[{\"name\":\"lookup\",\"input_schema\":{\"type\":\"object\"}}]}",
            "{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Yes.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{\"id\":\"88412\"}}],"
                + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":380,\"output_tokens\":133}}",
            TOKENS, "llm", Map.of("messages", List.of(Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "Covered?"))),
            Map.of("messages", List.of(Map.of("role", "assistant", "content", "Yes.", "tool_calls", List.of(Map.of(
                "name", "lookup", "arguments", Map.of("id", "88412"), "tool_id", "toolu_1", "type", "tool_use"))))),
            Map.of("max_tokens", 300, "temperature", 0.5, "tools", List.of("lookup"), "stop_reason", "tool_use",
                "latency_ms", 321), 380, 133L),
        new Case("anthropic.claude-v2", "{\"prompt\":\"\\n\\nHuman: Hi\\n\\nAssistant:\",\"max_tokens_to_sample\":50}",
            "{\"completion\":\" Hello!\",\"stop_reason\":\"stop_sequence\"}", TOKENS, "llm",
            Map.of("value", "\n\nHuman: Hi\n\nAssistant:"), msgs("assistant", " Hello!"),
            Map.of("max_tokens", 50, "stop_reason", "stop_sequence", "latency_ms", 321), 11, 7L),
        new Case("us.amazon.nova-lite-v1:0",
            "{\"schemaVersion\":\"messages-v1\",\"system\":[{\"text\":\"Be brief.\"}],\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"text\":\"Covered?\"}]}],\"inferenceConfig\":{\"max_new_tokens\":100,\"temperature\":0.7,\"topP\":0.9}}",
            "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Yes.\"}]}},\"stopReason\":\"end_turn\","
                + "\"usage\":{\"inputTokens\":7,\"outputTokens\":100,\"totalTokens\":107,\"cacheReadInputTokenCount\":3,"
                + "\"cacheWriteInputTokenCount\":0}}",
            Map.of(), "llm", msgs("system", "Be brief.", "user", "Covered?"), msgs("assistant", "Yes."),
            Map.of("max_tokens", 100, "temperature", 0.7, "top_p", 0.9, "stop_reason", "end_turn"), 7 + 3, 100L),
        new Case("amazon.titan-text-express-v1",
            "{\"inputText\":\"Covered?\",\"textGenerationConfig\":{\"maxTokenCount\":50,\"temperature\":0,\"topP\":1,\"stopSequences\":[]}}",
            "{\"inputTextTokenCount\":5,\"results\":[{\"tokenCount\":9,\"outputText\":\"Yes it is.\",\"completionReason\":\"FINISH\"}]}",
            Map.of(), "llm", Map.of("value", "Covered?"), msgs("assistant", "Yes it is."),
            Map.of("max_tokens", 50, "temperature", 0, "top_p", 1, "stop_sequences", List.of(), "stop_reason", "FINISH"), 5, 9L),
        new Case("amazon.titan-embed-text-v2:0", "{\"inputText\":\"water damage\",\"dimensions\":512,\"normalize\":true}",
            "{\"embedding\":[0.1,0.2,0.3],\"inputTextTokenCount\":3}", Map.of("X-Amzn-Bedrock-Input-Token-Count", "3"),
            "embedding", Map.of("documents", List.of(Map.of("text", "water damage"))),
            Map.of("value", "[1 embedding(s) returned with size 3]"), Map.of("dimensions", 512, "normalize", true), 3, null),
        new Case("meta.llama3-8b-instruct-v1:0", "{\"prompt\":\"Covered?\",\"max_gen_len\":64,\"temperature\":0.2,\"top_p\":0.9}",
            "{\"generation\":\"Yes.\",\"prompt_token_count\":10,\"generation_token_count\":3,\"stop_reason\":\"stop\"}",
            Map.of(), "llm", Map.of("value", "Covered?"), msgs("assistant", "Yes."),
            Map.of("max_tokens", 64, "temperature", 0.2, "top_p", 0.9, "stop_reason", "stop"), 10, 3L),
        new Case("cohere.command-text-v14", "{\"prompt\":\"Covered?\",\"max_tokens\":40,\"temperature\":0.3,\"p\":0.8,\"k\":5,"
            + "\"stop_sequences\":[\"--\"]}",
            "{\"generations\":[{\"id\":\"g1\",\"text\":\"Yes.\",\"finish_reason\":\"COMPLETE\"}],\"id\":\"r1\",\"prompt\":\"Covered?\"}",
            TOKENS, "llm", Map.of("value", "Covered?"), msgs("assistant", "Yes."),
            Map.of("max_tokens", 40, "temperature", 0.3, "top_p", 0.8, "top_k", 5, "stop_sequences", List.of("--"),
                "stop_reason", "COMPLETE", "latency_ms", 321), 11, 7L),
        new Case("cohere.command-r-plus-v1:0", "{\"message\":\"Covered?\",\"preamble\":\"Be brief.\",\"chat_history\":"
            + "[{\"role\":\"USER\",\"message\":\"Hi\"},{\"role\":\"CHATBOT\",\"message\":\"Hello\"}],\"max_tokens\":40}",
            "{\"response_id\":\"r\",\"text\":\"Yes.\",\"generation_id\":\"g\",\"finish_reason\":\"COMPLETE\"}", TOKENS, "llm",
            msgs("system", "Be brief.", "user", "Hi", "assistant", "Hello", "user", "Covered?"), msgs("assistant", "Yes."),
            Map.of("max_tokens", 40, "stop_reason", "COMPLETE", "latency_ms", 321), 11, 7L),
        new Case("cohere.embed-english-v3", "{\"texts\":[\"a\",\"b\"],\"input_type\":\"search_document\"}",
            "{\"embeddings\":[[0.1,0.2],[0.3,0.4]],\"id\":\"e1\",\"response_type\":\"embeddings_floats\",\"texts\":[\"a\",\"b\"]}",
            Map.of("X-Amzn-Bedrock-Input-Token-Count", "2"), "embedding",
            Map.of("documents", List.of(Map.of("text", "a"), Map.of("text", "b"))),
            Map.of("value", "[2 embedding(s) returned with size 2]"), Map.of("input_type", "search_document"), 2, null),
        new Case("mistral.mistral-7b-instruct-v0:2", "{\"prompt\":\"<s>[INST] Covered? [/INST]\",\"max_tokens\":30,\"stop\":[\"</s>\"]}",
            "{\"outputs\":[{\"text\":\" Yes.\",\"stop_reason\":\"stop\"}]}", TOKENS, "llm",
            Map.of("value", "<s>[INST] Covered? [/INST]"), msgs("assistant", " Yes."),
            Map.of("max_tokens", 30, "stop_sequences", List.of("</s>"), "stop_reason", "stop", "latency_ms", 321), 11, 7L),
        new Case("mistral.mistral-large-2402-v1:0", "{\"messages\":[{\"role\":\"user\",\"content\":\"Covered?\"}],\"max_tokens\":30}",
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Yes.\"},\"stop_reason\":\"stop\"}]}",
            TOKENS, "llm", msgs("user", "Covered?"), msgs("assistant", "Yes."),
            Map.of("max_tokens", 30, "stop_reason", "stop", "latency_ms", 321), 11, 7L),
        new Case("ai21.j2-ultra-v1", "{\"prompt\":\"Covered?\",\"maxTokens\":20,\"temperature\":0.1,\"topP\":1,\"stopSequences\":[]}",
            "{\"id\":1,\"completions\":[{\"data\":{\"text\":\"Yes.\"},\"finishReason\":{\"reason\":\"endoftext\"}}]}", TOKENS,
            "llm", Map.of("value", "Covered?"), msgs("assistant", "Yes."),
            Map.of("max_tokens", 20, "temperature", 0.1, "top_p", 1, "stop_sequences", List.of(), "stop_reason", "endoftext",
                "latency_ms", 321), 11, 7L),
        new Case("ai21.jamba-1-5-mini-v1:0", "{\"messages\":[{\"role\":\"user\",\"content\":\"Covered?\"}],\"max_tokens\":20}",
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Yes.\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}", Map.of(), "llm", msgs("user", "Covered?"),
            msgs("assistant", "Yes."), Map.of("max_tokens", 20, "stop_reason", "stop"), 4, 2L),
        new Case("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123", "{\"custom_input\":\"Covered?\"}",
            "{\"custom_output\":\"Yes.\"}", TOKENS, "llm", Map.of("value", "{\"custom_input\":\"Covered?\"}"),
            Map.of("value", "{\"custom_output\":\"Yes.\"}"), Map.of("latency_ms", 321), 11, 7L)
    ).map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  void invokeModelIsParsedPerFamily(Case c) throws Exception {
    Reply reply = Reply.json(c.response);
    c.headers.forEach(reply::header);
    stub.reply(reply);
    InvokeModelResponse response = inWorkflow(() -> sync.invokeModel(r -> r.modelId(c.modelId)
        .contentType("application/json").body(SdkBytes.fromUtf8String(c.request))));
    assertArrayEquals(c.response.getBytes(StandardCharsets.UTF_8), response.body().asByteArray(),
        "the caller reads the body untouched");
    assertEquals(c.request, stub.received.get(0).body, "the request went out untouched");

    Map<String, Object> span = bedrockSpan();
    assertEquals("bedrock-runtime.invoke_model", span.get("name"));
    assertEquals(c.kind, kind(span));
    assertEquals(c.modelId, meta(span).get("model_name"));
    assertEquals("amazon_bedrock", meta(span).get("model_provider"));
    assertEquals(c.input, meta(span).get("input"));
    assertEquals(c.output, meta(span).get("output"));
    assertEquals(c.metadata, metadata(span) == null ? Map.of() : metadata(span));
    assertMetric(span, "input_tokens", c.inputTokens);
    if (c.outputTokens != null) assertMetric(span, "output_tokens", c.outputTokens);
    else assertFalse(metrics(span).containsKey("output_tokens"));
  }

  @Test void asyncInvokeModelWorksTheSame() throws Exception {
    stub.reply(Reply.json("{\"generation\":\"Yes.\",\"prompt_token_count\":10,\"generation_token_count\":3,\"stop_reason\":\"stop\"}"));
    InvokeModelResponse r = inWorkflow(() -> async.invokeModel(b -> b.modelId("meta.llama3-8b-instruct-v1:0")
        .body(SdkBytes.fromUtf8String("{\"prompt\":\"Covered?\"}"))).join());
    assertTrue(r.body().asUtf8String().contains("Yes."));
    Map<String, Object> span = bedrockSpan();
    assertMetric(span, "output_tokens", 3);
    assertEquals(Map.of("value", "Covered?"), meta(span).get("input"));
  }

  @Test void anApplicationProfileArnIsSniffedFromTheBody() throws Exception {
    stub.reply(Reply.json("{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}],"
        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}"));
    String arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
    sync.invokeModel(b -> b.modelId(arn).body(SdkBytes.fromUtf8String(
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")));
    Map<String, Object> span = bedrockSpan();
    assertEquals(arn, meta(span).get("model_name"));
    assertEquals(msgs("user", "Hi"), meta(span).get("input"));
    assertEquals(msgs("assistant", "Hi"), meta(span).get("output"));
  }

  @Test void aModelOfNoKnownFamilyKeepsItsBodiesAsJsonText() throws Exception {
    stub.reply(Reply.json("{\"result\":\"Covered.\",\"n\":1}"));
    sync.invokeModel(b -> b.modelId("acme.house-model-v1").body(SdkBytes.fromUtf8String("{\"question\": \"Covered?\"}")));
    Map<String, Object> span = bedrockSpan();
    assertEquals("acme.house-model-v1", meta(span).get("model_name"));
    assertEquals(Map.of("value", "{\"question\":\"Covered?\"}"), meta(span).get("input"));
    assertEquals(Map.of("value", "{\"result\":\"Covered.\",\"n\":1}"), meta(span).get("output"));
  }

  // ---- InvokeModelWithResponseStream ----------------------------------------------------------------------------

  static Stream<Arguments> streams() {
    String metrics = "\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":16,\"outputTokenCount\":10,"
        + "\"invocationLatency\":453,\"firstByteLatency\":296}";
    return Stream.of(
        Arguments.of("anthropic.claude-3-haiku-20240307-v1:0", List.of(
            "{\"type\":\"message_start\",\"message\":{\"role\":\"assistant\",\"usage\":{\"input_tokens\":16,\"output_tokens\":1}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sudden \"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"damage: yes.\"}}",
            "{\"type\":\"content_block_stop\",\"index\":0}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":10}}",
            "{\"type\":\"message_stop\"," + metrics + "}"), "Sudden damage: yes.", "max_tokens"),
        Arguments.of("amazon.nova-micro-v1:0", List.of(
            "{\"messageStart\":{\"role\":\"assistant\"}}",
            "{\"contentBlockDelta\":{\"delta\":{\"text\":\"Sudden \"},\"contentBlockIndex\":0}}",
            "{\"contentBlockDelta\":{\"delta\":{\"text\":\"damage: yes.\"},\"contentBlockIndex\":0}}",
            "{\"contentBlockStop\":{\"contentBlockIndex\":0}}",
            "{\"messageStop\":{\"stopReason\":\"end_turn\"}}",
            "{\"metadata\":{\"usage\":{\"inputTokens\":16,\"outputTokens\":10}}," + metrics + "}"), "Sudden damage: yes.", "end_turn"),
        Arguments.of("amazon.titan-text-lite-v1", List.of(
            "{\"outputText\":\"Sudden \",\"index\":0,\"totalOutputTextTokenCount\":null,\"completionReason\":null,\"inputTextTokenCount\":16}",
            "{\"outputText\":\"damage: yes.\",\"index\":0,\"totalOutputTextTokenCount\":10,\"completionReason\":\"FINISH\","
                + "\"inputTextTokenCount\":null," + metrics + "}"), "Sudden damage: yes.", "FINISH"),
        Arguments.of("meta.llama3-70b-instruct-v1:0", List.of(
            "{\"generation\":\"Sudden \",\"prompt_token_count\":16,\"generation_token_count\":1,\"stop_reason\":null}",
            "{\"generation\":\"damage: yes.\",\"prompt_token_count\":null,\"generation_token_count\":10,\"stop_reason\":\"length\","
                + metrics + "}"), "Sudden damage: yes.", "length"),
        Arguments.of("cohere.command-light-text-v14", List.of(
            "{\"is_finished\":false,\"text\":\"Sudden \"}",
            "{\"is_finished\":false,\"text\":\"damage: yes.\"}",
            "{\"finish_reason\":\"MAX_TOKENS\",\"is_finished\":true," + metrics + "}"), "Sudden damage: yes.", "MAX_TOKENS"),
        Arguments.of("mistral.mistral-large-2407-v1:0", List.of(
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sudden \"},\"stop_reason\":null}]}",
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"damage: yes.\"},"
                + "\"stop_reason\":\"length\"}]," + metrics + "}"), "Sudden damage: yes.", "length"),
        // An opaque id and a body with no family's marker: the chunks are read in the first shape that fits.
        Arguments.of("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123", List.of(
            "{\"type\":\"message_start\",\"message\":{\"role\":\"assistant\",\"usage\":{\"input_tokens\":16}}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sudden damage: yes.\"}}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":10}}",
            "{\"type\":\"message_stop\"," + metrics + "}"), "Sudden damage: yes.", "end_turn")
    );
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void invokeModelWithResponseStreamAssemblesTheOutput(String modelId, List<String> chunks, String text, String stop)
      throws Exception {
    List<byte[]> frames = new ArrayList<>();
    for (String c : chunks) frames.add(BedrockStub.chunk(c));
    stub.reply(Reply.stream(frames));
    StringBuilder seen = new StringBuilder();
    int[] parts = {0};
    InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
        .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().onChunk((PayloadPart p) -> {
          parts[0]++;
          seen.append(p.bytes().asUtf8String());
        }).build()).build();
    inWorkflow(() -> async.invokeModelWithResponseStream(InvokeModelWithResponseStreamRequest.builder().modelId(modelId)
        .body(SdkBytes.fromUtf8String("{\"prompt\":\"Covered?\"}")).build(), handler).join());
    assertEquals(chunks.size(), parts[0], "every chunk reached the caller");
    assertEquals(String.join("", chunks), seen.toString(), "byte for byte");

    Map<String, Object> span = bedrockSpan();
    assertEquals("bedrock-runtime.invoke_model_with_response_stream", span.get("name"));
    assertEquals(msgs("assistant", text), meta(span).get("output"));
    assertEquals(stop, metadata(span).get("stop_reason"));
    assertMetric(span, "input_tokens", 16);
    assertMetric(span, "output_tokens", 10);
    assertTrue(((Number) metrics(span).get("time_to_first_token")).doubleValue() > 0);
    assertNull(meta(span).get("error"));
  }
}
