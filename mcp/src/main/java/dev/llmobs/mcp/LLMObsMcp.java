package dev.llmobs.mcp;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * MCP traced on both sides, through the MCP Java SDK's own seams (a transport, a context provider, tool
 * specifications), with no agent.
 *
 * <p>Client, one line around the transport and one beside it (and, over HTTP, the headers too):
 * <pre>{@code
 * var transport = HttpClientStreamableHttpTransport.builder(url).httpRequestCustomizer(LLMObsMcp.httpHeaders()).build();
 * McpSyncClient client = McpClient.sync(LLMObsMcp.client(transport))
 *     .transportContextProvider(LLMObsMcp.context())
 *     .build();
 * }</pre>
 * Server, one line around its tools (and, stateless, one around its transport for its other requests):
 * <pre>{@code
 * McpServer.sync(LLMObsMcp.server(statelessTransport)).tools(LLMObsMcp.tools(claimStatus, policyLookup)).build();
 * }</pre>
 * The client writes the caller's trace context into each request's {@code params._meta}; the server's tool spans
 * continue it, so that a tool call is one trace across both processes.
 */
public final class LLMObsMcp {
  /** Where our context provider leaves the caller's span for the transport. */
  static final String CONTEXT_KEY = "dev.llmobs.mcp.parent";
  /** The MCP Java SDK's default request timeout: when a request's span gives up waiting for its answer. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private LLMObsMcp() {}

  /** The client's transport, traced; for a client built with the SDK's default request timeout (20 s). */
  public static McpClientTransport client(McpClientTransport transport) {
    return client(transport, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * The client's transport, traced. {@code requestTimeout} is the client's own ({@code requestTimeout(...)} on its
   * builder): a request with no answer by then is ended as an error span, as the client gives up on it.
   */
  public static McpClientTransport client(McpClientTransport transport, Duration requestTimeout) {
    if (transport == null || transport instanceof TracingClientTransport) return transport;
    return new TracingClientTransport(transport, requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout);
  }

  /**
   * For the client builder's {@code transportContextProvider}: hands the caller's current span to the transport, so
   * that a request sent from one of the client's own threads (the first call, after initialization) still nests
   * under the caller.
   */
  public static Supplier<McpTransportContext> context() {
    return context(() -> McpTransportContext.EMPTY);
  }

  /** As {@link #context()}, keeping a context provider of your own: its entries stay readable. */
  public static Supplier<McpTransportContext> context(Supplier<McpTransportContext> yours) {
    return () -> {
      McpTransportContext theirs = yours == null ? null : yours.get();
      LLMObsSpan span = LLMObs.currentSpan();
      if (span == null || !span.isRecording()) return theirs == null ? McpTransportContext.EMPTY : theirs;
      return key -> CONTEXT_KEY.equals(key) ? span : theirs == null ? null : theirs.get(key);
    };
  }

  /**
   * For {@code HttpClientStreamableHttpTransport.builder(url).httpRequestCustomizer(...)}: each traced request also
   * carries its trace context as HTTP headers, so that an MCP server behind a traced Lambda function (whose root span
   * continues the headers' trace) is one trace with its caller.
   */
  public static McpSyncHttpClientRequestCustomizer httpHeaders() {
    return new TraceHeaders();
  }

  /**
   * A stateless server's transport (a server behind a Lambda function, say), traced: its other requests
   * ({@code initialize}, {@code tools/list}, resources, prompts) as {@code task} spans in the caller's trace. Tool calls
   * are the tools' own spans ({@link #tools}).
   */
  public static McpStatelessServerTransport server(McpStatelessServerTransport transport) {
    if (transport == null || transport instanceof TracingStatelessTransport) return transport;
    return new TracingStatelessTransport(transport);
  }

  /** A server's tools, traced: each call a {@code tool} span in the caller's trace. */
  public static List<McpServerFeatures.SyncToolSpecification> tools(McpServerFeatures.SyncToolSpecification... tools) {
    List<McpServerFeatures.SyncToolSpecification> out = new ArrayList<>(tools.length);
    for (McpServerFeatures.SyncToolSpecification t : tools) {
      out.add(new McpServerFeatures.SyncToolSpecification(t.tool(),
          (exchange, request) -> ServerTool.call(request, () -> t.callHandler().apply(exchange, request))));
    }
    return out;
  }

  /** A stateless server's tools (a server behind a Lambda function, say), traced the same way. */
  public static List<McpStatelessServerFeatures.SyncToolSpecification> tools(
      McpStatelessServerFeatures.SyncToolSpecification... tools) {
    List<McpStatelessServerFeatures.SyncToolSpecification> out = new ArrayList<>(tools.length);
    for (McpStatelessServerFeatures.SyncToolSpecification t : tools) {
      out.add(new McpStatelessServerFeatures.SyncToolSpecification(t.tool(),
          (context, request) -> ServerTool.call(request, () -> t.callHandler().apply(context, request))));
    }
    return out;
  }
}
