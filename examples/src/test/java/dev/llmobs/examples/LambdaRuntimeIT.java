package dev.llmobs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.examples.harness.FakeBedrock;
import dev.llmobs.examples.harness.LambdaHarness;
import dev.llmobs.examples.harness.LocalIntake;
import dev.llmobs.local.RuntimeApi;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, no Docker: each example runs under the real Lambda runtime interface client in its own JVM, with the
 * built layer at /opt, against a loopback Runtime API, Bedrock and intake, all in this JVM so that one clock orders
 * "the intake got the trace" and "the runtime got the response".
 */
class LambdaRuntimeIT {
  @TempDir Path dir;
  LocalIntake intake;
  FakeBedrock bedrock;

  @BeforeEach void start() throws Exception {
    intake = new LocalIntake(dir.resolve("spans.jsonl"), new PrintStream(OutputStream.nullOutputStream()));
    bedrock = new FakeBedrock();
  }

  @AfterEach void stop() {
    intake.close();
    bedrock.close();
  }

  static RuntimeApi.Outcome invoke(LambdaHarness fn, String id, String event, long deadlineInMs) throws Exception {
    return fn.runtimeApi.invoke(id, event, System.currentTimeMillis() + deadlineInMs).get(60, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  static List<String> tags(Map<String, Object> span) {
    return (List<String>) span.get("tags");
  }

  static Map<String, Object> root(List<Map<String, Object>> trace) {
    return trace.stream().filter(s -> "undefined".equals(s.get("parent_id"))).findFirst().orElseThrow();
  }

  @Test void everyTraceArrivesWholeAndBeforeTheRuntimeGetsTheResponse() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("claims-assistant", "dev.llmobs.examples.ClaimsAssistant",
        LambdaHarness.env(intake, bedrock), false)) {
      for (int i = 1; i <= 3; i++) {
        RuntimeApi.Outcome o = invoke(fn, "req-" + i, "{\"claimId\":\"88412\",\"question\":\"Is a burst pipe covered?\"}", 30_000);
        assertFalse(o.error, o + "\n" + fn.output());
        assertTrue(o.body.contains("clause 4.2"), o.body);
        Long arrived = intake.rootArrivalNanos("req-" + i);
        assertNotNull(arrived, "trace of req-" + i + " reached the intake\n" + fn.output());
        assertTrue(arrived < o.nanos, "the intake had the trace before the runtime had the response");

        List<Map<String, Object>> trace = intake.trace("req-" + i);
        assertEquals(6, trace.size(), "root, guardrail, knowledge base retrieval, llm, tool, llm: " + trace);
        Map<String, Object> root = root(trace);
        assertTrue(tags(root).contains(i == 1 ? "cold_start:true" : "cold_start:false"), tags(root).toString());
        assertEquals("claim-88412", root.get("session_id"));
        Set<String> kinds = new HashSet<>();
        for (Map<String, Object> s : trace) {
          kinds.add((String) ((Map<?, ?>) ((Map<?, ?>) s.get("meta")).get("span")).get("kind"));
          if (s != root) assertEquals(root.get("span_id"), s.get("parent_id"), "child of the root: " + s.get("name"));
        }
        assertEquals(Set.of("workflow", "task", "retrieval", "llm", "tool"), kinds);
      }
      assertTrue(fn.output().isEmpty() || !fn.output().contains("Exception"), fn.output());
    }
  }

