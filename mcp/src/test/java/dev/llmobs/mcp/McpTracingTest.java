package dev.llmobs.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.TestIntake;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real MCP Java SDK, client and stateless server, over streamable HTTP on loopback in one JVM, both traced; spans
 * read at the loopback intake. The server's spans continue the client's trace through {@code params._meta} alone
 * (the server's threads have no current span).
 */
@Timeout(60)
class McpTracingTest {
  TestIntake intake;
  HttpStatelessServer http;
  McpStatelessSyncServer server;
  final CountDownLatch neverReleased = new CountDownLatch(1);
  final Map<String, Map<String, Object>> metaSeen = new ConcurrentHashMap<>();

  static McpSchema.Tool tool(String name) {
    return McpSchema.Tool.builder().name(name).description("claims: " + name)
        .inputSchema(Map.of("type", "object", "properties", Map.of("claimId", Map.of("type", "string")))).build();
  }

  static McpSchema.CallToolResult text(String text, boolean error) {
    return McpSchema.CallToolResult.builder().content(List.of(new McpSchema.TextContent(text))).isError(error).build();
  }

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims-agent"));
    http = new HttpStatelessServer();
    server = McpServer.sync(LLMObsMcp.server(http)).serverInfo("claims-tools", "1.4.0").immediateExecution(true)
        .tools(LLMObsMcp.tools(
            new McpStatelessServerFeatures.SyncToolSpecification(tool("get_claim_status"), (ctx, req) -> {
              metaSeen.put(String.valueOf(req.arguments().get("claimId")), req.meta() == null ? Map.of() : req.meta());
              try (LLMObsSpan lookup = LLMObs.task("claims-db.lookup")) { // what the tool does nests under it
                lookup.output("OPEN");
              }
              return text("claim " + req.arguments().get("claimId") + " is OPEN", false);
            }),
            new McpStatelessServerFeatures.SyncToolSpecification(tool("file_claim"),
                (ctx, req) -> text("the claims system refused: duplicate claim", true)),
            new McpStatelessServerFeatures.SyncToolSpecification(tool("slow_lookup"), (ctx, req) -> {
              try {
                neverReleased.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return text("too late", false);
            }),
            new McpStatelessServerFeatures.SyncToolSpecification(tool("crash"), (ctx, req) -> {
              http.die(); // the server's process goes away mid-call
              return text("never sent", false);
            })))
        .resources(new McpStatelessServerFeatures.SyncResourceSpecification(McpSchema.Resource.builder()
            .uri("policy://88412/clauses").name("clauses").mimeType("text/plain").build(),
            (ctx, req) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(req.uri(),
                "text/plain", "Clause 4.2: a burst pipe is covered.")))))
        .prompts(new McpStatelessServerFeatures.SyncPromptSpecification(new McpSchema.Prompt("triage",
            "Triage a claim", List.of()), (ctx, req) -> new McpSchema.GetPromptResult("Triage a claim",
            List.of(new McpSchema.PromptMessage(McpSchema.Role.USER, new McpSchema.TextContent("Triage claim 88412."))))))
        .build();
  }

  @AfterEach void stop() {
    neverReleased.countDown();
    server.close();
    http.close();
    intake.close();
  }

  McpClientTransport bareTransport() {
    return HttpClientStreamableHttpTransport.builder(http.baseUrl()).endpoint("/mcp").build();
  }

  McpSyncClient client(Duration timeout) {
    return McpClient.sync(LLMObsMcp.client(bareTransport(), timeout)).requestTimeout(timeout)
        .transportContextProvider(LLMObsMcp.context()).build();
  }

  List<Map<String, Object>> spans() {
    LLMObs.flush(Duration.ofSeconds(5));
    return intake.spans();
  }

  static Map<String, Object> named(List<Map<String, Object>> spans, String name) {
    for (Map<String, Object> s : spans) if (name.equals(s.get("name"))) return s;
    throw new AssertionError("no span " + name + " in " + names(spans));
  }

  static List<Object> names(List<Map<String, Object>> spans) {
    List<Object> n = new ArrayList<>();
    for (Map<String, Object> s : spans) n.add(s.get("name"));
    return n;
  }

  @SuppressWarnings("unchecked")
  static Object at(Map<String, Object> span, String... path) {
    Object o = span;
    for (String p : path) o = o instanceof Map ? ((Map<String, Object>) o).get(p) : null;
    return o;
  }

  @SuppressWarnings("unchecked")
  static List<String> tags(Map<String, Object> span) {
    return (List<String>) span.get("tags");
  }

  @Test void aToolCallIsOneTraceFromTheClientsCallerToWhatTheToolDoes() {
    McpSchema.CallToolResult result;
    try (McpSyncClient client = client(Duration.ofSeconds(20))) {
      try (LLMObsSpan agent = LLMObs.agent("claims-agent")) {
        client.initialize();
        client.listTools();
        result = client.callTool(new McpSchema.CallToolRequest("get_claim_status", Map.of("claimId", "88412")));
      }
    }
    assertEquals("claim 88412 is OPEN", ((McpSchema.TextContent) result.content().get(0)).text(), "the caller's result");
    List<Map<String, Object>> spans = spans();
    Map<String, Object> agent = named(spans, "claims-agent"), init = named(spans, "MCP Client Initialize"),
        list = named(spans, "MCP Client List Tools"), call = named(spans, "MCP Client Tool Call: get_claim_status"),
        served = named(spans, "get_claim_status"), lookup = named(spans, "claims-db.lookup");
    for (Map<String, Object> s : List.of(init, list, call, served, lookup)) {
      assertEquals(agent.get("trace_id"), s.get("trace_id"), "one trace: " + s.get("name"));
    }
    assertEquals(agent.get("span_id"), init.get("parent_id"));
    assertEquals(agent.get("span_id"), call.get("parent_id"));
    assertEquals(call.get("span_id"), served.get("parent_id"), "the server's span is under the client's tool span");
    assertEquals(served.get("span_id"), lookup.get("parent_id"), "what the tool does is under the server's span");

    assertEquals("task", at(init, "meta", "span", "kind"));
    Map<String, Object> servedInit = named(spans, "MCP Server initialize"), servedList = named(spans, "MCP Server tools/list");
    assertEquals(init.get("span_id"), servedInit.get("parent_id"), "the server's side of initialize, under the client's");
    assertEquals(list.get("span_id"), servedList.get("parent_id"));
    assertEquals("task", at(servedInit, "meta", "span", "kind"));
    assertTrue(String.valueOf(at(servedList, "meta", "output", "value")).contains("get_claim_status"));
    assertTrue(tags(servedInit).contains("mcp_tool_kind:server"));
    assertEquals(0, spans.stream().filter(s -> "MCP Server tools/call".equals(s.get("name"))).count(),
        "a tool call's server span is the tool's own");
    assertTrue(String.valueOf(at(init, "meta", "output", "value")).contains("claims-tools"));
    assertTrue(tags(call).containsAll(List.of("mcp_server_name:claims-tools", "mcp_server_version:1.4.0",
        "mcp_tool_kind:client", "mcp_tool:get_claim_status", "mcp_method:tools/call")), tags(call).toString());
    assertTrue(String.valueOf(at(list, "meta", "output", "value")).contains("get_claim_status"));
    assertEquals("tool", at(call, "meta", "span", "kind"));
    assertEquals("{\"claimId\":\"88412\"}", at(call, "meta", "input", "value"));
    assertEquals("{\"content\":[{\"type\":\"text\",\"text\":\"claim 88412 is OPEN\"}],\"isError\":false}",
        at(call, "meta", "output", "value"));
    assertEquals("tool", at(served, "meta", "span", "kind"));
    assertTrue(tags(served).containsAll(List.of("mcp_tool_kind:server", "mcp_tool:get_claim_status")));
    assertEquals("ok", served.get("status"));
    Map<String, Object> meta = metaSeen.get("88412");
    assertTrue(String.valueOf(meta.get("traceparent")).startsWith("00-" + agent.get("trace_id") + "-"), meta.toString());
    assertTrue(String.valueOf(meta.get("tracestate")).contains("t.llmobs_parent_id:" + call.get("span_id")), meta.toString());
    assertTrue(meta.get("_dd_trace_context") instanceof Map, meta.toString());
  }

  @Test void theFirstCallInitializesOnTheClientsOwnThreadAndStillNestsUnderTheCaller() {
    try (McpSyncClient client = client(Duration.ofSeconds(20)); LLMObsSpan agent = LLMObs.agent("claims-agent")) {
      client.callTool(new McpSchema.CallToolRequest("get_claim_status", Map.of("claimId", "first")));
    }
    List<Map<String, Object>> spans = spans();
    Map<String, Object> agent = named(spans, "claims-agent");
    assertEquals(agent.get("span_id"), named(spans, "MCP Client Initialize").get("parent_id"));
    assertEquals(agent.get("span_id"), named(spans, "MCP Client Tool Call: get_claim_status").get("parent_id"));
  }

  @Test void overHttpEachRequestAlsoCarriesItsOwnSpanInHeaders() {
    McpClientTransport transport = HttpClientStreamableHttpTransport.builder(http.baseUrl()).endpoint("/mcp")
        .httpRequestCustomizer(LLMObsMcp.httpHeaders()).build();
    try (McpSyncClient client = McpClient.sync(LLMObsMcp.client(transport)).transportContextProvider(LLMObsMcp.context())
        .build(); LLMObsSpan agent = LLMObs.agent("claims-agent")) {
      client.callTool(new McpSchema.CallToolRequest("get_claim_status", Map.of("claimId", "h")));
    }
    Map<String, Object> call = named(spans(), "MCP Client Tool Call: get_claim_status");
    Map<String, String> sent = http.traceHeaders.stream().filter(h -> "tools/call".equals(h.get("method")))
        .findFirst().orElseThrow();
    assertTrue(sent.get("x-datadog-tags").contains("_dd.p.llmobs_parent_id=" + call.get("span_id")), sent.toString());
    assertTrue(sent.get("traceparent").startsWith("00-" + call.get("trace_id")), sent.toString());
  }

  @Test void resourcesAndPromptsAreTaskSpansWithWhatTheServerReturned() {
    try (McpSyncClient client = client(Duration.ofSeconds(20)); LLMObsSpan agent = LLMObs.agent("claims-agent")) {
      client.listResources();
      client.readResource(new McpSchema.ReadResourceRequest("policy://88412/clauses"));
      client.listPrompts();
      client.getPrompt(new McpSchema.GetPromptRequest("triage", Map.of()));
    }
    List<Map<String, Object>> spans = spans();
    Map<String, Object> agent = named(spans, "claims-agent");
    for (String name : List.of("MCP Client List Resources", "MCP Client Read Resource", "MCP Client List Prompts",
        "MCP Client Get Prompt")) {
      Map<String, Object> s = named(spans, name);
      assertEquals("task", at(s, "meta", "span", "kind"), name);
      assertEquals(agent.get("span_id"), s.get("parent_id"), name);
    }
    assertTrue(String.valueOf(at(named(spans, "MCP Client Read Resource"), "meta", "input", "value")).contains("policy://88412/clauses"));
    assertTrue(String.valueOf(at(named(spans, "MCP Client Read Resource"), "meta", "output", "value")).contains("Clause 4.2"));
    assertTrue(String.valueOf(at(named(spans, "MCP Client Get Prompt"), "meta", "output", "value")).contains("Triage claim 88412."));
    assertTrue(String.valueOf(at(named(spans, "MCP Client List Prompts"), "meta", "output", "value")).contains("triage"));
  }

  @Test void aToolThatReportsAnErrorIsAnErrorOnBothSides() {
    McpSchema.CallToolResult result;
    try (McpSyncClient client = client(Duration.ofSeconds(20)); LLMObsSpan agent = LLMObs.agent("claims-agent")) {
      result = client.callTool(new McpSchema.CallToolRequest("file_claim", Map.of("claimId", "1")));
    }
    assertTrue(result.isError(), "the caller still gets the tool's result");
    List<Map<String, Object>> spans = spans();
    for (String name : List.of("MCP Client Tool Call: file_claim", "file_claim")) {
      Map<String, Object> s = named(spans, name);
      assertEquals("error", s.get("status"), name);
      assertEquals("ToolError", at(s, "meta", "error", "type"), name);
      assertEquals("the claims system refused: duplicate claim", at(s, "meta", "error", "message"), name);
    }
  }

  @Test void aServerThatNeverAnswersEndsTheSpanAtTheClientsTimeoutAndTheCallersExceptionIsUntouched() {
    RuntimeException bare, traced;
    try (McpSyncClient untraced = McpClient.sync(bareTransport()).requestTimeout(Duration.ofMillis(700)).build()) {
      untraced.initialize();
      bare = assertThrows(RuntimeException.class,
          () -> untraced.callTool(new McpSchema.CallToolRequest("slow_lookup", Map.of("claimId", "1"))));
    }
    try (McpSyncClient client = client(Duration.ofMillis(700)); LLMObsSpan agent = LLMObs.agent("claims-agent")) {
      client.initialize();
      traced = assertThrows(RuntimeException.class,
          () -> client.callTool(new McpSchema.CallToolRequest("slow_lookup", Map.of("claimId", "2"))));
    }
    assertEquals(bare.getClass(), traced.getClass());
    assertEquals(String.valueOf(bare.getMessage()).replaceAll("\\d+", "#"), String.valueOf(traced.getMessage()).replaceAll("\\d+", "#"));
    Map<String, Object> call = named(spans(), "MCP Client Tool Call: slow_lookup");
    assertEquals("error", call.get("status"));
    assertEquals("McpTimeout", at(call, "meta", "error", "type"));
    assertTrue(String.valueOf(at(call, "meta", "error", "message")).contains("within 700 ms"));
  }

  @Test void aServerThatDiesMidCallEndsTheSpanInErrorAndTheCallersExceptionIsUntouched() {
    RuntimeException thrown;
    try (McpSyncClient client = client(Duration.ofSeconds(5)); LLMObsSpan agent = LLMObs.agent("claims-agent")) {
      client.initialize();
      thrown = assertThrows(RuntimeException.class,
          () -> client.callTool(new McpSchema.CallToolRequest("crash", Map.of("claimId", "3"))));
    }
    assertTrue(thrown.getClass().getName().startsWith("io.modelcontextprotocol") || thrown.getCause() != null, thrown.toString());
    Map<String, Object> call = named(spans(), "MCP Client Tool Call: crash");
    assertEquals("error", call.get("status"));
  }

  @SuppressWarnings("unchecked")
  @Test void metaAnotherTracerAlreadyWroteIsKept() {
    Map<String, Object> theirs = new LinkedHashMap<>();
    theirs.put("progressToken", "p-1");
    theirs.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    theirs.put("tracestate", "rojo=00f067aa0ba902b7");
    theirs.put("_dd_trace_context", Map.of("x-datadog-trace-id", "1234567", "x-datadog-parent-id", "7654321",
        "x-datadog-origin", "synthetics"));
    try (McpSyncClient client = client(Duration.ofSeconds(20)); LLMObsSpan agent = LLMObs.agent("claims-agent")) {
      client.callTool(new McpSchema.CallToolRequest("get_claim_status", Map.of("claimId", "kept"), theirs));
    }
    Map<String, Object> meta = metaSeen.get("kept");
    assertEquals("p-1", meta.get("progressToken"));
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", meta.get("traceparent"), "their parent");
    assertTrue(String.valueOf(meta.get("tracestate")).contains("rojo=00f067aa0ba902b7"), meta.toString());
    Map<String, Object> dd = (Map<String, Object>) meta.get("_dd_trace_context");
    assertEquals("1234567", dd.get("x-datadog-trace-id"));
    assertEquals("synthetics", dd.get("x-datadog-origin"));
    List<Map<String, Object>> spans = spans();
    assertEquals(named(spans, "MCP Client Tool Call: get_claim_status").get("span_id"),
        named(spans, "get_claim_status").get("parent_id"), "our parent still travels beside theirs");
  }

  @Test void fourConcurrentSessionsKeepTheirSpansApart() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CyclicBarrier together = new CyclicBarrier(4);
    try {
      List<Future<String>> traces = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String claim = "c" + i;
        traces.add(pool.submit(() -> {
          try (McpSyncClient client = client(Duration.ofSeconds(20)); LLMObsSpan agent = LLMObs.agent("agent-" + claim)) {
            client.initialize();
            together.await(30, TimeUnit.SECONDS);
            for (int k = 0; k < 3; k++) client.callTool(new McpSchema.CallToolRequest("get_claim_status", Map.of("claimId", claim)));
            return agent.context().traceId();
          }
        }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : traces) ids.add(f.get(60, TimeUnit.SECONDS));
      List<Map<String, Object>> spans = spans();
      for (int i = 0; i < 4; i++) {
        String trace = ids.get(i);
        Map<String, Object> agent = named(spans, "agent-c" + i);
        long calls = 0;
        for (Map<String, Object> s : spans) {
          if (!trace.equals(s.get("trace_id"))) continue;
          if ("get_claim_status".equals(s.get("name"))) {
            calls++;
            assertEquals("{\"claimId\":\"c" + i + "\"}", at(s, "meta", "input", "value"), "no span crosses sessions");
          }
          if (String.valueOf(s.get("name")).startsWith("MCP Client Tool Call")) {
            assertEquals(agent.get("span_id"), s.get("parent_id"));
          }
        }
        assertEquals(3, calls);
      }
      assertEquals(4, ids.stream().distinct().count());
      assertNotEquals(ids.get(0), ids.get(1));
    } finally {
      pool.shutdownNow();
    }
  }
}
