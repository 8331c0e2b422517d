package dev.llmobs.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.ClientOptions;
import com.openai.core.http.HttpClient;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.integrations.internal.ClientProxy;
import java.lang.reflect.Field;
import java.util.function.Consumer;

/**
 * Traces the OpenAI Java SDK: every chat completion, response (the Responses API) and embedding call, sync, async
 * or streaming, to OpenAI or Azure OpenAI, becomes one {@code llm} or {@code embedding} span.
 *
 * <pre>{@code
 * OpenAIClient client = LLMObsOpenAI.wrap(OpenAIOkHttpClient.fromEnv());
 * }</pre>
 *
 * <p>openai-java has no interceptor: the client returned is the user's, rebuilt by its own {@code withOptions} with
 * our tap around its HTTP transport (below the SDK's retries, where each attempt's bytes pass), and seen through
 * its own interface, so that model calls open their span on the caller's thread.
 */
public final class LLMObsOpenAI {
  private LLMObsOpenAI() {}

  /** The same client, traced; the client itself if it cannot be (logged). */
  public static OpenAIClient wrap(OpenAIClient client) {
    if (client == null || ClientProxy.isProxy(client)) return client;
    try {
      return ClientProxy.of(OpenAIClient.class, client.withOptions(TAP), OpenAIProtocol.INSTANCE);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("openai-java client not traced: " + t);
      return client;
    }
  }

  /** The same async client, traced; the client itself if it cannot be (logged). */
  public static OpenAIClientAsync wrap(OpenAIClientAsync client) {
    if (client == null || ClientProxy.isProxy(client)) return client;
    try {
      return ClientProxy.of(OpenAIClientAsync.class, client.withOptions(TAP), OpenAIProtocol.INSTANCE);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("openai-java client not traced: " + t);
      return client;
    }
  }

  /** {@link #tap}, as {@code withOptions} takes it: a class, not a method reference (no lambda bootstrap, cold). */
  private static final Consumer<ClientOptions.Builder> TAP = new Consumer<>() {
    @Override public void accept(ClientOptions.Builder b) {
      tap(b);
    }
  };

  /**
   * Puts our tap around the transport the options hold. The builder does not show its transport: it is read from
   * the builder's field ({@code httpClient} in every 4.x release we test), and a builder without it fails the wrap,
   * which then leaves the client untraced rather than half traced.
   */
  private static void tap(ClientOptions.Builder b) {
    try {
      Field f = ClientOptions.Builder.class.getDeclaredField("httpClient");
      f.setAccessible(true);
      HttpClient transport = (HttpClient) f.get(b);
      if (transport == null) throw new IllegalStateException("the client's options hold no transport");
      if (!(transport instanceof OpenAITap)) b.httpClient(new OpenAITap(transport));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this openai-java does not show its transport: " + e, e);
    }
  }
}