  @Test void aGuardrailThatInterveneAnswersAtOnceAndItsTaskSpanSaysSoWithoutAnError() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("claims-guarded", "dev.llmobs.examples.ClaimsAssistant",
        LambdaHarness.env(intake, bedrock), false)) {
      RuntimeApi.Outcome o = invoke(fn, "guard-1", "{\"claimId\":\"88412\",\"question\":\"Can I sue my neighbour?\"}", 30_000);
      assertFalse(o.error, o + "\n" + fn.output());
      assertTrue(o.body.contains("legal helpline"), o.body);
      List<Map<String, Object>> trace = intake.trace("guard-1");
      assertEquals("workflow claims-guarded\n  task bedrock-runtime.apply_guardrail\n", outline(trace, "undefined", ""));
      Map<String, Object> task = trace.stream().filter(s -> "task".equals(kind(s))).findFirst().orElseThrow();
      assertEquals("ok", task.get("status"));
      assertTrue(tags(task).contains("bedrock.guardrail_action:guardrail_intervened"), tags(task).toString());
    }
  }

  static String kind(Map<String, Object> span) {
    return (String) ((Map<?, ?>) ((Map<?, ?>) span.get("meta")).get("span")).get("kind");
  }

  /** The trace as an indented outline of kind and name, children in start order: the tree, checked whole. */
  static String outline(List<Map<String, Object>> trace, Object parentId, String indent) {
    StringBuilder b = new StringBuilder();
    trace.stream().filter(s -> parentId.equals(s.get("parent_id")))
        .sorted(java.util.Comparator.comparing(s -> ((Number) s.get("start_ns")).longValue()))
        .forEach(s -> b.append(indent).append(kind(s)).append(' ').append(s.get("name")).append('\n')
            .append(outline(trace, s.get("span_id"), indent + "  ")));
    return b.toString();
  }

  @Test void aLangChain4jAiServiceIsTracedAsAnAgentWithItsRetrievalModelCallsAndTool() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("claims-agent", "dev.llmobs.examples.ClaimsAgent",
        LambdaHarness.env(intake, bedrock), true)) {
      RuntimeApi.Outcome o = invoke(fn, "agent-1", "{\"claimId\":\"88412\",\"question\":\"Is a burst pipe covered?\"}", 30_000);
      assertFalse(o.error, o + "\n" + fn.output());
      assertTrue(o.body.contains("clause 4.2"), o.body);
      assertTrue(intake.rootArrivalNanos("agent-1") < o.nanos, "the trace arrived before the response");

      List<Map<String, Object>> trace = intake.trace("agent-1");
      assertEquals("workflow claims-agent\n"
          + "  agent ClaimsAgent.Assistant.answer\n"
          + "    retrieval langchain4j.retrieve\n"
          + "    workflow langchain4j.chat\n"
          + "      llm bedrock-runtime.converse\n"
          + "    tool get_claim_status\n"
          + "    workflow langchain4j.chat\n"
          + "      llm bedrock-runtime.converse\n", outline(trace, "undefined", ""), fn.output());
      Map<String, Object> agent = trace.stream().filter(s -> "agent".equals(kind(s))).findFirst().orElseThrow();
      assertEquals("88412", agent.get("session_id"), "the memory id as session");
      long tokens = trace.stream().filter(s -> s.get("metrics") instanceof Map)
          .map(s -> ((Map<?, ?>) s.get("metrics")).get("output_tokens")).filter(v -> v != null)
          .mapToLong(v -> ((Number) v).longValue()).sum();
      assertEquals(32 + 41, tokens, "output tokens counted once, on the Bedrock llm spans");
      Map<String, Object> tool = trace.stream().filter(s -> "tool".equals(kind(s))).findFirst().orElseThrow();
      assertTrue(String.valueOf(((Map<?, ?>) tool.get("meta")).get("output")).contains("burst pipe"), tool.toString());
    }
  }

  @Test void anAnthropicClientInAHandlerIsTracedFromTheLayer() throws Exception {
    try (dev.llmobs.examples.harness.FakeAnthropic anthropic = new dev.llmobs.examples.harness.FakeAnthropic();
        LambdaHarness fn = new LambdaHarness("claims-triage", "dev.llmobs.examples.ClaimsTriage",
            LambdaHarness.env(intake, bedrock, "ANTHROPIC_BASE_URL", anthropic.baseUrl(), "ANTHROPIC_API_KEY",
                "sk-ant-never-in-a-span"), false)) {
      RuntimeApi.Outcome o = invoke(fn, "triage-1", "{\"claimId\":\"88412\",\"description\":\"A pipe burst\"}", 30_000);
      assertFalse(o.error, o + "\n" + fn.output());
      assertTrue(o.body.contains("urgent"), o.body);
      assertTrue(intake.rootArrivalNanos("triage-1") < o.nanos, "the trace arrived before the response");
      List<Map<String, Object>> trace = intake.trace("triage-1");
      assertEquals("workflow claims-triage\n"
          + "  llm anthropic.request\n"
          + "  tool policy_lookup\n"
          + "  llm anthropic.request\n", outline(trace, "undefined", ""), fn.output());
      Map<String, Object> last = trace.stream().filter(s -> "anthropic.request".equals(s.get("name")))
          .reduce((a, b) -> b).orElseThrow();
      assertEquals(Map.of("input_tokens", 508, "output_tokens", 31, "total_tokens", 539, "cache_read_input_tokens", 412),
          last.get("metrics"));
      assertFalse(intake.received().toString().contains("sk-ant-never-in-a-span"), "the key is in no span");
    }
  }

  @Test void anAiServiceWithNoLineOfOursIsTracedThroughTheLayersServiceLoaderEntry() throws Exception {
    java.nio.file.Path fnClasses = LambdaHarness.targetDir().resolve("e2e-untraced-agent-classes");
    java.nio.file.Path pkg = fnClasses.resolve("dev/llmobs/examples/zerocode");
    java.nio.file.Files.createDirectories(pkg);
    try (java.util.stream.Stream<java.nio.file.Path> classes = java.nio.file.Files.list(
        LambdaHarness.targetDir().resolve("test-classes/dev/llmobs/examples/zerocode"))) {
      for (java.nio.file.Path c : (Iterable<java.nio.file.Path>) classes::iterator) {
        java.nio.file.Files.copy(c, pkg.resolve(c.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (LambdaHarness fn = new LambdaHarness("untraced-agent", "dev.llmobs.examples.zerocode.UntracedAgent",
        LambdaHarness.env(intake, bedrock), true, true, List.of(fnClasses))) {
      RuntimeApi.Outcome o = invoke(fn, "untraced-1", "{\"question\":\"Is claim 88412 covered?\"}", 30_000);
      assertFalse(o.error, o + "\n" + fn.output());
      assertEquals("workflow untraced-agent\n"
          + "  agent UntracedAgent.Assistant.answer\n"
          + "    llm bedrock-runtime.converse\n"
          + "    tool get_claim_status\n"
          + "    llm bedrock-runtime.converse\n", outline(intake.trace("untraced-1"), "undefined", ""), fn.output());
    }
  }

  @Test void aThrowingHandlerReachesTheRuntimeUnchangedAndItsSpanArrives() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("evaluated-answer", "dev.llmobs.examples.EvaluatedAnswer",
        LambdaHarness.env(intake, bedrock), false)) {
      RuntimeApi.Outcome ok = invoke(fn, "ok-1", "{\"question\":\"Is water damage covered?\"}", 30_000);
      assertFalse(ok.error, ok.toString());
      assertEquals(2, intake.evaluations.size(), "the example's evaluations were sent too");
      assertEquals(intake.trace("ok-1").stream().filter(s -> "rules-model".equals(s.get("name"))).findFirst()
          .orElseThrow().get("span_id"), ((Map<?, ?>) ((Map<?, ?>) intake.evaluations.get(0).get("join_on")).get("span")).get("span_id"));

      RuntimeApi.Outcome failed = invoke(fn, "bad-1", "{}", 30_000);
      assertTrue(failed.error);
      assertEquals("Runtime.UserException", failed.errorType);
      assertTrue(failed.body.contains("\"errorType\":\"java.lang.IllegalArgumentException\""), failed.body);
      assertTrue(failed.body.contains("question is required"), failed.body);
      Map<String, Object> root = root(intake.trace("bad-1"));
      assertEquals("error", root.get("status"));
      assertTrue(intake.rootArrivalNanos("bad-1") < failed.nanos);
    }
  }

  @Test void withTheIntakeDownTheResponseIsUnchangedAndOnTime() throws Exception {
    intake.answerWith(503);
    try (LambdaHarness fn = new LambdaHarness("claims-assistant-down", "dev.llmobs.examples.ClaimsAssistant",
        LambdaHarness.env(intake, bedrock), false)) {
      long start = System.nanoTime();
      RuntimeApi.Outcome o = invoke(fn, "down-1", "{\"claimId\":\"88412\",\"question\":\"Is a burst pipe covered?\"}", 10_000);
      assertFalse(o.error, o.toString());
      assertTrue(o.body.contains("clause 4.2"));
      assertTrue(TimeUnit.NANOSECONDS.toMillis(o.nanos - start) < 10_000, "answered within the deadline");
      assertTrue(intake.received().isEmpty());
      intake.answerWith(202); // back up: the kept spans go with the next invocation
      invoke(fn, "down-2", "{\"claimId\":\"88412\",\"question\":\"Is a burst pipe covered?\"}", 30_000);
      assertEquals(6, intake.trace("down-1").size(), "kept, then delivered whole");
      assertEquals(6, intake.trace("down-2").size());
    }
  }

  @Test void withTheAnswerLeftForTheNextFlushEveryTraceArrivesWholeAndOnce() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("plain-carried", "dev.llmobs.examples.PlainHandler",
        LambdaHarness.env(intake, bedrock, "LLMOBS_FLUSH_ACK", "next"), true)) {
      for (int i = 1; i <= 3; i++) {
        RuntimeApi.Outcome o = invoke(fn, "carried-" + i, "{\"text\":\"A long claim description.\"}", 30_000);
        assertFalse(o.error, o + "\n" + fn.output());
      }
      // Each invocation's flush read the answer to the one before: by the third, the first two are at the intake.
      for (int i = 1; i <= 2; i++) {
        List<Map<String, Object>> trace = intake.trace("carried-" + i);
        assertEquals(2, trace.size(), trace + "\n" + fn.output());
      }
      assertEquals(intake.received().size(), intake.received().stream().map(s -> s.get("span_id")).distinct().count(),
          "no span twice");
    }
  }

  @Test void zeroCodeThroughTheExecWrapperTracesAPlainHandler() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("plain", "dev.llmobs.examples.PlainHandler",
        LambdaHarness.env(intake, bedrock), true)) {
      RuntimeApi.Outcome o = invoke(fn, "plain-1", "{\"text\":\"A long claim description.\"}", 30_000);
      assertFalse(o.error, o + "\n" + fn.output());
      assertEquals("\"A short summary.\"", o.body, "the plain handler's String result, serialized as the runtime does");
      List<Map<String, Object>> trace = intake.trace("plain-1");
      assertEquals(2, trace.size(), trace + "\n" + fn.output());
      Map<String, Object> root = root(trace);
      assertEquals("plain", root.get("name"));
      Map<String, Object> llm = trace.stream().filter(s -> s != root).findFirst().orElseThrow();
      assertEquals("bedrock-runtime.converse", llm.get("name"));
      assertEquals("amazon.nova-micro-v1:0", ((Map<?, ?>) llm.get("meta")).get("model_name"));
    }
  }

  @Test void underSnapStartTheRuntimeRunsOurCracHooksAroundTheSnapshot() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("evaluated-snapstart", "dev.llmobs.examples.EvaluatedAnswer",
        LambdaHarness.env(intake, bedrock, "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start", "LLMOBS_LOG_LEVEL", "debug"), false)) {
      RuntimeApi.Outcome o = invoke(fn, "snap-1", "{\"question\":\"Is water damage covered?\"}", 30_000);
      assertFalse(o.error, o + "\n" + fn.output());
      String out = fn.output();
      assertTrue(out.contains("SnapStart checkpoint: pooled connections closed"), out);
      assertTrue(out.contains("SnapStart restore: ids reseeded"), out);
      assertTrue(out.indexOf("SnapStart checkpoint") < out.indexOf("SnapStart restore"), "hooks in order");
      Map<String, Object> root = root(intake.trace("snap-1"));
      assertTrue(tags(root).contains("init_type:snap-start"), tags(root).toString());
      assertTrue(tags(root).contains("cold_start:true"), "the first call after a restore is cold");
    }
  }

  /**
   * Without the layer, the function's own package carries us: the SDK, the wrapper and their two small dependencies
   * in its {@code lib/}, as a build with the README's coordinates in compile scope makes it.
   */
  @Test void aFunctionThatBundlesUsWithoutTheLayerIsTraced() throws Exception {
    List<Path> bundled = new java.util.ArrayList<>();
    for (Class<?> c : List.of(dev.llmobs.LLMObs.class, dev.llmobs.lambda.LLMObsLambda.class,
        com.fasterxml.jackson.jr.ob.JSON.class, com.fasterxml.jackson.core.JsonFactory.class, org.crac.Core.class)) {
      bundled.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }
    try (LambdaHarness fn = new LambdaHarness("evaluated-bundled", "dev.llmobs.examples.EvaluatedAnswer",
        LambdaHarness.env(intake, bedrock), false, false, bundled)) {
      assertEquals("no layer", fn.layerMode);
      RuntimeApi.Outcome o = invoke(fn, "bundled-1", "{\"question\":\"Is water damage covered?\"}", 30_000);
      assertFalse(o.error, o + "\n" + fn.output());
      List<Map<String, Object>> trace = intake.trace("bundled-1");
      assertEquals(3, trace.size(), "the same trace as with the layer: " + trace);
      assertTrue(tags(root(trace)).contains("function_name:evaluated-bundled"), tags(root(trace)).toString());
      assertFalse(intake.evaluations.isEmpty(), "evaluations too");
    }
  }

  @Test void closeToTheDeadlineTheNetworkIsSkippedAndSpansGoNextTime() throws Exception {
    try (LambdaHarness fn = new LambdaHarness("evaluated-late", "dev.llmobs.examples.EvaluatedAnswer",
        LambdaHarness.env(intake, bedrock, "LLMOBS_FLUSH_MARGIN_MS", "1000", "LLMOBS_LOG_LEVEL", "debug"), false)) {
      RuntimeApi.Outcome late = invoke(fn, "late-1", "{\"question\":\"Is water damage covered?\"}", 900);
      assertFalse(late.error, late.toString());
      assertTrue(fn.output().contains("init type on-demand: no snapshot will be taken, no SnapStart hooks registered"),
          "an on-demand function pays nothing for SnapStart: " + fn.output());
      assertTrue(intake.trace("late-1").isEmpty(), "no network with under a second left");
      invoke(fn, "next-1", "{\"question\":\"Is water damage covered?\"}", 30_000);
      assertEquals(3, intake.trace("late-1").size(), "delivered with the next invocation");
      assertEquals(3, intake.trace("next-1").size());
    }
  }
}
