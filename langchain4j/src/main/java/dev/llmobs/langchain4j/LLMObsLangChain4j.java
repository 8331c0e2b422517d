package dev.llmobs.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;

/**
 * LangChain4j traced through its own listeners. One line per model:
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()...listeners(List.of(LLMObsLangChain4j.listener())).build();
 * }</pre>
 * Every call of a chat model, sync or streaming, becomes an {@code llm} span, child of the span current on the thread
 * that made the call.
 */
public final class LLMObsLangChain4j {
  private static final ChatModelListener LISTENER = new ChatListener();

  private LLMObsLangChain4j() {}

  /** The listener to give a chat model's builder ({@code .listeners(...)}); stateless, shareable. */
  public static ChatModelListener listener() {
    return LISTENER;
  }
}
