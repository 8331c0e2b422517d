package dev.llmobs.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A loopback stand-in of the Anthropic Messages and OpenAI chat APIs, answering at once, for the benchmarks. */
final class LlmStub implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  static final String MESSAGE = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"Sudden water damage is covered by clause 4.2.\"}],\"stop_reason\":\"end_turn\","
      + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":30,\"output_tokens\":12,\"cache_read_input_tokens\":100}}";
  static final String CHAT = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sudden water damage is covered by clause 4.2.\","
      + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":130,\"completion_tokens\":12,"
      + "\"total_tokens\":142,\"prompt_tokens_details\":{\"cached_tokens\":100}}}";

  private final HttpServer server;

  LlmStub() throws java.io.IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/messages", ex -> answer(ex, MESSAGE));
    server.createContext("/v1/chat/completions", ex -> answer(ex, CHAT));
    server.start();
  }

  private static void answer(com.sun.net.httpserver.HttpExchange ex, String body) throws java.io.IOException {
    ex.getRequestBody().readAllBytes();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override public void close() {
    server.stop(0);
  }
}
