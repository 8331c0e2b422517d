package dev.llmobs.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.backends.Backend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.vertex.backends.VertexBackend;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.ModelApiStub.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.eventstream.HeaderValue;

/**
 * anthropic-java's Bedrock and Vertex clients, each against a loopback stand-in of that cloud's endpoint: one llm span
 * a call, with the cloud as provider and the model the path names; no cloud credential in any span.
 */
@org.junit.jupiter.api.Timeout(60)
class AnthropicBackendsTest extends AnthropicFixtures {
  static final String BEDROCK_MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  AnthropicClient bedrock() {
    BedrockBackend real = BedrockBackend.builder()
        .awsCredentials(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", AWS_SECRET)).region(Region.US_EAST_1).build();
    return LLMObsAnthropic.wrap(AnthropicOkHttpClient.builder().backend(new AtLoopback(real, api.baseUrl())).maxRetries(0).build());
  }

  /** The real Bedrock backend (signing, paths, event-stream decoding), its host moved to the stand-in. */
  record AtLoopback(Backend real, String baseUrl) implements Backend {
    @Override public HttpRequest prepareRequest(HttpRequest request) {
      return real.prepareRequest(request);
    }

    @Override public HttpRequest authorizeRequest(HttpRequest request) {
      return real.authorizeRequest(request);
    }

    @Override public HttpResponse prepareResponse(HttpResponse response) {
      return real.prepareResponse(response);
    }

    @Override public String openTelemetryProviderName() {
      return real.openTelemetryProviderName();
    }

    @Override public boolean supportsMessageThreads() {
      return real.supportsMessageThreads();
    }

    @Override public void close() {
      real.close();
    }
  }

  static MessageCreateParams ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(512).system("You handle claims")
        .addUserMessage("Is claim 88412 covered?").build();
  }

  @Test void aCallThroughTheBedrockClientIsOneLlmSpanWithAmazonAsProvider() {
    api.on("/invoke", Reply.json(FINAL));
    Message answer;
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      answer = bedrock().messages().create(ask(BEDROCK_MODEL));
    }
    assertEquals("end_turn", answer.stopReason().get().asString());
    assertEquals("/model/" + BEDROCK_MODEL + "/invoke", java.net.URLDecoder.decode(api.requests().get(0).path, StandardCharsets.UTF_8));
    assertFalse(api.requests().get(0).body.contains("\"model\""), "Bedrock takes the model in the path");
    Map<String, Object> llm = span("anthropic.request");
    assertEquals("amazon", at(llm, "meta", "model_provider"));
    assertEquals("claude-sonnet-4-5-20250929", at(llm, "meta", "model_name"), "the model the answer names");
    assertEquals(List.of(Map.of("role", "system", "content", "You handle claims"),
        Map.of("role", "user", "content", "Is claim 88412 covered?")), at(llm, "meta", "input", "messages"));
    assertEquals(Map.of("input_tokens", 60, "output_tokens", 9, "total_tokens", 69), llm.get("metrics"));
    assertEquals(2, intake.spans().size(), "the root and one llm span: nothing else traced the call");
    assertFalse(intake.requests().get(0).bodyText().contains(AWS_SECRET), "no AWS secret in any span");
    assertFalse(intake.requests().get(0).bodyText().contains("Signature="), "no request signature in any span");
  }

  @SuppressWarnings("unchecked")
  @Test void aStreamThroughTheBedrockClientKeepsItsAnswerAndTimeToFirstToken() {
    List<byte[]> frames = new ArrayList<>();
    for (String event : STREAM) frames.add(chunk(event.substring(event.indexOf("data: ") + 6).trim()));
    api.on("/invoke-with-response-stream", Reply.binary("application/vnd.amazon.eventstream", frames)
        .header("X-Amzn-Bedrock-Content-Type", "application/json"));
    int events = 0;
    try (LLMObsSpan root = LLMObs.workflow("handler");
        StreamResponse<RawMessageStreamEvent> stream = bedrock().messages().createStreaming(ask(BEDROCK_MODEL))) {
      for (java.util.Iterator<RawMessageStreamEvent> it = stream.stream().iterator(); it.hasNext(); it.next()) events++;
    }
    assertEquals(STREAM.length, events, "the caller read every event");
    Map<String, Object> llm = span("anthropic.request");
    assertEquals("amazon", at(llm, "meta", "model_provider"));
    List<Map<String, Object>> out = (List<Map<String, Object>>) at(llm, "meta", "output", "messages");
    assertEquals(Map.of("role", "reasoning", "content", "Check the clause."), out.get(0));
    assertEquals("Clause 4.2 covers it.", out.get(1).get("content"));
    assertEquals("tool_use", at(llm, "meta", "metadata", "stop_reason"));
    Map<String, Object> metrics = (Map<String, Object>) llm.get("metrics");
    assertEquals(32, metrics.get("input_tokens"));
    assertEquals(15, metrics.get("output_tokens"));
    assertEquals(7, metrics.get("cache_read_input_tokens"));
    assertTrue(((Number) metrics.get("time_to_first_token")).doubleValue() > 0);
  }

  @Test void aCallThroughTheVertexClientIsOneLlmSpanWithGoogleAsProvider() {
    api.on(":rawPredict", Reply.json(FINAL));
    AnthropicClient vertex = LLMObsAnthropic.wrap(AnthropicOkHttpClient.builder()
        .backend(VertexBackend.builder().googleCredentials(GoogleCredentials.create(new AccessToken("ya29.secret-token", null)))
            .region("us-east5").project("claims-prod").baseUrl(api.baseUrl()).build())
        .maxRetries(0).build());
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      vertex.messages().create(ask("claude-sonnet-4-5@20250929"));
    }
    assertEquals("/v1/projects/claims-prod/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict",
        api.requests().get(0).path);
    Map<String, Object> llm = span("anthropic.request");
    assertEquals("google", at(llm, "meta", "model_provider"));
    assertEquals("claude-sonnet-4-5-20250929", at(llm, "meta", "model_name"));
    assertEquals(2, intake.spans().size());
    assertFalse(intake.requests().get(0).bodyText().contains("ya29.secret-token"), "no Google token in any span");
  }

  /** An InvokeModelWithResponseStream chunk as Bedrock frames it: the model's own event, base64, in an event frame. */
  static byte[] chunk(String json) {
    String b64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":event-type", HeaderValue.fromString("chunk"));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("event"));
    ByteBuffer b = new software.amazon.eventstream.Message(h,
        ("{\"bytes\":\"" + b64 + "\",\"p\":\"abcd\"}").getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
