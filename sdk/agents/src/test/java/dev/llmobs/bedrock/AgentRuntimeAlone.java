package dev.llmobs.bedrock;

import dev.llmobs.FlushResult;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;

/**
 * A function that uses Bedrock Agent Runtime and not Bedrock Runtime, run in a class loader without bedrockruntime
 * by {@link AgentRuntimeWithoutBedrockRuntimeTest}: a Retrieve, traced, flushed to the intake at {@code origin}.
 */
public final class AgentRuntimeAlone implements BiFunction<String, String, Integer> {
  @Override public Integer apply(String endpoint, String origin) {
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", origin, "DD_LLMOBS_ML_APP", "claims-assistant"));
    try (BedrockAgentRuntimeClient client = BedrockAgentRuntimeClient.builder().endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"))).build();
        LLMObsSpan root = LLMObs.workflow("caller")) {
      client.retrieve(r -> r.knowledgeBaseId("KB12345678").retrievalQuery(q -> q.text("Is water damage covered?")));
    }
    FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
    return r.spansSent();
  }
}
