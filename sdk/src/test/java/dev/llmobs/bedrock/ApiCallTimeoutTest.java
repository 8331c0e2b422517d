package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkInternalExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;

/** The API call timeout a span waits for: the request's own, else its client's, each client's its own. */
class ApiCallTimeoutTest {
  static BedrockRuntimeClient client(Duration timeout) {
    return BedrockRuntimeClient.builder().endpointOverride(URI.create("http://127.0.0.1:9")).region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> { if (timeout != null) o.apiCallTimeout(timeout); }).build();
  }

  static Duration askedThrough(BedrockRuntimeClient client, ConverseRequest request) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkInternalExecutionAttribute.SDK_CLIENT, client);
    return LlmObsBedrockInterceptor.apiCallTimeout((Context.BeforeExecution) () -> request, attributes);
  }

  @Test void eachClientAnswersWithItsOwnTimeoutWhenCallsAlternate() {
    ConverseRequest plain = ConverseRequest.builder().modelId("m").build();
    try (BedrockRuntimeClient seven = client(Duration.ofSeconds(7)); BedrockRuntimeClient none = client(null)) {
      for (int round = 0; round < 3; round++) {
        assertEquals(Duration.ofSeconds(7), askedThrough(seven, plain));
        assertNull(askedThrough(none, plain));
      }
      ConverseRequest own = plain.toBuilder().overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(300))).build();
      assertEquals(Duration.ofMillis(300), askedThrough(seven, own), "the request's own timeout first");
      assertEquals(Duration.ofMillis(300), askedThrough(none, own));
    }
  }
}
