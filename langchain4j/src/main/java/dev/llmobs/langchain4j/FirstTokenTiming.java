package dev.llmobs.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A streaming chat model that notes when the first token of each call arrives, for the {@code llm} span our listener
 * makes of the call. LangChain4j's {@link ChatModelListener} hears the request and the whole response but no partial
 * one, so the clock has to sit on the handler: this decorator wraps the caller's handler (every callback forwarded as
 * is, the streaming handle included) and hands the listener, through a thread-local read in its {@code onRequest} on
 * the same thread, the moment the first partial response, thinking or tool call arrived.
 */
final class FirstTokenTiming implements StreamingChatModel {
  /** Set around one call, on the caller's thread, for the listener's {@code onRequest} inside it to take. */
  private static final ThreadLocal<Clock> PENDING = new ThreadLocal<>();
  /** The attribute under which the listener keeps the call's clock; a private object, so no user key collides. */
  private static final Object KEY = new Object();

  private final StreamingChatModel delegate;

  FirstTokenTiming(StreamingChatModel delegate) {
    this.delegate = delegate;
  }

  /** One call's clock: its start, and the first token's arrival (0 until then). */
  static final class Clock {
    final long startNanos = System.nanoTime();
    private volatile long firstNanos;

    void token() {
      if (firstNanos == 0) firstNanos = System.nanoTime();
    }

    /** Seconds from the call to its first token, or null when none arrived. */
    Double seconds() {
      long first = firstNanos;
      return first == 0 ? null : (first - startNanos) / 1e9;
    }
  }

  /** Called by the listener's {@code onRequest}: moves this call's clock, if any, into its attributes. */
  static void adopt(Map<Object, Object> attributes) {
    Clock clock = PENDING.get();
    if (clock == null || attributes == null) return;
    PENDING.remove(); // one call's clock, never a nested call's
    attributes.put(KEY, clock);
  }

  /** Called by the listener's {@code onResponse}: the call's time to first token, or null. */
  static Double seconds(Map<Object, Object> attributes) {
    Object clock = attributes == null ? null : attributes.get(KEY);
    return clock instanceof Clock ? ((Clock) clock).seconds() : null;
  }

  @Override public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    Clock clock = new Clock();
    PENDING.set(clock);
    try {
      delegate.chat(request, new Timed(handler, clock));
    } finally {
      PENDING.remove();
    }
  }

  @Override public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    delegate.doChat(request, handler);
  }

  @Override public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override public List<ChatModelListener> listeners() {
    return delegate.listeners();
  }

  @Override public ModelProvider provider() {
    return delegate.provider();
  }

  @Override public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override public String toString() {
    return delegate.toString();
  }

  /** The caller's handler, every callback forwarded unchanged; partial ones start the clock's first token. */
  private static final class Timed implements StreamingChatResponseHandler {
    private final StreamingChatResponseHandler handler;
    private final Clock clock;

    Timed(StreamingChatResponseHandler handler, Clock clock) {
      this.handler = handler;
      this.clock = clock;
    }

    @Override public void onPartialResponse(String partial) {
      clock.token();
      handler.onPartialResponse(partial);
    }

    @Override public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
      clock.token();
      handler.onPartialResponse(partial, context);
    }

    @Override public void onPartialThinking(PartialThinking partial) {
      clock.token();
      handler.onPartialThinking(partial);
    }

    @Override public void onPartialThinking(PartialThinking partial, PartialThinkingContext context) {
      clock.token();
      handler.onPartialThinking(partial, context);
    }

    @Override public void onPartialToolCall(PartialToolCall partial) {
      clock.token();
      handler.onPartialToolCall(partial);
    }

    @Override public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext context) {
      clock.token();
      handler.onPartialToolCall(partial, context);
    }

    @Override public void onCompleteToolCall(CompleteToolCall call) {
      handler.onCompleteToolCall(call);
    }

    @Override public void onCompleteResponse(ChatResponse response) {
      handler.onCompleteResponse(response);
    }

    @Override public void onError(Throwable error) {
      handler.onError(error);
    }
  }
}
