package dev.llmobs.examples.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A deterministic Anthropic Messages API on loopback for example 5: asks for the policy lookup tool while the
 * conversation has no tool result, and answers once it has one.
 */
public final class FakeAnthropic implements AutoCloseable {
  private final HttpServer server;

  public FakeAnthropic() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/messages", ex -> {
      try {
        String req = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String reply = req.contains("tool_result")
            ? "{\"id\":\"msg_demo2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"urgent: a burst pipe is sudden water damage (clause 4.2);"
                + " report it within 30 days (clause 7.1).\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":96,\"output_tokens\":31,\"cache_read_input_tokens\":412}}"
            : "{\"id\":\"msg_demo1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Let me read the policy.\"},{\"type\":\"tool_use\","
                + "\"id\":\"toolu_demo1\",\"name\":\"policy_lookup\",\"input\":{\"claimId\":\"88412\"}}],"
                + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":412,\"output_tokens\":48,"
                + "\"cache_creation_input_tokens\":412}}";
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override public void close() {
    server.stop(0);
  }
}
