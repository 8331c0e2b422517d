package dev.llmobs.bench;

import dev.llmobs.LLMObs;
import dev.llmobs.internal.TracerHandle;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * What the Bedrock interceptor adds to a warm Converse call: the real sync client against a loopback stub, with
 * tracing on ({@code traced=true}: span, request and response parsed, span queued) and off (the interceptor only
 * checks the service name), and the same for a Knowledge Base {@code Retrieve}. Run:
 * {@code benchmarks/run-jmh.sh BedrockBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BedrockBenchmark {
  @Param({"false", "true"})
  public boolean traced;

  ConverseStub stub;
  BedrockRuntimeClient client;
  software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient knowledgeBases;
  final software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveRequest retrieve =
      software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveRequest.builder().knowledgeBaseId("KB12345678")
          .retrievalQuery(q -> q.text("Is water damage covered?")).build();
  ConverseRequest request = ConverseRequest.builder().modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
      .system(s -> s.text("You answer questions about the customer's insurance policy."))
      .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Is water damage covered?")).build())
      .inferenceConfig(c -> c.maxTokens(400).temperature(0.2f)).build();

  @Setup public void start() throws Exception {
    stub = new ConverseStub();
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null", "LLMOBS_LOG_LEVEL", "warn",
        "LLMOBS_BEDROCK_ENABLED", Boolean.toString(traced)));
    client = BedrockRuntimeClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    knowledgeBases = software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient.builder()
        .endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    if (TracerHandle.current().bedrock() != traced) throw new IllegalStateException("tracing switch not applied");
  }

  @TearDown public void stop() {
    client.close();
    knowledgeBases.close();
    stub.close();
  }

  @Benchmark public ConverseResponse converse() {
    return client.converse(request);
  }

  /** A Knowledge Base lookup: the second service the same interceptor reads (a retrieval span of two documents). */
  @Benchmark public Object retrieve() {
    return knowledgeBases.retrieve(retrieve);
  }
}
