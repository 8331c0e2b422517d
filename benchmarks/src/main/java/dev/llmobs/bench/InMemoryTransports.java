package dev.llmobs.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The vendors' SDK clients over a transport that answers from memory: the SDK's own work (building, serializing,
 * parsing) and ours, without a network round trip whose noise would hide microseconds. The request body is written
 * out as a real transport would write it.
 */
final class InMemoryTransports {
  private InMemoryTransports() {}

  static com.anthropic.client.AnthropicClient anthropic(String answer) {
    byte[] body = answer.getBytes(StandardCharsets.UTF_8);
    com.anthropic.core.http.HttpClient transport = new com.anthropic.core.http.HttpClient() {
      @Override public com.anthropic.core.http.HttpResponse execute(com.anthropic.core.http.HttpRequest request,
          com.anthropic.core.RequestOptions options) {
        request.body().ifPresent(b -> b.writeTo(OutputStream.nullOutputStream()));
        com.anthropic.core.http.Headers headers = com.anthropic.core.http.Headers.builder()
            .put("Content-Type", "application/json").build();
        return new com.anthropic.core.http.HttpResponse() {
          final InputStream in = new ByteArrayInputStream(body);

          @Override public int statusCode() {
            return 200;
          }

          @Override public com.anthropic.core.http.Headers headers() {
            return headers;
          }

          @Override public InputStream body() {
            return in;
          }

          @Override public void close() {}
        };
      }

      @Override public CompletableFuture<com.anthropic.core.http.HttpResponse> executeAsync(
          com.anthropic.core.http.HttpRequest request, com.anthropic.core.RequestOptions options) {
        return CompletableFuture.completedFuture(execute(request, options));
      }

      @Override public void close() {}
    };
    return new com.anthropic.client.AnthropicClientImpl(com.anthropic.core.ClientOptions.builder()
        .httpClient(transport).putHeader("x-api-key", "sk-ant-bench").maxRetries(0).build());
  }

  static com.openai.client.OpenAIClient openai(String answer) {
    byte[] body = answer.getBytes(StandardCharsets.UTF_8);
    com.openai.core.http.HttpClient transport = new com.openai.core.http.HttpClient() {
      @Override public com.openai.core.http.HttpResponse execute(com.openai.core.http.HttpRequest request,
          com.openai.core.RequestOptions options) {
        if (request.body() != null) request.body().writeTo(OutputStream.nullOutputStream());
        com.openai.core.http.Headers headers = com.openai.core.http.Headers.builder()
            .put("Content-Type", "application/json").build();
        return new com.openai.core.http.HttpResponse() {
          final InputStream in = new ByteArrayInputStream(body);

          @Override public int statusCode() {
            return 200;
          }

          @Override public com.openai.core.http.Headers headers() {
            return headers;
          }

          @Override public InputStream body() {
            return in;
          }

          @Override public void close() {}
        };
      }

      @Override public CompletableFuture<com.openai.core.http.HttpResponse> executeAsync(
          com.openai.core.http.HttpRequest request, com.openai.core.RequestOptions options) {
        return CompletableFuture.completedFuture(execute(request, options));
      }

      @Override public void close() {}
    };
    return new com.openai.client.OpenAIClientImpl(com.openai.core.ClientOptions.builder()
        .httpClient(transport).apiKey("sk-bench").maxRetries(0).build());
  }
}
