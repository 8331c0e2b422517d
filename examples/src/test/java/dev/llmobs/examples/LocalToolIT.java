package dev.llmobs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmobs.examples.harness.FakeAnthropic;
import dev.llmobs.examples.harness.FakeBedrock;
import dev.llmobs.examples.harness.LambdaHarness;
import dev.llmobs.local.LlmobsLocal;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every example run the way a user runs their own function: {@code llmobs-local invoke} on the examples' function
 * zip, against the local Bedrock and Anthropic stand-ins. What each prints and records is checked: the trace's
 * shape, the answers (taken from what was retrieved), the evaluation of example 3, and no secret anywhere.
 */
class LocalToolIT {
  static FakeBedrock bedrock;
  static FakeAnthropic anthropic;
  static final String ANTHROPIC_KEY = "sk-ant-demo-not-a-key-41e9";

  @BeforeAll static void start() throws Exception {
    bedrock = new FakeBedrock();
    anthropic = new FakeAnthropic();
  }

  @AfterAll static void stop() {
    bedrock.close();
    anthropic.close();
  }

  /** What one run printed and recorded. */
  static final class Run {
    int exit;
    String output;
    final List<Map<String, Object>> spans = new ArrayList<>(), evaluations = new ArrayList<>(), invocations = new ArrayList<>();
  }

  @SuppressWarnings("unchecked")
  static Run invoke(String name, String handler, boolean zeroCode, Map<String, String> extraEnv, String... events)
      throws Exception {
    Path dir = LambdaHarness.targetDir().resolve("local-tool").resolve(name);
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>(List.of("invoke", "--handler", handler, "--function",
        LambdaHarness.targetDir().resolve("llmobs-examples-function.zip").toString(), "--name", name,
        "--spans", dir.resolve("spans.jsonl").toString()));
    for (int i = 0; i < events.length; i++) {
      Path e = dir.resolve("event-" + i + ".json");
      Files.writeString(e, events[i]);
      args.addAll(List.of("--event", e.toString()));
    }
    Map<String, String> env = new TreeMap<>(LambdaHarness.env("", bedrock));
    env.remove("DD_TRACE_AGENT_URL");
    env.putAll(extraEnv);
    if (!zeroCode) env.put("AWS_LAMBDA_EXEC_WRAPPER", "");
    env.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    Run r = new Run();
    r.exit = LlmobsLocal.run(args.toArray(new String[0]), out, out, InputStream.nullInputStream());
    r.output = printed.toString(StandardCharsets.UTF_8);
    for (String line : Files.readAllLines(dir.resolve("spans.jsonl"))) {
      Map<String, Object> m = JSON.std.mapFrom(line);
      if (m.containsKey("evaluation")) r.evaluations.add((Map<String, Object>) m.get("evaluation"));
      else if (m.containsKey("invocation")) r.invocations.add((Map<String, Object>) m.get("invocation"));
      else r.spans.add(m);
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  static List<String> kinds(Run r) {
    List<String> k = new ArrayList<>();
    for (Map<String, Object> s : r.spans) {
      k.add((String) ((Map<String, Object>) ((Map<String, Object>) s.get("meta")).get("span")).get("kind"));
    }
    k.sort(null);
    return k;
  }

  @Test void example1AnswersFromWhatWasRetrieved() throws Exception {
    Run r = invoke("claims-assistant", "dev.llmobs.examples.ClaimsAssistant", false, Map.of(),
        "{\"claimId\":\"88412\",\"question\":\"Is water damage from a burst pipe covered?\"}",
        "{\"claimId\":\"88412\",\"question\":\"Is gradual seepage covered?\"}",
        "{\"claimId\":\"88412\",\"question\":\"Can I sue my neighbour over the leak?\"}");
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("\"answer\":\"Yes. A burst pipe is sudden water damage, covered by clause 4.2"), r.output);
    assertTrue(r.output.contains("\"answer\":\"No. Gradual seepage is excluded by clause 4.3"), r.output);
    assertFalse(r.output.contains("seepage is sudden water damage"), r.output);
    assertTrue(r.output.contains("I can't advise on legal action"), r.output);
    assertEquals(6 + 6 + 2, r.spans.size(), r.output);
    assertEquals(List.of(true, false, false), r.invocations.stream().map(i -> i.get("cold_start")).toList());
  }

  @Test void example2IsTracedWithNoCodeThroughTheExecWrapper() throws Exception {
    Run r = invoke("plain", "dev.llmobs.examples.PlainHandler", true, Map.of(), "{\"text\":\"a pipe burst\"}");
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("traced with no code through /opt/llmobs-wrapper"), r.output);
    assertEquals(List.of("llm", "workflow"), kinds(r));
  }

  @Test void example3SendsItsEvaluationsJoinedToItsSpans() throws Exception {
    Run r = invoke("evaluated", "dev.llmobs.examples.EvaluatedAnswer", false, Map.of(),
        "{\"question\":\"Is water damage covered?\"}", "{}");
    assertEquals(1, r.exit, r.output); // the second event has no question: the function's own error, reported
    assertTrue(r.output.contains("\"errorType\":\"java.lang.IllegalArgumentException\""), r.output);
    assertEquals(2, r.evaluations.size(), r.output);
    for (Map<String, Object> e : r.evaluations) {
      @SuppressWarnings("unchecked")
      Object spanId = ((Map<String, Object>) ((Map<String, Object>) e.get("join_on")).get("span")).get("span_id");
      assertTrue(r.spans.stream().anyMatch(s -> s.get("span_id").equals(spanId)), "joined to a span that arrived");
    }
  }

  @Test void example4AndExample5() throws Exception {
    Run agent = invoke("claims-agent", "dev.llmobs.examples.ClaimsAgent", true, Map.of(),
        "{\"claimId\":\"90233\",\"question\":\"Is gradual seepage covered?\"}");
    assertEquals(0, agent.exit, agent.output);
    assertEquals(List.of("agent", "llm", "llm", "retrieval", "tool", "workflow", "workflow", "workflow"), kinds(agent));
    assertTrue(agent.output.contains("excluded by clause 4.3"), agent.output);

    Run triage = invoke("claims-triage", "dev.llmobs.examples.ClaimsTriage", false,
        Map.of("ANTHROPIC_BASE_URL", anthropic.baseUrl(), "ANTHROPIC_API_KEY", ANTHROPIC_KEY),
        "{\"claimId\":\"88412\",\"description\":\"A pipe burst in the kitchen\"}");
    assertEquals(0, triage.exit, triage.output);
    assertEquals(List.of("llm", "llm", "tool", "workflow"), kinds(triage));
    assertFalse(triage.output.contains(ANTHROPIC_KEY), "the API key was printed");
    assertFalse(JSON.std.asString(triage.spans).contains(ANTHROPIC_KEY), "the API key was recorded");
  }
}
