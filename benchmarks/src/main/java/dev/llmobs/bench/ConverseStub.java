package dev.llmobs.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A loopback Bedrock Runtime answering every Converse call at once with the same reply. */
public final class ConverseStub implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  static final byte[] REPLY = ("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Sudden water damage"
      + " is covered up to the policy limit.\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":231,"
      + "\"outputTokens\":18,\"totalTokens\":249},\"metrics\":{\"latencyMs\":420}}").getBytes(StandardCharsets.UTF_8);

  static final byte[] RETRIEVED = ("{\"retrievalResults\":[{\"content\":{\"text\":\"Clause 4.2: sudden water damage is "
      + "covered.\",\"type\":\"TEXT\"},\"location\":{\"type\":\"S3\",\"s3Location\":{\"uri\":\"s3://policies/home.pdf\"}},"
      + "\"score\":0.82,\"metadata\":{\"x-amz-bedrock-kb-chunk-id\":\"chunk-1\"}},{\"content\":{\"text\":\"Clause 7.1: "
      + "claims must be reported within 30 days.\",\"type\":\"TEXT\"},\"location\":{\"type\":\"S3\",\"s3Location\":"
      + "{\"uri\":\"s3://policies/home.pdf\"}},\"score\":0.61}]}").getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;

  public ConverseStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        in.readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("x-amzn-RequestId", "bench");
        byte[] reply = ex.getRequestURI().getPath().startsWith("/knowledgebases/") ? RETRIEVED : REPLY;
        ex.sendResponseHeaders(200, reply.length);
        ex.getResponseBody().write(reply);
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override public void close() {
    server.stop(0);
  }
}
