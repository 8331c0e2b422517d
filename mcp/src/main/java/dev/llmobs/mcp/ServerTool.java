package dev.llmobs.mcp;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.Throwables;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A server's tool call as a span, as dd-trace-py records the server's side: a {@code tool} span named after the tool,
 * continuing the caller's trace from the request's {@code _meta} (under the client's tool span), with the server's
 * own ml_app, current while the tool runs so that what it does nests under it (its children take its ml_app); an
 * {@code isError} result an error; the tool's own exception recorded and rethrown as it was.
 */
final class ServerTool {
  private ServerTool() {}

  static McpSchema.CallToolResult call(McpSchema.CallToolRequest request, Supplier<McpSchema.CallToolResult> tool) {
    LLMObsSpan span = start(request);
    if (span == null) return tool.get();
    try {
      McpSchema.CallToolResult result = tool.get();
      record(span, result);
      return result;
    } catch (RuntimeException | Error e) {
      span.error(e);
      throw e;
    } finally {
      span.finish();
    }
  }

  /** The span, current on this thread; null when tracing is off or the request cannot be read (then untraced). */
  static LLMObsSpan start(McpSchema.CallToolRequest request) {
    if (!LLMObs.isEnabled()) return null;
    try {
      var builder = McpMeta.serverSpan(SpanKind.TOOL, request.name(), request.meta());
      LLMObsSpan span = builder.start();
      span.tag("mcp_method", "tools/call").tag("mcp_tool", request.name()).tag("mcp_tool_kind", "server");
      span.input(request.arguments() == null ? Map.of() : request.arguments());
      return span;
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      return null;
    }
  }

  static void record(LLMObsSpan span, McpSchema.CallToolResult result) {
    if (result == null) return;
    try {
      List<Object> content = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      if (result.content() != null) {
        for (McpSchema.Content c : result.content()) {
          if (c instanceof McpSchema.TextContent) {
            String t = ((McpSchema.TextContent) c).text();
            content.add(Map.of("type", "text", "text", t == null ? "" : t));
            if (text.length() > 0) text.append('\n');
            text.append(t);
          } else {
            content.add(Map.of("type", c.type()));
          }
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("content", content);
      out.put("isError", Boolean.TRUE.equals(result.isError()));
      if (result.structuredContent() != null) out.put("structuredContent", result.structuredContent());
      span.output(out);
      if (Boolean.TRUE.equals(result.isError())) {
        span.error("ToolError", text.length() > 0 ? text.toString() : "tool resulted in an error");
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
    }
  }
}
