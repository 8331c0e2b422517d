package dev.llmobs.examples.harness;

import dev.llmobs.local.RuntimeApi;
import java.io.PrintStream;

/**
 * The demo (README's first command): example 1, the claims assistant, then example 4, the same assistant as a
 * LangChain4j AI Service, then example 5, claims triage with the Anthropic Java SDK, each run as Lambda runs it (the real runtime interface client in its own JVM, our layer at
 * /opt) against a local Runtime API, a local Bedrock, a local Anthropic API and a local intake that prints each trace as a tree and writes
 * every span to {@code examples/target/demo-spans.jsonl}. No AWS or Datadog account.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    java.nio.file.Path spans = LambdaHarness.targetDir().resolve("demo-spans.jsonl");
    try (LocalIntake intake = new LocalIntake(spans, out); FakeBedrock bedrock = new FakeBedrock();
        FakeAnthropic anthropic = new FakeAnthropic()) {
      run(out, intake, LambdaHarness.env(intake, bedrock), "claims-assistant", "dev.llmobs.examples.ClaimsAssistant", false,
          "example 1, a guardrail, a Knowledge Base and Bedrock Converse, called directly",
          "{\"claimId\":\"88412\",\"question\":\"Is water damage from a burst pipe covered?\"}",
          "{\"claimId\":\"88412\",\"question\":\"How long do I have to report a claim?\"}",
          "{\"claimId\":\"88412\",\"question\":\"Is gradual seepage covered?\"}",
          "{\"claimId\":\"88412\",\"question\":\"Can I sue my neighbour over the leak?\"}");
      run(out, intake, LambdaHarness.env(intake, bedrock), "claims-agent", "dev.llmobs.examples.ClaimsAgent", true,
          "example 4, a LangChain4j AI Service over Bedrock",
          "{\"claimId\":\"88412\",\"question\":\"Is water damage from a burst pipe covered?\"}",
          "{\"claimId\":\"90233\",\"question\":\"Is gradual seepage covered?\"}");
      run(out, intake, LambdaHarness.env(intake, bedrock, "ANTHROPIC_BASE_URL", anthropic.baseUrl(),
              "ANTHROPIC_API_KEY", "sk-ant-demo-not-a-key"), "claims-triage", "dev.llmobs.examples.ClaimsTriage", false,
          "example 5, the Anthropic Java SDK called directly",
          "{\"claimId\":\"88412\",\"description\":\"A pipe burst in the kitchen\"}");
      out.println();
      out.println(intake.received().size() + " spans received; written to " + spans);
    }
  }

  private static void run(PrintStream out, LocalIntake intake, java.util.Map<String, String> env, String name,
      String handler, boolean execWrapper, String what, String... events) throws Exception {
    try (LambdaHarness fn = new LambdaHarness(name, handler, env, execWrapper)) {
      out.println();
      out.println("== " + what + ": " + handler + " under the real Lambda runtime client; " + fn.layerMode);
      for (int i = 0; i < events.length; i++) {
        String id = name + "-request-" + (i + 1);
        out.println();
        out.println("invoke " + id + ": " + events[i]);
        RuntimeApi.Outcome o = fn.runtimeApi.invoke(id, events[i], System.currentTimeMillis() + 30_000)
            .get(60, java.util.concurrent.TimeUnit.SECONDS);
        out.println("response: " + o);
      }
    }
  }

}
