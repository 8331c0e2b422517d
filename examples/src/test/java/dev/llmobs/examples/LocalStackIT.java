package dev.llmobs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.examples.harness.LambdaHarness;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Deploys example 3 to LocalStack's Lambda (in Docker, AWS's own runtime image) and invokes it. Layers are a paid
 * LocalStack feature, so our jars go inside the function package's {@code lib/}. Spans go to stdout, read back from
 * the invocation's log tail.
 *
 * <p>Runs only with a Docker engine AND {@code LLMOBS_LOCALSTACK=true}: without the opt-in a Docker engine that cannot
 * pull images would fail rather than skip. Our CI has no Docker engine: there it is skipped, saying why.
 */
@EnabledIfEnvironmentVariable(named = "LLMOBS_LOCALSTACK", matches = "true",
    disabledReason = "opt-in: set LLMOBS_LOCALSTACK=true, with a Docker engine that can pull localstack/localstack:4.14.0")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT {
  // The last community image that starts without an auth token (lambda-notes.md 5.8).
  @Container
  static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0")).withServices("lambda", "iam");

  @Test void anExampleFunctionDeployedToLocalStackAnswersAndPrintsItsSpans() throws Exception {
    Path target = LambdaHarness.targetDir();
    byte[] zip = functionWithOurJars(target.resolve("llmobs-examples-function.zip"), target.resolve("layer.zip"));
    try (LambdaClient lambda = LambdaClient.builder().endpointOverride(LOCALSTACK.getEndpoint())
        .region(Region.of(LOCALSTACK.getRegion()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()))).build()) {
      lambda.createFunction(f -> f.functionName("evaluated-answer").runtime(Runtime.JAVA21)
          .handler("dev.llmobs.examples.EvaluatedAnswer").role("arn:aws:iam::000000000000:role/lambda-role")
          .timeout(60).memorySize(1024).code(c -> c.zipFile(SdkBytes.fromByteArray(zip)))
          .environment(e -> e.variables(Map.of("LLMOBS_EXPORTER", "stdout", "DD_LLMOBS_ML_APP", "claims-assistant"))));
      lambda.waiter().waitUntilFunctionActiveV2(w -> w.functionName("evaluated-answer"));
      InvokeResponse r = lambda.invoke(i -> i.functionName("evaluated-answer").logType(LogType.TAIL)
          .payload(SdkBytes.fromUtf8String("{\"question\":\"Is water damage covered?\"}")));
      assertNull(r.functionError(), r.payload().asUtf8String());
      assertTrue(r.payload().asUtf8String().contains("clause 4.2"), r.payload().asUtf8String());
      String logs = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
      assertTrue(logs.contains("\"event_type\":\"span\""), logs);
      assertEquals(200, r.statusCode());
    }
  }

  /** The function package with our layer's jar added to lib/, as the layer would have provided it. */
  static byte[] functionWithOurJars(Path functionZip, Path layerZip) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes); ZipFile fn = new ZipFile(functionZip.toFile());
         ZipFile layer = new ZipFile(layerZip.toFile())) {
      copy(fn, out, "");
      for (Enumeration<? extends ZipEntry> e = layer.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory() && entry.getName().startsWith("java/lib/")) {
          out.putNextEntry(new ZipEntry("lib/" + entry.getName().substring("java/lib/".length())));
          try (InputStream in = layer.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
    return bytes.toByteArray();
  }

  private static void copy(ZipFile from, ZipOutputStream out, String prefix) throws Exception {
    for (Enumeration<? extends ZipEntry> e = from.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      out.putNextEntry(new ZipEntry(prefix + entry.getName()));
      if (!entry.isDirectory()) {
        try (InputStream in = from.getInputStream(entry)) {
          in.transferTo(out);
        }
      }
      out.closeEntry();
    }
  }

}
