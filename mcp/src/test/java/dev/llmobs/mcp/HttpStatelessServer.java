package dev.llmobs.mcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import reactor.core.publisher.Mono;

/**
 * A stateless MCP server transport over streamable HTTP on loopback (the JDK's HTTP server): each POST to {@code /mcp}
 * is one JSON-RPC message, answered with its JSON-RPC response (a notification with 202); no session, no SSE stream
 * (a GET is 405, which the client takes as "no stream"). What the MCP SDK's servlet transport does, without a
 * servlet container.
 */
final class HttpStatelessServer implements McpStatelessServerTransport, AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mcp-http-server");
    t.setDaemon(true);
    return t;
  });
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private volatile McpStatelessServerHandler handler;
  /** The trace headers of each POST, with its JSON-RPC method: what a Lambda function's root span would read. */
  final java.util.List<java.util.Map<String, String>> traceHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();

  HttpStatelessServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
    server.setExecutor(threads);
    server.createContext("/mcp", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      if (!ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(json, body);
      if (message instanceof McpSchema.JSONRPCRequest) {
        java.util.Map<String, String> seen = new java.util.TreeMap<>();
        seen.put("method", ((McpSchema.JSONRPCRequest) message).method());
        for (String h : new String[] {"traceparent", "x-datadog-parent-id", "x-datadog-tags"}) {
          String v = ex.getRequestHeaders().getFirst(h);
          if (v != null) seen.put(h, v);
        }
        traceHeaders.add(seen);
      }
      if (message instanceof McpSchema.JSONRPCRequest) {
        McpSchema.JSONRPCResponse response = handler.handleRequest(McpTransportContext.EMPTY,
            (McpSchema.JSONRPCRequest) message).block();
        byte[] out = json.writeValueAsBytes(response);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
      } else {
        if (message instanceof McpSchema.JSONRPCNotification) {
          handler.handleNotification(McpTransportContext.EMPTY, (McpSchema.JSONRPCNotification) message).block();
        }
        ex.sendResponseHeaders(202, -1);
      }
    } catch (RuntimeException e) {
      ex.sendResponseHeaders(500, -1);
    } finally {
      ex.close();
    }
  }

  /** Stops at once: connections in progress are cut, as when the server's process dies. */
  void die() {
    server.stop(0);
    threads.shutdownNow();
  }

  @Override public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(this::die);
  }

  @Override public void close() {
    die();
  }
}
