package dev.llmobs.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.core.ClientOptions;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.Interceptor;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.integrations.internal.ClientProxy;
import java.util.function.Consumer;

/**
 * Traces the Anthropic Java SDK: every Messages call (sync, async, streaming; Anthropic's API, Bedrock or Vertex)
 * becomes one {@code llm} span, with its messages, tools, tokens, retries and errors.
 *
 * <pre>{@code
 * AnthropicClient client = LLMObsAnthropic.wrap(AnthropicOkHttpClient.fromEnv());
 * }</pre>
 *
 * <p>The client returned is the user's, seen through its own interface: its transport gets our interceptor (the
 * SDK's hook, which sees each attempt's bytes), and the methods that are model calls open their span on the
 * caller's thread. Everything else goes to the user's client as it is.
 */
public final class LLMObsAnthropic {
  private LLMObsAnthropic() {}

  /** The same client, traced; the client itself if it cannot be (logged once). */
  public static AnthropicClient wrap(AnthropicClient client) {
    if (client == null || ClientProxy.isProxy(client)) return client;
    try {
      AnthropicClient tapped = client.withOptions(TAP);
      return ClientProxy.of(AnthropicClient.class, tapped, AnthropicProtocol.INSTANCE);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("anthropic-java client not traced: " + t);
      return client;
    }
  }

  /**
   * Adds our interceptor to the client's options. Classes, not lambdas: each first lambda bootstraps the JDK's lambda
   * machinery, at cold start.
   */
  private static final Consumer<ClientOptions.Builder> TAP = new Consumer<>() {
    @Override public void accept(ClientOptions.Builder options) {
      String provider = AnthropicProtocol.providerOf(options);
      options.addInterceptor(new Interceptor() {
        @Override public HttpClient intercept(HttpClient next) {
          return new AnthropicTap(next, provider);
        }
      });
    }
  };

  /** The same async client, traced; the client itself if it cannot be (logged once). */
  public static AnthropicClientAsync wrap(AnthropicClientAsync client) {
    if (client == null || ClientProxy.isProxy(client)) return client;
    try {
      AnthropicClientAsync tapped = client.withOptions(TAP);
      return ClientProxy.of(AnthropicClientAsync.class, tapped, AnthropicProtocol.INSTANCE);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("anthropic-java client not traced: " + t);
      return client;
    }
  }
}
