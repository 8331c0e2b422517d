package dev.llmobs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.examples.harness.FakeBedrock;
import dev.llmobs.examples.harness.LambdaHarness;
import dev.llmobs.examples.harness.LocalIntake;
import dev.llmobs.local.FunctionUrl;
import dev.llmobs.local.RuntimeApi;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Example 6 under the real Lambda runtime client, two functions in two JVMs: the agent calls the claims MCP server
 * through the server function's URL (a local stand-in of Function URLs); both functions' spans form one trace.
 */
class McpLambdaIT {
  @SuppressWarnings("unchecked")
  static String kind(Map<String, Object> s) {
    return (String) ((Map<String, Object>) ((Map<String, Object>) s.get("meta")).get("span")).get("kind");
  }

  static Map<String, Object> named(List<Map<String, Object>> spans, String name) {
    return spans.stream().filter(s -> name.equals(s.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(s -> s.get("name")).toList()));
  }

  @Test void theAgentAndTheMcpServerFunctionAreOneTrace() throws Exception {
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    try (LocalIntake intake = new LocalIntake(LambdaHarness.targetDir().resolve("mcp-spans.jsonl"), quiet);
        FakeBedrock bedrock = new FakeBedrock();
        LambdaHarness server = new LambdaHarness("claims-tools-server", "dev.llmobs.examples.ClaimsToolsServer",
            LambdaHarness.env(intake, bedrock, "DD_LLMOBS_ML_APP", "claims-tools"), false);
        FunctionUrl url = new FunctionUrl(server.runtimeApi, 30_000);
        LambdaHarness agent = new LambdaHarness("claims-mcp-agent", "dev.llmobs.examples.ClaimsMcpAgent",
            LambdaHarness.env(intake, bedrock, "MCP_SERVER_URL", url.url()), false)) {
      RuntimeApi.Outcome o = agent.runtimeApi.invoke("agent-1",
          "{\"claimId\":\"88412\",\"question\":\"Is water damage from a burst pipe covered?\"}",
          System.currentTimeMillis() + 60_000).get(90, TimeUnit.SECONDS);
      assertFalse(o.error, o + "\nagent:\n" + agent.output() + "\nserver:\n" + server.output());
      assertTrue(o.body.contains("clause 4.2"), o.body);

      List<Map<String, Object>> trace = intake.trace("agent-1");
      Map<String, Object> agentRoot = trace.stream().filter(s -> "undefined".equals(s.get("parent_id"))).findFirst().orElseThrow();
      Map<String, Object> call = named(trace, "MCP Client Tool Call: get_claim_status");
      Map<String, Object> serverRoot = trace.stream().filter(s -> "claims-tools-server".equals(s.get("name"))
          && call.get("span_id").equals(s.get("parent_id"))).findFirst()
          .orElseThrow(() -> new AssertionError("the server function's invocation under the client's tool span: " + trace));
      Map<String, Object> served = trace.stream().filter(s -> "get_claim_status".equals(s.get("name"))).findFirst().orElseThrow();
      Map<String, Object> lookup = named(trace, "claims-db.lookup");
      assertEquals(agentRoot.get("span_id"), call.get("parent_id"));
      assertEquals(serverRoot.get("span_id"), served.get("parent_id"), "the server's tool span under its invocation");
      assertEquals(served.get("span_id"), lookup.get("parent_id"));
      assertEquals("tool", kind(served));
      assertTrue(((List<Object>) (List<?>) served.get("tags")).contains("ml_app:claims-tools"), "the server's own ml_app");
      assertTrue(((List<Object>) (List<?>) agentRoot.get("tags")).contains("ml_app:claims-assistant"));
      assertEquals("llm", kind(named(trace, "bedrock-runtime.converse")));
      Map<String, Object> init = named(trace, "MCP Client Initialize");
      Map<String, Object> servedInit = named(trace, "MCP Server initialize");
      assertEquals(init.get("span_id"), trace.stream().filter(s -> s.get("span_id").equals(servedInit.get("parent_id")))
          .findFirst().orElseThrow().get("parent_id"), "the server's initialize under its invocation, under the client's");
      named(trace, "MCP Client List Tools");
      named(trace, "MCP Client Tool Call: policy_lookup");
    }
  }
}
