package dev.llmobs.examples.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** OpenAI's chat completions API on loopback, one fixed answer, for {@code LayerColdStart openai}. */
final class FakeOpenAI implements AutoCloseable {
  private static final byte[] CHAT = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Sudden water damage is covered by clause 4.2.\",\"refusal\":null},\"logprobs\":null,"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":130,\"completion_tokens\":12,\"total_tokens\":142,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":100}}}").getBytes(StandardCharsets.UTF_8);
  private final HttpServer server;

  FakeOpenAI() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/chat/completions", ex -> {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, CHAT.length);
        ex.getResponseBody().write(CHAT);
      }
    });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override public void close() {
    server.stop(0);
  }
}
