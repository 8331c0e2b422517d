package dev.llmobs.bench;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.anthropic.LLMObsAnthropic;
import dev.llmobs.openai.LLMObsOpenAI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing adds to a warm call of the vendors' SDKs against a loopback stand-in: {@code bare} (the user's
 * client), {@code span} (the user's client, and an llm span annotated by hand with what ours records, field for
 * field: same name, model, metadata, metrics and tags, so the same bytes on the wire; the span itself),
 * {@code traced} (the client from {@code LLMObs*.wrap}). Our cost beyond the span itself is {@code traced - span};
 * the in-memory transport shows it without the round trip's noise. Spans go to a file exporter writing to /dev/null.
 * Run: {@code benchmarks/run-jmh.sh LlmClientBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LlmClientBenchmark {
  @Param({"anthropic", "openai"})
  public String sdk;

  /**
   * {@code bare}: the SDK's client alone; {@code span}: alone, with a span annotated by hand as the traced call
   * would be; {@code traced}: wrapped; {@code off}: wrapped, with tracing off ({@code DD_LLMOBS_ENABLED=false}).
   */
  @Param({"bare", "span", "traced", "off"})
  public String mode;

  /** {@code loopback}: a real HTTP round trip to the stand-in; {@code memory}: a transport answering from memory. */
  @Param({"loopback", "memory"})
  public String transport;

  LlmStub stub;
  AnthropicClient anthropic;
  OpenAIClient openai;

  @Setup public void start() throws Exception {
    stub = new LlmStub();
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null", "LLMOBS_LOG_LEVEL", "warn",
        "DD_LLMOBS_ENABLED", mode.equals("off") ? "false" : "true"));
    boolean traced = mode.equals("traced") || mode.equals("off");
    boolean memory = transport.equals("memory");
    AnthropicClient a = memory ? InMemoryTransports.anthropic(LlmStub.MESSAGE)
        : AnthropicOkHttpClient.builder().baseUrl(stub.baseUrl()).apiKey("sk-ant-bench").maxRetries(0).build();
    OpenAIClient o = memory ? InMemoryTransports.openai(LlmStub.CHAT)
        : OpenAIOkHttpClient.builder().baseUrl(stub.baseUrl() + "/v1").apiKey("sk-bench").maxRetries(0).build();
    anthropic = traced ? LLMObsAnthropic.wrap(a) : a;
    openai = traced ? LLMObsOpenAI.wrap(o) : o;
  }

  @TearDown public void stop() {
    stub.close();
  }

  @Benchmark public Object call() {
    return call(sdk, mode, anthropic, openai);
  }

  static final MessageCreateParams MESSAGE = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(400)
      .system("You answer questions about the customer's insurance policy.").addUserMessage("Is water damage covered?").build();
  static final ChatCompletionCreateParams CHAT = ChatCompletionCreateParams.builder().model("gpt-4o-mini").temperature(0.2)
      .addSystemMessage("You answer questions about the customer's insurance policy.").addUserMessage("Is water damage covered?").build();

  /** One call of {@code sdk}'s client as {@code mode} makes it (with the span by hand for {@code span}), then a flush. */
  static Object call(String sdk, String mode, AnthropicClient anthropic, OpenAIClient openai) {
    boolean span = mode.equals("span");
    LLMObsSpan s = !span ? null : sdk.equals("anthropic") ? LLMObs.llm("anthropic.request", "claude-sonnet-4-5-20250929", sdk)
        : LLMObs.llm("OpenAI.createChatCompletion", "gpt-4o-mini-2024-07-18", sdk);
    Object answer = sdk.equals("anthropic") ? anthropic.messages().create(MESSAGE) : openai.chat().completions().create(CHAT);
    if (s != null) {
      s.inputMessages(List.of(Message.system("You answer questions about the customer's insurance policy."),
          Message.user("Is water damage covered?")));
      s.outputMessages(List.of(Message.assistant("Sudden water damage is covered by clause 4.2.")));
      boolean anthropicCall = sdk.equals("anthropic");
      s.metadata(anthropicCall ? Map.of("max_tokens", 400, "stop_reason", "end_turn") : Map.of("temperature", 0.2, "finish_reason", "stop"))
          .tokens(130, 12).metric("cache_read_input_tokens", 100)
          .tag("server.address", anthropicCall ? "api.anthropic.com" : "api.openai.com").tag("server.port", "443");
      s.finish();
    }
    LLMObs.flush();
    return answer;
  }
}
