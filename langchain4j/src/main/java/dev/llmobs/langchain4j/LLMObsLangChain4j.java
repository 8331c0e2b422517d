package dev.llmobs.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.rag.content.retriever.listener.ContentRetrieverListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import java.util.List;

/**
 * LangChain4j traced through its own listeners. One line per model:
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()...listeners(List.of(LLMObsLangChain4j.listener())).build();
 * }</pre>
 * Every call of a chat model, sync or streaming, becomes an {@code llm} span, child of the span current on the thread
 * that made the call; {@link #timed} adds a stream's time to first token. AI Services need no line: with this jar on
 * the class path, LangChain4j's service loader gives every AI Service our listeners (an {@code agent} span per
 * invocation, a {@code tool} span per tool). Register them yourself only to map the chat memory id to the session:
 * <pre>{@code
 * AiServices.builder(Assistant.class).chatModel(model).tools(claims)
 *     .registerListeners(LLMObsLangChain4j.aiServiceListenersWithMemoryIdAsSession()).build();
 * }</pre>
 */
public final class LLMObsLangChain4j {
  private static final ChatModelListener LISTENER = new ChatListener();
  private static final ContentRetrieverListener RETRIEVAL = new RagListeners.Retrieval();
  private static final EmbeddingModelListener EMBEDDINGS = new RagListeners.Embeddings();

  private LLMObsLangChain4j() {}

  /**
   * The listeners to register on an AI Service's builder ({@code .registerListeners(...)}): an {@code agent} span per
   * invocation, a {@code tool} span per tool execution, the model calls inside. Every AI Service has them already
   * (through LangChain4j's service loader); registered by hand, they replace those, never double them.
   */
  public static List<AiServiceListener<?>> aiServiceListeners() {
    return new AiServiceTracing(false).listeners();
  }

  /** As {@link #aiServiceListeners()}, with each invocation's chat memory id as its {@code session_id}. */
  public static List<AiServiceListener<?>> aiServiceListenersWithMemoryIdAsSession() {
    return new AiServiceTracing(true).listeners();
  }

  /** For a content retriever: {@code retriever.addListener(LLMObsLangChain4j.retrieverListener())}. */
  public static ContentRetrieverListener retrieverListener() {
    return RETRIEVAL;
  }

  /** For an embedding model: {@code model.addListener(LLMObsLangChain4j.embeddingListener())}. */
  public static EmbeddingModelListener embeddingListener() {
    return EMBEDDINGS;
  }

  /**
   * A streaming chat model that also measures each call's time to first token, for the {@code llm} span the
   * {@link #listener()} registered on {@code model} makes: {@code LLMObsLangChain4j.timed(model)} where the model is
   * used (an AI Service's {@code .streamingChatModel(...)}, or your own calls). Every callback reaches your handler
   * unchanged. LangChain4j's listeners see no partial response, hence a decorator; without it the span has all else.
   */
  public static dev.langchain4j.model.chat.StreamingChatModel timed(dev.langchain4j.model.chat.StreamingChatModel model) {
    if (model == null || model instanceof FirstTokenTiming) return model;
    return new FirstTokenTiming(model);
  }

  /** The listener to give a chat model's builder ({@code .listeners(...)}); stateless, shareable. */
  public static ChatModelListener listener() {
    return LISTENER;
  }
}
