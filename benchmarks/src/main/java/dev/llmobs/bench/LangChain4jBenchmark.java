package dev.llmobs.bench;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmobs.LLMObs;
import dev.llmobs.langchain4j.LLMObsLangChain4j;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What our chat model listener adds to a LangChain4j call: the same in-process model (a canned answer with a tool
 * call, so no network in the figure) with and without it. Run: {@code benchmarks/run-jmh.sh LangChain4jBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LangChain4jBenchmark {
  static final ChatResponse ANSWER = ChatResponse.builder()
      .aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("call_1").name("get_claim")
          .arguments("{\"claimId\":\"88412\"}").build()))
      .modelName("gpt-4o-mini-2024-07-18").finishReason(FinishReason.TOOL_EXECUTION)
      .tokenUsage(new TokenUsage(231, 18)).build();
  static final ChatRequest REQUEST = ChatRequest.builder()
      .messages(SystemMessage.from("You handle claims."), UserMessage.from("Is claim 88412 covered?"))
      .temperature(0.2).build();

  /** A model answering at once: LangChain4j's own call path, listeners included, and nothing else. */
  static final class CannedModel implements ChatModel {
    private final List<ChatModelListener> listeners;

    CannedModel(List<ChatModelListener> listeners) {
      this.listeners = listeners;
    }

    @Override public ChatResponse doChat(ChatRequest request) {
      return ANSWER;
    }

    @Override public List<ChatModelListener> listeners() {
      return listeners;
    }

    @Override public ModelProvider provider() {
      return ModelProvider.OPEN_AI;
    }
  }

  ChatModel bare, traced;

  @Setup(Level.Trial) public void configure() {
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null", "LLMOBS_LOG_LEVEL", "warn"));
    bare = new CannedModel(List.of());
    traced = new CannedModel(List.of(LLMObsLangChain4j.listener()));
  }

  @Setup(Level.Iteration) public void drain() {
    LLMObs.flush(Duration.ofSeconds(10));
  }

  @Benchmark public ChatResponse chatWithoutListener() {
    return bare.chat(REQUEST);
  }

  @Benchmark public ChatResponse chatWithListener() {
    return traced.chat(REQUEST);
  }
}
