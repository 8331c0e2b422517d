package dev.llmobs.examples;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A stateless MCP server transport (streamable HTTP, no session, no SSE stream) over Lambda's HTTP events: a
 * Function URL or an API Gateway HTTP API (payload 2.0) event in, its response out. One JSON-RPC message per POST,
 * answered with its JSON-RPC response; a notification with 202; anything but POST with 405 (the client takes it as
 * "no stream"). The MCP SDK's own servlet transport does the same behind a servlet container.
 */
final class McpFunctionUrl implements McpStatelessServerTransport {
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private volatile McpStatelessServerHandler handler;

  @Override public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  /** One HTTP event, served. */
  @SuppressWarnings("unchecked")
  Map<String, Object> serve(Map<String, Object> event) {
    Map<String, Object> http = (Map<String, Object>) ((Map<String, Object>) event.getOrDefault("requestContext", Map.of()))
        .getOrDefault("http", Map.of());
    if (!"POST".equals(http.get("method"))) return response(405, null);
    Object raw = event.get("body");
    if (raw == null) return response(400, error("no body"));
    String body = Boolean.TRUE.equals(event.get("isBase64Encoded"))
        ? new String(Base64.getDecoder().decode(raw.toString()), StandardCharsets.UTF_8) : raw.toString();
    try {
      McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(json, body);
      if (message instanceof McpSchema.JSONRPCRequest) {
        McpSchema.JSONRPCResponse answer = handler.handleRequest(McpTransportContext.EMPTY,
            (McpSchema.JSONRPCRequest) message).block();
        return response(200, json.writeValueAsString(answer));
      }
      if (message instanceof McpSchema.JSONRPCNotification) {
        handler.handleNotification(McpTransportContext.EMPTY, (McpSchema.JSONRPCNotification) message).block();
      }
      return response(202, null);
    } catch (java.io.IOException e) {
      return response(400, error("not a JSON-RPC message: " + e.getMessage()));
    }
  }

  private static String error(String message) {
    return "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"" + message.replace("\"", "'") + "\"}}";
  }

  private static Map<String, Object> response(int status, String body) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("statusCode", status);
    r.put("headers", Map.of("content-type", "application/json"));
    if (body != null) r.put("body", body);
    r.put("isBase64Encoded", false);
    return r;
  }

  @Override public Mono<Void> closeGracefully() {
    return Mono.empty();
  }
}
