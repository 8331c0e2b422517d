package dev.llmobs.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import java.util.List;

/**
 * LangChain4j traced through its own listeners. One line per model:
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()...listeners(List.of(LLMObsLangChain4j.listener())).build();
 * }</pre>
 * Every call of a chat model, sync or streaming, becomes an {@code llm} span, child of the span current on the thread
 * that made the call. An AI Service, one line more:
 * <pre>{@code
 * AiServices.builder(Assistant.class).chatModel(model).tools(claims)
 *     .registerListeners(LLMObsLangChain4j.aiServiceListeners()).build();
 * }</pre>
 */
public final class LLMObsLangChain4j {
  private static final ChatModelListener LISTENER = new ChatListener();

  private LLMObsLangChain4j() {}

  /**
   * The listeners to register on an AI Service's builder ({@code .registerListeners(...)}): an {@code agent} span per
   * invocation, a {@code tool} span per tool execution, the model calls inside.
   */
  public static List<AiServiceListener<?>> aiServiceListeners() {
    return new AiServiceTracing(false).listeners();
  }

  /** As {@link #aiServiceListeners()}, with each invocation's chat memory id as its {@code session_id}. */
  public static List<AiServiceListener<?>> aiServiceListenersWithMemoryIdAsSession() {
    return new AiServiceTracing(true).listeners();
  }

  /** The listener to give a chat model's builder ({@code .listeners(...)}); stateless, shareable. */
  public static ChatModelListener listener() {
    return LISTENER;
  }
}
