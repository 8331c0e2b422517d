package dev.llmobs.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.llmobs.lambda.LLMObsLambda;
import dev.llmobs.lambda.TracedRequestHandler;
import dev.llmobs.testing.ModelApiStub.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The plain handler route a Spring user on Lambda takes: a handler class (our base class) that starts the Spring
 * application once per execution environment and calls its chat client per invocation. Our wrapper opens the root
 * span and flushes before the invocation returns: the spans are at the intake when {@code handleRequest} returns,
 * with no flush of the test's own.
 */
@Timeout(60)
class SpringOnLambdaTest extends SpringAiFixtures {
  static ConfigurableApplicationContext spring;

  /** The function: {@code Handler: dev.llmobs.springai.SpringOnLambdaTest$ClaimsFunction}. */
  public static final class ClaimsFunction extends TracedRequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override protected Map<String, Object> handle(Map<String, Object> event, Context context) {
      String answer = spring.getBean(ChatClient.Builder.class).build().prompt()
          .user(String.valueOf(event.get("question"))).call().content();
      return Map.of("answer", answer);
    }
  }

  @Test void eachInvocationIsATraceFlushedBeforeItReturns() {
    api.on("/chat/completions", Reply.json(ANSWER));
    LLMObsLambda.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims", "AWS_LAMBDA_FUNCTION_NAME", "claims-spring"));
    SpringApplication app = new SpringApplication(AutoConfigurationTest.ClaimsApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setDefaultProperties(Map.of("spring.ai.openai.base-url", api.baseUrl() + "/v1",
        "spring.ai.openai.api-key", "sk-test-not-a-key", "spring.ai.openai.chat.options.model", "gpt-4o-mini"));
    try (ConfigurableApplicationContext started = app.run()) {
      spring = started;
      Map<String, Object> out = new ClaimsFunction().handleRequest(Map.of("question", "Is claim 88412 covered?"),
          context("req-spring-1"));
      assertEquals("Claim 88412 is OPEN; a burst pipe is covered by clause 4.2.", out.get("answer"));
      List<Map<String, Object>> spans = intake.spans(); // no flush here: the wrapper's, before handleRequest returned
      Map<String, Object> root = spans.stream().filter(s -> "undefined".equals(s.get("parent_id"))).findFirst().orElseThrow();
      @SuppressWarnings("unchecked")
      List<String> tags = (List<String>) root.get("tags");
      assertEquals(true, tags.contains("request_id:req-spring-1"), tags.toString());
      Map<String, Object> client = one(spans, "spring_ai.chat_client");
      assertEquals(root.get("span_id"), client.get("parent_id"));
      assertEquals(client.get("trace_id"), one(spans, "openai.chat").get("trace_id"));
    } finally {
      spring = null;
    }
  }

  static Context context(String requestId) {
    return new Context() {
      @Override public String getAwsRequestId() { return requestId; }
      @Override public String getLogGroupName() { return "/aws/lambda/claims-spring"; }
      @Override public String getLogStreamName() { return "2026/12/03/[$LATEST]spring"; }
      @Override public String getFunctionName() { return "claims-spring"; }
      @Override public String getFunctionVersion() { return "$LATEST"; }
      @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:claims-spring"; }
      @Override public CognitoIdentity getIdentity() { return null; }
      @Override public ClientContext getClientContext() { return null; }
      @Override public int getRemainingTimeInMillis() { return 30_000; }
      @Override public int getMemoryLimitInMB() { return 1024; }
      @Override public LambdaLogger getLogger() { return null; }
    };
  }
}
