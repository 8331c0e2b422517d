package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.Context;
import dev.llmobs.LLMObs;
import dev.llmobs.lambda.TracedRequestHandler;
import dev.llmobs.mcp.LLMObsMcp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * Example 6, the agent: takes its tools from the claims MCP server (example 6's other function, at
 * {@code MCP_SERVER_URL}, an IAM-authorized function URL: requests signed with SigV4), calls the ones the question
 * needs, and has Bedrock answer from what they returned. The MCP client is traced in two lines (the transport, its
 * context provider) and sends its trace context in the requests' {@code _meta} and headers, so the server function's
 * spans join this function's trace.
 */
public class ClaimsMcpAgent extends TracedRequestHandler<Map<String, Object>, Map<String, Object>> {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final BedrockRuntimeClient BEDROCK = BedrockRuntimeClient.builder()
      .httpClient(UrlConnectionHttpClient.create()).build();
  private static McpSyncClient tools;

  /** One MCP client per execution environment, opened on the first invocation (its spans belong to that one). */
  static synchronized McpSyncClient tools() {
    if (tools == null) {
      var transport = HttpClientStreamableHttpTransport.builder(System.getenv("MCP_SERVER_URL"))
          .endpoint(System.getenv().getOrDefault("MCP_SERVER_PATH", "/mcp"))
          .addHttpRequestCustomizer(new SigV4Requests()) // the function URL is IAM-authorized
          .addHttpRequestCustomizer(LLMObsMcp.httpHeaders()).build();
      tools = McpClient.sync(LLMObsMcp.client(transport, TIMEOUT)).requestTimeout(TIMEOUT)
          .transportContextProvider(LLMObsMcp.context())
          .clientInfo(new McpSchema.Implementation("claims-agent", "1.0.0")).build();
      tools.initialize();
    }
    return tools;
  }

  @Override protected Map<String, Object> handle(Map<String, Object> event, Context context) {
    String claimId = String.valueOf(event.getOrDefault("claimId", "unknown"));
    String question = String.valueOf(event.getOrDefault("question", ""));
    LLMObs.currentSpan().sessionId("claim-" + claimId);
    McpSyncClient mcp = tools();
    List<String> offered = mcp.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    StringBuilder facts = new StringBuilder("Answer from these facts only:\n");
    if (offered.contains("get_claim_status")) facts.append("- ").append(call(mcp, "get_claim_status", Map.of("claimId", claimId)));
    if (offered.contains("policy_lookup")) facts.append("\n- ").append(call(mcp, "policy_lookup", Map.of("subject", question)));
    var reply = BEDROCK.converse(r -> r.modelId(System.getenv().getOrDefault("MODEL_ID",
            "us.anthropic.claude-3-5-haiku-20241022-v1:0"))
        .system(SystemContentBlock.builder().text(facts.toString()).build())
        .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(question)).build()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("claimId", claimId);
    out.put("answer", reply.output().message().content().get(0).text());
    return out;
  }

  private static String call(McpSyncClient mcp, String tool, Map<String, Object> args) {
    McpSchema.CallToolResult r = mcp.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(args).build());
    StringBuilder text = new StringBuilder();
    for (McpSchema.Content c : r.content()) if (c instanceof McpSchema.TextContent) text.append(((McpSchema.TextContent) c).text());
    return text.toString();
  }
}
