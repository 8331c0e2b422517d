package dev.llmobs.bench;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.Map;

/**
 * Cold start of the first call of each vendor SDK (client built, one call) in fresh JVMs: the user's client with no
 * llmobs on the class path, and the client from {@code LLMObs*.wrap} with its span flushed (to stdout). The SDK's own
 * first call is the baseline; what tracing adds is compared with it. Run:
 * {@code benchmarks/run-cold-start.sh clients [runs] [prepared]}; with {@code prepared}, the traced JVM first prepares
 * the tracer outside the measured window, as the layer's wrapper does at a function's Init, so that the window holds
 * what the integration adds to the call itself; with {@code -Dllmobs.otherJars=} another build's three jars, that
 * build's traced call runs beside this one's instead of the bare call.
 */
public final class LlmClientColdStart {
  private LlmClientColdStart() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    String tracedMode = args.length > 1 && args[1].equals("prepared") ? "prepared" : "traced";
    String howTraced = tracedMode.equals("prepared") ? ", the tracer prepared first as at a function's Init" : "";
    // Our jars last, where a layer's go.
    String full = ColdJvm.classPathWithLast("llmobs-", "/sdk/target/", "/anthropic/target/", "/openai/target/");
    String plain = ColdJvm.classPathWithout("llmobs-", "/sdk/target/", "/anthropic/target/", "/openai/target/");
    Map<String, String> env = Map.of("LLMOBS_EXPORTER", "stdout", "LLMOBS_LOG_LEVEL", "warn");
    try (LlmStub stub = new LlmStub()) {
      // -Dllmobs.otherJars=sdk.jar:openai.jar:anthropic.jar (another build's): that build's traced first call beside
      // this one's, in the same rounds, instead of the bare one.
      String other = System.getProperty("llmobs.otherJars");
      for (String sdk : new String[] {"anthropic", "openai"}) {
        java.util.concurrent.Callable<Long> traced =
            () -> ColdJvm.run(full, Child.class.getName(), env, sdk, tracedMode, stub.baseUrl());
        if (other == null) {
          ColdJvm.compare("first " + sdk + " SDK call (client built, one call)" + howTraced, runs,
              () -> ColdJvm.run(plain, Child.class.getName(), Map.of(), sdk, "plain", stub.baseUrl()), traced);
        } else {
          String otherPath = plain + java.io.File.pathSeparator + other;
          ColdJvm.compare("first " + sdk + " SDK call (client built, one call), traced by two builds" + howTraced, runs,
              "other build", "this build",
              () -> ColdJvm.run(otherPath, Child.class.getName(), env, sdk, tracedMode, stub.baseUrl()), traced);
        }
      }
    }
  }

  /** Runs in each cold JVM: build the client, make one call, and when traced flush its span. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      boolean traced = !args[1].equals("plain");
      if (args[1].equals("prepared")) { // what the wrapper does at Init, before the measured window
        Class.forName("dev.llmobs.LLMObs").getMethod("isEnabled").invoke(null); // makes and installs the tracer
        Class<?> handle = Class.forName("dev.llmobs.internal.TracerHandle");
        Object tracer = handle.getMethod("current").invoke(null);
        // The handle that does nothing (an anonymous TracerHandle) would leave the tracer's start in the window.
        if (tracer.getClass().getName().startsWith(handle.getName())) throw new IllegalStateException("no tracer made");
        handle.getMethod("prepare", long.class).invoke(tracer, System.nanoTime() + 50_000_000L); // 50 ms, as there
      }
      long start = System.nanoTime();
      if (args[0].equals("anthropic")) {
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(args[2]).apiKey("sk-ant-bench").maxRetries(0).build();
        if (traced) client = (AnthropicClient) Class.forName("dev.llmobs.anthropic.LLMObsAnthropic")
            .getMethod("wrap", AnthropicClient.class).invoke(null, client);
        client.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(400)
            .addUserMessage("Is water damage covered?").build());
      } else {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[2] + "/v1").apiKey("sk-bench").maxRetries(0).build();
        if (traced) client = (OpenAIClient) Class.forName("dev.llmobs.openai.LLMObsOpenAI")
            .getMethod("wrap", OpenAIClient.class).invoke(null, client);
        client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
            .addUserMessage("Is water damage covered?").build());
      }
      if (traced) {
        Object flushed = Class.forName("dev.llmobs.LLMObs").getMethod("flush").invoke(null);
        Object sent = flushed.getClass().getMethod("spansSent").invoke(flushed);
        if (!Integer.valueOf(1).equals(sent)) throw new IllegalStateException("spans sent: " + sent);
      }
      System.out.println("elapsed_ns=" + (System.nanoTime() - start));
    }
  }
}
