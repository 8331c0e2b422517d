package dev.llmobs.examples.harness;

import dev.llmobs.local.FunctionUrl;
import dev.llmobs.local.Intake;
import dev.llmobs.local.LlmobsLocal;
import dev.llmobs.local.TraceTree;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo (README's first command), run through {@code llmobs-local invoke} as a user would run their own function:
 * example 1, the claims assistant, then example 4, the same assistant as a LangChain4j AI Service, then example 5,
 * claims triage with the Anthropic Java SDK, then example 6, an agent function calling an MCP server function (one
 * trace across both), each from the examples' function zip under the real runtime interface
 * client with our layer on /opt, against local stand-ins for Bedrock and the Anthropic API (no model runs: their
 * answers are canned, chosen from what the request carries). Every span, evaluation and invocation ends in
 * {@code examples/target/demo-spans.jsonl} and the page {@code examples/target/demo-spans.html}. No AWS or Datadog
 * account.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Path target = LambdaHarness.targetDir();
    Path work = target.resolve("demo");
    Files.createDirectories(work);
    List<Path> files = new ArrayList<>();
    int failed = 0;
    try (FakeBedrock bedrock = new FakeBedrock(); FakeAnthropic anthropic = new FakeAnthropic()) {
      failed += run(out, work, files, "claims-assistant", "dev.llmobs.examples.ClaimsAssistant", false,
          LambdaHarness.env("", bedrock), "example 1, a guardrail, a Knowledge Base and Bedrock Converse, called directly",
          "{\"claimId\":\"88412\",\"question\":\"Is water damage from a burst pipe covered?\"}",
          "{\"claimId\":\"88412\",\"question\":\"How long do I have to report a claim?\"}",
          "{\"claimId\":\"88412\",\"question\":\"Is gradual seepage covered?\"}",
          "{\"claimId\":\"88412\",\"question\":\"Can I sue my neighbour over the leak?\"}");
      failed += run(out, work, files, "claims-agent", "dev.llmobs.examples.ClaimsAgent", true,
          LambdaHarness.env("", bedrock), "example 4, a LangChain4j AI Service over Bedrock",
          "{\"claimId\":\"88412\",\"question\":\"Is water damage from a burst pipe covered?\"}",
          "{\"claimId\":\"90233\",\"question\":\"Is gradual seepage covered?\"}");
      failed += run(out, work, files, "claims-triage", "dev.llmobs.examples.ClaimsTriage", false,
          LambdaHarness.env("", bedrock, "ANTHROPIC_BASE_URL", anthropic.baseUrl(), "ANTHROPIC_API_KEY",
              "sk-ant-demo-not-a-key"), "example 5, the Anthropic Java SDK called directly",
          "{\"claimId\":\"88412\",\"description\":\"A pipe burst in the kitchen\"}");
      // Example 6: two functions, the MCP server behind a (local) function URL and the agent calling it. Both send
      // their spans to one intake, so that the trace that crosses them reads whole.
      PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
      try (Intake shared = new Intake(0, work.resolve("claims-mcp.jsonl"), quiet);
          LambdaHarness server = new LambdaHarness("claims-tools-server", "dev.llmobs.examples.ClaimsToolsServer",
              LambdaHarness.env(shared.origin(), bedrock, "DD_LLMOBS_ML_APP", "claims-tools"), false);
          FunctionUrl url = new FunctionUrl(server.runtimeApi, 30_000)) {
        out.println();
        out.println("== example 6: the claims tools as an MCP server function (" + server.layerMode + ") at " + url.url());
        failed += run(out, work, files, "claims-mcp-agent", "dev.llmobs.examples.ClaimsMcpAgent", false,
            LambdaHarness.env(shared.origin(), bedrock, "MCP_SERVER_URL", url.url()),
            "example 6, an agent calling the MCP server function",
            "{\"claimId\":\"88412\",\"question\":\"Is water damage from a burst pipe covered?\"}");
        out.println();
        out.println("== example 6 across both functions, as one intake received it");
        TraceTree.print(shared.spans(), out);
        files.add(shared.file());
      }
    }
    Path all = target.resolve("demo-spans.jsonl");
    StringBuilder records = new StringBuilder();
    for (Path f : files) records.append(Files.readString(f, StandardCharsets.UTF_8));
    Files.writeString(all, records, StandardCharsets.UTF_8);
    out.println();
    out.println("== every example's traces in one page");
    int view = LlmobsLocal.run(new String[] {"view", all.toString()}, out, System.err, InputStream.nullInputStream());
    if (view != 0 || failed != 0) System.exit(1);
  }

  /** One example through {@code llmobs-local invoke}; returns 1 when the tool reported a failure. */
  private static int run(PrintStream out, Path work, List<Path> files, String name, String handler, boolean zeroCode,
      Map<String, String> env, String what, String... events) throws Exception {
    out.println();
    out.println("== " + what + ": llmobs-local invoke --handler " + handler);
    List<String> args = new ArrayList<>(List.of("invoke", "--handler", handler, "--function",
        LambdaHarness.targetDir().resolve("llmobs-examples-function.zip").toString(), "--name", name));
    for (int i = 0; i < events.length; i++) {
      Path event = work.resolve(name + "-event-" + (i + 1) + ".json");
      Files.writeString(event, events[i], StandardCharsets.UTF_8);
      args.add("--event");
      args.add(event.toString());
    }
    Map<String, String> fnEnv = new TreeMap<>(env);
    if (fnEnv.getOrDefault("DD_TRACE_AGENT_URL", "").isEmpty()) fnEnv.remove("DD_TRACE_AGENT_URL"); // the tool's own intake
    if (!zeroCode) fnEnv.put("AWS_LAMBDA_EXEC_WRAPPER", ""); // these adopt in code (a base class)
    for (Map.Entry<String, String> e : fnEnv.entrySet()) {
      args.add("--env");
      args.add(e.getKey() + "=" + e.getValue());
    }
    Path spans = work.resolve(name + ".jsonl");
    files.add(spans);
    args.addAll(List.of("--spans", spans.toString()));
    return LlmobsLocal.run(args.toArray(new String[0]), out, System.err, InputStream.nullInputStream()) == 0 ? 0 : 1;
  }
}
