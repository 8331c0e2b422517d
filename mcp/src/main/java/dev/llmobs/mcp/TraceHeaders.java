package dev.llmobs.mcp;

import dev.llmobs.internal.Throwables;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

/**
 * For an MCP client over HTTP: the trace context our transport wrapper put in a request's {@code params._meta} also
 * sent as HTTP headers, so that whatever serves the request first (a Lambda function's own root span, a proxy's
 * tracer) continues the same trace. Read back from the body, so the headers name the very span of that request.
 */
final class TraceHeaders implements McpSyncHttpClientRequestCustomizer {
  @SuppressWarnings("unchecked")
  @Override public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body,
      McpTransportContext context) {
    if (body == null || !body.contains(McpMeta.DD)) return;
    try {
      Map<String, Object> message = McpJsonDefaults.getMapper().readValue(body, Map.class);
      Object params = message.get("params");
      Object meta = params instanceof Map ? ((Map<String, Object>) params).get(McpMeta.META) : null;
      Object dd = meta instanceof Map ? ((Map<String, Object>) meta).get(McpMeta.DD) : null;
      if (!(dd instanceof Map)) return;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) dd).entrySet()) {
        if (e.getValue() != null) builder.setHeader(e.getKey(), e.getValue().toString());
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t); // the request goes as it was
    }
  }
}
