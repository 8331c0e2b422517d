package dev.llmobs.examples;

import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs each MCP request to an IAM-authorized function URL with the function's own credentials (SigV4, service
 * {@code lambda}), as function URLs with {@code AuthType: AWS_IAM} require. The signature covers the body; headers
 * added after it (our trace headers) are not signed, which SigV4 allows.
 */
final class SigV4Requests implements McpSyncHttpClientRequestCustomizer {
  private final DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");

  @Override public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body,
      McpTransportContext context) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(endpoint)
        .putHeader("content-type", "application/json").build();
    AwsCredentialsIdentity identity = credentials.resolveCredentials();
    SignedRequest signed = signer.sign(r -> r.identity(identity).request(request)
        .payload(ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      String name = h.getKey();
      if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")) continue; // restricted: the client sets them
      builder.setHeader(name, String.join(",", h.getValue()));
    }
  }
}
