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
 * call, so no network in the figure) with and without it; for a streaming model, with the listener and with
 * {@code LLMObsLangChain4j.timed} too. Run: {@code benchmarks/run-jmh.sh LangChain4jBenchmark}.
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

  static final ChatResponse STREAMED = ChatResponse.builder().aiMessage(AiMessage.from("Clause 4.2 covers it."))
      .modelName("gpt-4o-mini-2024-07-18").finishReason(FinishReason.STOP).tokenUsage(new TokenUsage(12, 5)).build();

  /** A streaming model answering at once, on the caller's thread: two partial responses, then the whole. */
  static final class CannedStreamingModel implements dev.langchain4j.model.chat.StreamingChatModel {
    private final List<ChatModelListener> listeners;

    CannedStreamingModel(List<ChatModelListener> listeners) {
      this.listeners = listeners;
    }

    @Override public void doChat(ChatRequest request, dev.langchain4j.model.chat.response.StreamingChatResponseHandler h) {
      h.onPartialResponse("Clause ");
      h.onPartialResponse("4.2 covers it.");
      h.onCompleteResponse(STREAMED);
    }

    @Override public List<ChatModelListener> listeners() {
      return listeners;
    }

    @Override public ModelProvider provider() {
      return ModelProvider.OPEN_AI;
    }
  }

  /** The caller's handler: keeps the last response, so that nothing is optimised away. */
  static final class Keep implements dev.langchain4j.model.chat.response.StreamingChatResponseHandler {
    ChatResponse last;

    @Override public void onPartialResponse(String partial) {}

    @Override public void onCompleteResponse(ChatResponse response) {
      last = response;
    }

    @Override public void onError(Throwable error) {}
  }

  ChatModel bare, traced;
  dev.langchain4j.model.chat.StreamingChatModel streamBare, streamTraced, streamTimed;
  final Keep keep = new Keep();

  @Setup(Level.Trial) public void configure() {
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null", "LLMOBS_LOG_LEVEL", "warn"));
    bare = new CannedModel(List.of());
    traced = new CannedModel(List.of(LLMObsLangChain4j.listener()));
    streamBare = new CannedStreamingModel(List.of());
    streamTraced = new CannedStreamingModel(List.of(LLMObsLangChain4j.listener()));
    streamTimed = LLMObsLangChain4j.timed(new CannedStreamingModel(List.of(LLMObsLangChain4j.listener())));
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

  @Benchmark public ChatResponse streamWithoutListener() {
    streamBare.chat(REQUEST, keep);
    return keep.last;
  }

  @Benchmark public ChatResponse streamWithListener() {
    streamTraced.chat(REQUEST, keep);
    return keep.last;
  }

  /** The listener and the decorator that times the first token. */
  @Benchmark public ChatResponse streamTimed() {
    streamTimed.chat(REQUEST, keep);
    return keep.last;
  }
}
