package dev.llmobs.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.core.ClientOptions;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.integrations.internal.ClientProxy;

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
      AnthropicClient tapped = client.withOptions(LLMObsAnthropic::tap);
      return ClientProxy.of(AnthropicClient.class, tapped, AnthropicProtocol.INSTANCE);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("anthropic-java client not traced: " + t);
      return client;
    }
  }

  private static void tap(ClientOptions.Builder options) {
    String provider = AnthropicProtocol.providerOf(options);
    options.addInterceptor(next -> new AnthropicTap(next, provider));
  }

  /** The same async client, traced; the client itself if it cannot be (logged once). */
  public static AnthropicClientAsync wrap(AnthropicClientAsync client) {
    if (client == null || ClientProxy.isProxy(client)) return client;
    try {
      AnthropicClientAsync tapped = client.withOptions(LLMObsAnthropic::tap);
      return ClientProxy.of(AnthropicClientAsync.class, tapped, AnthropicProtocol.INSTANCE);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("anthropic-java client not traced: " + t);
      return client;
    }
  }
}
