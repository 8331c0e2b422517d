package dev.llmobs.langchain4j.internal;

import dev.langchain4j.observability.api.AiServiceListenerRegistrar;
import dev.langchain4j.observability.api.DefaultAiServiceListenerRegistrar;
import dev.langchain4j.observability.api.event.AiServiceEvent;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.spi.observability.AiServiceListenerRegistrarFactory;
import dev.llmobs.langchain4j.LLMObsLangChain4j;
import java.util.List;
import java.util.ServiceLoader;

/**
 * LangChain4j's service-loader hook for the listener registrar of every AI Service it builds
 * ({@code META-INF/services/dev.langchain4j.spi.observability.AiServiceListenerRegistrarFactory}): with our jar on the
 * class path (the layer carries it), every AI Service is traced with no code. It never takes the hook from another
 * library: when another factory is present, its registrar is the one used, with our listeners added to it; when
 * another factory is found first by LangChain4j, ours is not called and nothing changes. Not for use outside
 * llmobs-lambda.
 */
public final class TracingRegistrarFactory implements AiServiceListenerRegistrarFactory {
  public TracingRegistrarFactory() {}

  @Override public AiServiceListenerRegistrar get() {
    AiServiceListenerRegistrar delegate = null;
    try {
      for (AiServiceListenerRegistrarFactory other : ServiceLoader.load(AiServiceListenerRegistrarFactory.class)) {
        if (!(other instanceof TracingRegistrarFactory)) {
          delegate = other.get();
          break;
        }
      }
    } catch (RuntimeException | LinkageError e) { // another factory that fails to load: LangChain4j's own default
      delegate = null;
    }
    if (delegate == null) delegate = new DefaultAiServiceListenerRegistrar();
    try {
      return new Registrar(delegate);
    } catch (RuntimeException | LinkageError e) { // never the reason an AI Service cannot be built
      dev.llmobs.internal.Log.warn("LangChain4j: AI Services are not traced automatically here (" + e + ")");
      return delegate;
    }
  }

  /**
   * The registrar LangChain4j would have used, with our listeners registered first. Listeners of ours the user
   * registers by hand replace the automatic ones (their settings, such as the memory id as session, win): an
   * invocation is never traced twice.
   */
  static final class Registrar implements AiServiceListenerRegistrar {
    private final AiServiceListenerRegistrar delegate;
    private List<AiServiceListener<?>> automatic; // guarded by this

    Registrar(AiServiceListenerRegistrar delegate) {
      this.delegate = delegate;
      List<AiServiceListener<?>> ours = new java.util.ArrayList<>();
      for (AiServiceListener<?> l : LLMObsLangChain4j.aiServiceListeners()) ours.add(gated(l));
      this.automatic = ours;
      for (AiServiceListener<?> l : ours) delegate.register(l);
    }

    /** A listener that acts only while {@code LLMOBS_LANGCHAIN4J_ENABLED} is on, read at each event. */
    private static <T extends AiServiceEvent> AiServiceListener<T> gated(AiServiceListener<T> listener) {
      return new AiServiceListener<T>() {
        @Override public Class<T> getEventClass() {
          return listener.getEventClass();
        }

        @Override public void onEvent(T event) {
          if (dev.llmobs.internal.TracerHandle.current().langchain4j()) listener.onEvent(event);
        }
      };
    }

    @Override public <T extends AiServiceEvent> void register(AiServiceListener<T> listener) {
      if (listener instanceof TracingListener) {
        synchronized (this) {
          if (automatic != null) {
            for (AiServiceListener<?> l : automatic) delegate.unregister(l);
            automatic = null;
          }
        }
      }
      delegate.register(listener);
    }

    @Override public <T extends AiServiceEvent> void unregister(AiServiceListener<T> listener) {
      delegate.unregister(listener);
    }

    @Override public <T extends AiServiceEvent> void fireEvent(T event) {
      delegate.fireEvent(event);
    }

    @Override public void shouldThrowExceptionOnEventError(boolean shouldThrow) {
      delegate.shouldThrowExceptionOnEventError(shouldThrow);
    }
  }
}
