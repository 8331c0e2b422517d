package dev.llmobs.examples.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic Bedrock Runtime on loopback for the examples: Converse asks for the claim-status tool when the
 * request offers it and has no tool result yet, and answers otherwise.
 */
public final class FakeBedrock implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true"); // else delayed ACKs dominate (lambda-notes.md)
  }

  private final HttpServer server;
  public final AtomicInteger calls = new AtomicInteger();

  public FakeBedrock() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", ex -> {
      try {
        String req = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.incrementAndGet();
        String reply;
        if (req.contains("get_claim_status") && !req.contains("toolResult")) {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Let me check the claim.\"},"
              + "{\"toolUse\":{\"toolUseId\":\"tooluse_demo1\",\"name\":\"get_claim_status\",\"input\":{\"claimId\":\"88412\"}}}]}},"
              + "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":180,\"outputTokens\":32,\"totalTokens\":212},"
              + "\"metrics\":{\"latencyMs\":610}}";
        } else if (req.contains("get_claim_status")) {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Yes. A burst pipe is sudden"
              + " water damage, covered by clause 4.2 up to the policy limit, and the claim was reported within the 30"
              + " days of clause 7.1.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":236,\"outputTokens\":41,"
              + "\"totalTokens\":1305,\"cacheReadInputTokens\":1028,\"cacheWriteInputTokens\":0},\"metrics\":{\"latencyMs\":880}}";
        } else {
          reply = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"A short summary.\"}]}},"
              + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":25,\"outputTokens\":5,\"totalTokens\":30},"
              + "\"metrics\":{\"latencyMs\":200}}";
        }
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("x-amzn-RequestId", "fake-" + calls.get());
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override public void close() {
    server.stop(0);
  }
}
