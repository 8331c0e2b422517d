package dev.llmobs.bench;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Cold start of a first Bedrock Converse call (client built, call made, response read) in fresh JVMs: without
 * llmobs on the class path at all, and with it (the interceptor found through the global resource, the span
 * recorded), and the same followed by a first Knowledge Base Retrieve (a second service the interceptor reads).
 * Alternates the two; reports medians and their ratio. Run: {@code benchmarks/run-cold-start.sh bedrock [runs]}.
 */
public final class BedrockColdStart {
  private BedrockColdStart() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    // Our jars last, where a layer's go.
    String full = ColdJvm.classPathWithLast("llmobs-sdk", "/sdk/target/", "jackson-jr");
    String plain = ColdJvm.classPathWithout("llmobs-sdk", "/sdk/target/", "jackson-jr");
    try (ConverseStub stub = new ConverseStub()) {
      ColdJvm.compare("first Converse call", runs, () -> child(plain, stub, "plain"), () -> child(full, stub, "traced"));
      ColdJvm.compare("first Converse call, then a first Knowledge Base Retrieve", runs,
          () -> child(plain, stub, "plain", "retrieve"), () -> child(full, stub, "traced", "retrieve"));
    }
  }

  private static long child(String cp, ConverseStub stub, String mode, String... more) throws Exception {
    String[] args = new String[2 + more.length];
    args[0] = mode;
    args[1] = stub.endpoint().toString();
    System.arraycopy(more, 0, args, 2, more.length);
    return ColdJvm.run(cp, Child.class.getName(), Map.of("LLMOBS_EXPORTER", "stdout", "LLMOBS_LOG_LEVEL", "warn"), args);
  }


  /** Runs in each cold JVM: build the client, make one Converse call. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      boolean traced = args[0].equals("traced");
      long start = System.nanoTime();
      try (BedrockRuntimeClient client = BedrockRuntimeClient.builder().endpointOverride(java.net.URI.create(args[1]))
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
          .httpClient(UrlConnectionHttpClient.create()).build()) {
        ConverseResponse r = client.converse(b -> b.modelId("anthropic.claude-3-5-haiku-20241022-v1:0")
            .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Covered?")).build()));
        if (r.usage().outputTokens() != 18) throw new IllegalStateException("unexpected reply");
      }
      if (args.length > 2) { // a second service, as a RAG function has: the interceptor reads it too
        try (var kb = software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient.builder()
            .endpointOverride(java.net.URI.create(args[1])).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .httpClient(UrlConnectionHttpClient.create()).build()) {
          int found = kb.retrieve(b -> b.knowledgeBaseId("KB12345678").retrievalQuery(q -> q.text("Covered?")))
              .retrievalResults().size();
          if (found != 2) throw new IllegalStateException("unexpected retrieval");
        }
      }
      long elapsed = System.nanoTime() - start;
      if (traced && !Class.forName("dev.llmobs.LLMObs").getMethod("isEnabled").invoke(null).equals(true)) {
        throw new IllegalStateException("llmobs not active");
      }
      System.out.println("elapsed_ns=" + elapsed);
    }
  }
}
