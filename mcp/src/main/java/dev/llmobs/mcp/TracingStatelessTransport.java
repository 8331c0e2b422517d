package dev.llmobs.mcp;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.Throwables;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A stateless server's transport, seen through: each request but {@code tools/call} (whose span is the tool's own,
 * from {@link LLMObsMcp#tools}) becomes a {@code task} span "MCP Server METHOD", as dd-trace-py records a server's
 * requests, in the caller's trace (from {@code _meta}) with the server's own ml_app, the request in and the result or
 * the JSON-RPC error out. What the server receives and answers is untouched.
 */
final class TracingStatelessTransport implements McpStatelessServerTransport {
  private final McpStatelessServerTransport delegate;

  TracingStatelessTransport(McpStatelessServerTransport delegate) {
    this.delegate = delegate;
  }

  @Override public void setMcpHandler(McpStatelessServerHandler handler) {
    delegate.setMcpHandler(new McpStatelessServerHandler() {
      @Override public Mono<McpSchema.JSONRPCResponse> handleRequest(McpTransportContext context,
          McpSchema.JSONRPCRequest request) {
        LLMObsSpan span = "tools/call".equals(request.method()) ? null : start(request);
        if (span == null) return handler.handleRequest(context, request);
        return handler.handleRequest(context, request).doOnNext(r -> answered(span, r))
            .doOnError(span::error).doFinally(s -> span.finish());
      }

      @Override public Mono<Void> handleNotification(McpTransportContext context,
          McpSchema.JSONRPCNotification notification) {
        return handler.handleNotification(context, notification);
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static LLMObsSpan start(McpSchema.JSONRPCRequest request) {
    if (!LLMObs.isEnabled()) return null;
    try {
      Map<String, Object> params = request.params() instanceof Map ? (Map<String, Object>) request.params() : Map.of();
      Object meta = params.get(McpMeta.META);
      var builder = McpMeta.serverSpan(SpanKind.TASK, "MCP Server " + request.method(),
          meta instanceof Map ? (Map<String, Object>) meta : null);
      LLMObsSpan span = builder.startDetached();
      span.tag("mcp_method", request.method()).tag("mcp_tool_kind", "server");
      Map<String, Object> in = new java.util.LinkedHashMap<>(params);
      in.remove(McpMeta.META);
      if (!in.isEmpty()) span.input(in);
      return span;
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return null;
    }
  }

  private static void answered(LLMObsSpan span, McpSchema.JSONRPCResponse response) {
    try {
      if (response.error() != null) {
        span.error("McpError", response.error().code() + ": " + response.error().message());
      } else if (response.result() != null) {
        span.output(response.result());
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }

  @Override public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override public void close() {
    delegate.close();
  }

  @Override public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}
