package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/**
 * A Lambda {@code Context} for tests, with a deadline: {@link #getRemainingTimeInMillis()} is what the test set,
 * so no test depends on the wall clock.
 */
final class TestContext implements Context {
  private final String requestId;
  private final long remainingMillis;

  TestContext(String requestId, long remainingMillis) {
    this.requestId = requestId;
    this.remainingMillis = remainingMillis;
  }

  TestContext(String requestId) {
    this(requestId, 30_000);
  }

  @Override public String getAwsRequestId() { return requestId; }
  @Override public String getLogGroupName() { return "/aws/lambda/claims-assistant"; }
  @Override public String getLogStreamName() { return "2025/11/21/[$LATEST]abcdef"; }
  @Override public String getFunctionName() { return "claims-assistant"; }
  @Override public String getFunctionVersion() { return "$LATEST"; }

  @Override public String getInvokedFunctionArn() {
    return "arn:aws:lambda:eu-west-1:123456789012:function:claims-assistant";
  }

  @Override public CognitoIdentity getIdentity() { return null; }
  @Override public ClientContext getClientContext() { return null; }
  @Override public int getRemainingTimeInMillis() { return (int) remainingMillis; }
  @Override public int getMemoryLimitInMB() { return 1024; }

  @Override public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override public void log(String message) {
        System.out.println(message);
      }

      @Override public void log(byte[] message) {
        System.out.println(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
