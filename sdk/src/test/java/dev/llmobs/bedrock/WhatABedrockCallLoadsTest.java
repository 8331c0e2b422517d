package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.LLMObs;
import dev.llmobs.bedrock.BedrockStub.Reply;
import dev.llmobs.testing.ClassPaths;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * What a function's first Bedrock call makes us load beyond what the AWS SDK loads itself: a Converse call none of
 * the InvokeModel families (Converse has one shape for every model), and a sync call not its client's whole
 * configuration (only an async call's taps need its API call timeout). Each call runs in a fresh copy of the class
 * path, so what it loaded can be seen, and its span is read from the file it was flushed to.
 */
class WhatABedrockCallLoadsTest {
  @TempDir Path dir;

  /** A fresh copy of the test's class path that says which classes it has loaded. */
  static final class Fresh extends URLClassLoader {
    Fresh() throws Exception {
      super(ClassPaths.without(entry -> false), ClassLoader.getPlatformClassLoader());
    }

    boolean loaded(String name) {
      return findLoadedClass(name) != null;
    }
  }

  /** Runs inside a {@link Fresh} loader: one traced call through a client with the global interceptor, flushed. */
  public static final class OneCall {
    public static void run(String endpoint, String exportFile, boolean converse) {
      LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", exportFile, "LLMOBS_LOG_LEVEL", "warn",
          "LLMOBS_ML_APP", "families"));
      try (BedrockRuntimeClient client = BedrockRuntimeClient.builder().endpointOverride(URI.create(endpoint))
          .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
          .build()) {
        LLMObs.workflow("call", () -> {
          if (converse) {
            client.converse(ConverseFixtures.question());
          } else {
            client.invokeModel(b -> b.modelId("anthropic.claude-3-5-haiku-20241022-v1:0").body(SdkBytes.fromUtf8String(
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")));
          }
        });
      }
      LLMObs.flush();
    }
  }

  private String callInAFreshLoader(Fresh loader, BedrockStub stub, boolean converse) throws Exception {
    Path file = Files.createTempFile(dir, "spans", ".jsonl");
    loader.loadClass(OneCall.class.getName()).getMethod("run", String.class, String.class, boolean.class)
        .invoke(null, stub.endpoint().toString(), file.toString(), converse);
    return Files.readString(file);
  }

  @Test void aSyncConverseCallLoadsNoModelFamilyNorItsClientsConfiguration() throws Exception {
    try (BedrockStub stub = new BedrockStub(); Fresh loader = new Fresh()) {
      stub.reply(Reply.json(ConverseFixtures.TEXT_REPLY));
      String spans = callInAFreshLoader(loader, stub, true);
      assertTrue(spans.contains("\"name\":\"bedrock-runtime.converse\""), spans);
      assertTrue(spans.contains("Sudden water damage is covered."), spans);
      assertTrue(loader.loaded("dev.llmobs.bedrock.BedrockCalls"), "the call went through the interceptor");
      assertFalse(loader.loaded("dev.llmobs.bedrock.ModelFamily$Known"));
      assertFalse(loader.loaded("dev.llmobs.bedrock.Anthropic"));
      assertFalse(loader.loaded("software.amazon.awssdk.core.client.config.ClientOverrideConfiguration"),
          "the client's configuration built to read a timeout the sync call does not need");
    }
  }

  @Test void anInvokeModelCallLoadsTheFamilies() throws Exception {
    try (BedrockStub stub = new BedrockStub(); Fresh loader = new Fresh()) {
      stub.reply(Reply.json("{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":"
          + "\"Hello there\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}"));
      String spans = callInAFreshLoader(loader, stub, false);
      assertTrue(spans.contains("Hello there"), spans); // read by the Anthropic family
      assertTrue(loader.loaded("dev.llmobs.bedrock.Anthropic"));
      assertTrue(spans.contains("\"name\":\"bedrock-runtime.invoke_model\""), spans);
    }
  }
}
