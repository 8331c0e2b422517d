package dev.llmobs.mcp;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.TracerHandle;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;

/**
 * One traced request of an MCP client, named and shaped as dd-trace-py's MCP integration records it: a
 * {@code tools/call} is a {@code tool} span "MCP Client Tool Call: NAME" (arguments in, the result's content and
 * {@code isError} out, an {@code isError} result an error), the rest {@code task} spans ("MCP Client Initialize",
 * "MCP Client List Tools", ...) with the request in and the result out. Every span carries what {@code initialize}
 * said of the server ({@code mcp_server_name}, {@code mcp_server_version}, {@code mcp_server_title}).
 */
final class ClientCall {
  final LLMObsSpan span;
  private final TracingClientTransport transport;
  private final String method;
  private final AtomicBoolean ended = new AtomicBoolean();
  volatile Disposable timer;
  /** When the request left, on the monotonic clock: whether the client's timeout has passed is told from it. */
  final long sentNanos = System.nanoTime();

  private ClientCall(TracingClientTransport transport, String method, LLMObsSpan span) {
    this.transport = transport;
    this.method = method;
    this.span = span;
  }

  /** The span name of a traced method, or null for one not traced (ping, logging, completion). */
  static String operation(String method) {
    switch (method) {
      case "tools/call": return "MCP Client Tool Call";
      case "initialize": return "MCP Client Initialize";
      case "tools/list": return "MCP Client List Tools";
      case "resources/list": return "MCP Client List Resources";
      case "resources/templates/list": return "MCP Client List Resource Templates";
      case "resources/read": return "MCP Client Read Resource";
      case "prompts/list": return "MCP Client List Prompts";
      case "prompts/get": return "MCP Client Get Prompt";
      default: return null;
    }
  }

  static ClientCall start(TracingClientTransport transport, String method, Map<String, Object> params, LLMObsSpan parent) {
    boolean tool = method.equals("tools/call");
    Object toolName = params.get("name");
    String name = operation(method) + (tool ? ": " + toolName : "");
    var builder = LLMObs.span(tool ? SpanKind.TOOL : SpanKind.TASK, name);
    if (parent != null) builder.parent(parent);
    LLMObsSpan span = builder.startDetached();
    span.tag("mcp_method", method).tag("mcp_tool_kind", "client");
    for (Map.Entry<String, String> e : transport.server.entrySet()) span.tag(e.getKey(), e.getValue());
    if (tool) {
      span.tag("mcp_tool", String.valueOf(toolName));
      Object arguments = params.get("arguments");
      span.input(arguments == null ? Map.of() : arguments);
    } else {
      Map<String, Object> in = new LinkedHashMap<>(params);
      in.remove(McpMeta.META);
      if (!in.isEmpty()) span.input(in);
    }
    return new ClientCall(transport, method, span);
  }

  /** The server's answer: a result, or a JSON-RPC error. */
  @SuppressWarnings("unchecked")
  synchronized void answered(Map<String, Object> result, McpSchema.JSONRPCResponse.JSONRPCError error) {
    if (!ended.compareAndSet(false, true)) return;
    try {
      if (error != null) {
        span.error("McpError", error.code() + ": " + error.message());
      } else if (result != null && method.equals("tools/call")) {
        List<Object> content = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Object blocks = result.get("content");
        if (blocks instanceof List) {
          for (Object b : (List<Object>) blocks) {
            content.add(b);
            if (b instanceof Map && "text".equals(((Map<String, Object>) b).get("type"))) {
              if (text.length() > 0) text.append('\n');
              text.append(((Map<String, Object>) b).get("text"));
            }
          }
        }
        boolean isError = Boolean.TRUE.equals(result.get("isError"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("content", content);
        out.put("isError", isError);
        if (result.get("structuredContent") != null) out.put("structuredContent", result.get("structuredContent"));
        span.output(out);
        if (isError) span.error("ToolError", text.length() > 0 ? text.toString() : "tool resulted in an error");
      } else if (result != null) {
        if (method.equals("initialize")) learnServer(result);
        for (Map.Entry<String, String> e : transport.server.entrySet()) span.tag(e.getKey(), e.getValue());
        span.output(result);
      }
    } finally {
      finish();
    }
  }

  @SuppressWarnings("unchecked")
  private void learnServer(Map<String, Object> result) {
    Object info = result.get("serverInfo");
    if (!(info instanceof Map)) return;
    Map<String, String> tags = new LinkedHashMap<>();
    for (String key : new String[] {"name", "version", "title"}) {
      Object v = ((Map<String, Object>) info).get(key);
      if (v != null) tags.put("mcp_server_" + key, v.toString());
    }
    transport.server = Map.copyOf(tags);
  }

  // The ends are synchronized: one that loses the race to another waits until the winner has finished the span, so a
  // client's close or an invocation's end never returns while this call's span is still being written.

  /** No answer will come: the client gave up, the transport closed, or the invocation ended first. */
  synchronized void endWithoutAnswer(String why) {
    if (!ended.compareAndSet(false, true)) return;
    span.error("McpTimeout", why);
    finish();
  }

  /** Ends as it is; {@code failure} (sending failed) makes it an error. */
  synchronized void end(Throwable failure) {
    if (!ended.compareAndSet(false, true)) return;
    if (failure != null) span.error(failure);
    finish();
  }

  private void finish() {
    Disposable t = timer;
    if (t != null) t.dispose();
    span.finish();
    TracerHandle.current().callEnded(this);
  }
}
