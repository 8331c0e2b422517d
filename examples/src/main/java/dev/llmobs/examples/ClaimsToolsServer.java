package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import dev.llmobs.LLMObs;
import dev.llmobs.lambda.TracedRequestHandler;
import dev.llmobs.mcp.LLMObsMcp;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Example 6, the server: the claims tools as a stateless MCP server (streamable HTTP) behind a Lambda function URL.
 * The invocation's root span continues the caller's trace from the request's headers; each tool call is a
 * {@code tool} span under it ({@code LLMObsMcp.tools}), each other request a {@code task} ({@code LLMObsMcp.server}),
 * and what a tool does nests under its span: the agent's call, the server's work and the model's answer are one trace
 * across both functions.
 */
public class ClaimsToolsServer extends TracedRequestHandler<Map<String, Object>, Map<String, Object>> {
  static final McpFunctionUrl TRANSPORT = new McpFunctionUrl();
  static final McpStatelessSyncServer SERVER = McpServer.sync(LLMObsMcp.server(TRANSPORT)).serverInfo("claims-tools", "1.0.0")
      .immediateExecution(true) // tools run on the invocation's thread, inside its root span and before its flush
      .tools(LLMObsMcp.tools(
          new McpStatelessServerFeatures.SyncToolSpecification(tool("get_claim_status",
              "Status of a claim: when it was reported and its cause"), (ctx, req) -> text(status(req.arguments()))),
          new McpStatelessServerFeatures.SyncToolSpecification(tool("policy_lookup",
              "The policy clauses about a subject"), (ctx, req) -> text(clauses(req.arguments())))))
      .build();

  @Override protected Map<String, Object> handle(Map<String, Object> event, Context context) {
    return TRANSPORT.serve(event);
  }

  static McpSchema.Tool tool(String name, String description) {
    return McpSchema.Tool.builder().name(name).description(description).inputSchema(Map.of("type", "object",
        "properties", Map.of("claimId", Map.of("type", "string"), "subject", Map.of("type", "string")))).build();
  }

  static McpSchema.CallToolResult text(String text) {
    return McpSchema.CallToolResult.builder().content(List.of(new McpSchema.TextContent(text))).isError(false).build();
  }

  /** A claims system in a real function; a lookup span and a fixed answer here. */
  static String status(Map<String, Object> args) {
    String claimId = String.valueOf(args == null ? null : args.get("claimId"));
    return LLMObs.task("claims-db.lookup", () -> {
      LLMObs.currentSpan().input(claimId).output("OPEN");
      return "Claim " + claimId + ": OPEN, reported 2 days after the damage, cause: burst pipe.";
    });
  }

  static String clauses(Map<String, Object> args) {
    String subject = String.valueOf(args == null ? "" : args.getOrDefault("subject", "")).toLowerCase(java.util.Locale.ROOT);
    if (subject.contains("seep") || subject.contains("gradual")) {
      return "Clause 4.3: gradual damage, seepage and lack of maintenance are excluded.";
    }
    return "Clause 4.2: sudden and accidental water damage, such as a burst pipe, is covered up to the limit.";
  }
}
