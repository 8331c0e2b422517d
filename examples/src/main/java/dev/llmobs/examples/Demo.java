package dev.llmobs.examples;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.llmobs.lambda.LLMObsLambda;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local demo: the claims assistant invoked three times through the Lambda wrapper, spans sent to a local intake
 * that prints each trace as a tree and keeps them in {@code target/demo-spans.jsonl}. No AWS or Datadog account.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "target/demo-spans.jsonl");
    try (LocalIntake intake = new LocalIntake(file, System.out)) {
      LLMObsLambda.configure(Map.of(
          "DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "local-demo-key", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
          "DD_LLMOBS_ML_APP", "claims-assistant", "DD_SERVICE", "claims-api", "DD_ENV", "demo",
          "AWS_LAMBDA_FUNCTION_NAME", "claims-assistant", "AWS_REGION", "eu-west-1",
          "AWS_EXECUTION_ENV", "AWS_Lambda_java21", "LLMOBS_LOG_LEVEL", "warn"));
      ClaimsAssistant fn = new ClaimsAssistant();
      String[] questions = {"Is water damage from a burst pipe covered?", "How long do I have to report a claim?",
          "Is gradual seepage covered?"};
      for (int i = 0; i < questions.length; i++) {
        Map<String, Object> response = fn.handleRequest(Map.of("claimId", "88412", "question", questions[i]),
            new DemoContext("demo-request-" + (i + 1)));
        System.out.println("response: " + response);
        System.out.println();
      }
      System.out.println(intake.received().size() + " spans received; written to " + file.toAbsolutePath());
    }
  }

  /** What the runtime passes; 30 s left on the clock. */
  static final class DemoContext implements Context {
    private final String requestId;

    DemoContext(String requestId) {
      this.requestId = requestId;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/claims-assistant"; }
    @Override public String getLogStreamName() { return "demo"; }
    @Override public String getFunctionName() { return "claims-assistant"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:claims-assistant"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 30_000; }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override public void log(String message) { System.out.println(message); }
        @Override public void log(byte[] message) { System.out.println(new String(message, java.nio.charset.StandardCharsets.UTF_8)); }
      };
    }
  }
}
