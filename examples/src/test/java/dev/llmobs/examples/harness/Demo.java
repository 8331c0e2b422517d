package dev.llmobs.examples.harness;

import java.io.PrintStream;

/**
 * The demo (README's first command): example 1, the claims assistant, run as Lambda runs it (the real runtime
 * interface client in its own JVM, our layer at /opt) against a local Runtime API, a local Bedrock and a local
 * intake that prints each trace as a tree and writes every span to {@code examples/target/demo-spans.jsonl}. No AWS
 * or Datadog account.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    java.nio.file.Path spans = LambdaHarness.targetDir().resolve("demo-spans.jsonl");
    try (LocalIntake intake = new LocalIntake(spans, out); FakeBedrock bedrock = new FakeBedrock();
         LambdaHarness fn = new LambdaHarness("claims-assistant", "dev.llmobs.examples.ClaimsAssistant",
             LambdaHarness.env(intake, bedrock), false)) {
      out.println("function started under the real Lambda runtime client; " + fn.layerMode);
      String[] questions = {"Is water damage from a burst pipe covered?", "How long do I have to report a claim?",
          "Is gradual seepage covered?"};
      for (int i = 0; i < questions.length; i++) {
        String id = "demo-request-" + (i + 1);
        String event = "{\"claimId\":\"88412\",\"question\":\"" + questions[i] + "\"}";
        out.println();
        out.println("invoke " + id + ": " + event);
        RuntimeApi.Outcome o = fn.runtimeApi.invoke(id, event, System.currentTimeMillis() + 30_000)
            .get(60, java.util.concurrent.TimeUnit.SECONDS);
        out.println("response: " + o);
      }
      out.println();
      out.println(intake.received().size() + " spans received; written to " + spans);
    }
  }

}
