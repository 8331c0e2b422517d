package dev.llmobs.examples.harness;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.Map;

/**
 * The function of {@code LayerColdStart openai}: one openai-java chat completion per invocation, the client built
 * on the first, as {@code LlmClientColdStart} times it in a bare JVM, but here under the real runtime client. Traced
 * when our layer is there ({@code LLMObsOpenAI.wrap}, found by name: the function itself does not ship it). Prints
 * how long its first invocation took to build the client and make that call. Not an example: it lives with the
 * harness.
 */
public class OpenAIPlainHandler implements RequestHandler<Map<String, Object>, String> {
  private OpenAIClient client;

  @Override public String handleRequest(Map<String, Object> event, Context context) {
    long start = System.nanoTime();
    boolean first = client == null;
    if (first) {
      client = traced(OpenAIOkHttpClient.builder().baseUrl(System.getenv("OPENAI_BASE_URL")).apiKey("sk-harness")
          .maxRetries(0).build());
    }
    String answer = client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addUserMessage(String.valueOf(event.get("text"))).build()).choices().get(0).message().content().orElse("");
    if (first) System.out.println("first_call_ns=" + (System.nanoTime() - start));
    return answer;
  }

  private static OpenAIClient traced(OpenAIClient c) {
    try {
      return (OpenAIClient) Class.forName("dev.llmobs.openai.LLMObsOpenAI").getMethod("wrap", OpenAIClient.class)
          .invoke(null, c);
    } catch (ClassNotFoundException e) {
      return c; // no layer
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
