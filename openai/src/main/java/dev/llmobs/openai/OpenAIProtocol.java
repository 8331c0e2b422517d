package dev.llmobs.openai;

import dev.llmobs.integrations.internal.Operation;
import dev.llmobs.integrations.internal.Protocol;

/**
 * What openai-java speaks: its chat completion, response and embedding services' {@code create} and
 * {@code createStreaming} are model calls, and so are POSTs to {@code /chat/completions}, {@code /responses} and
 * {@code /embeddings} (Azure's deployment paths end the same way).
 */
final class OpenAIProtocol implements Protocol {
  static final OpenAIProtocol INSTANCE = new OpenAIProtocol();
  static final Operation CHAT = new ChatCompletions(), RESPONSES = new Responses(), EMBEDDINGS = new Embeddings();

  @Override public String sdk() {
    return "openai-java";
  }

  @Override public Operation ofMethod(Class<?> service, String method) {
    if (!method.equals("create") && !method.equals("createStreaming")) return null;
    switch (service.getSimpleName()) {
      case "ChatCompletionService": case "ChatCompletionServiceAsync": return CHAT;
      case "ResponseService": case "ResponseServiceAsync": return RESPONSES;
      case "EmbeddingService": case "EmbeddingServiceAsync": return EMBEDDINGS;
      default: return null;
    }
  }

  @Override public Operation ofRequest(String method, String url) {
    if (!"POST".equals(method)) return null;
    String path = path(url);
    if (path.endsWith("/chat/completions")) return CHAT;
    if (path.endsWith("/responses")) return RESPONSES;
    if (path.endsWith("/embeddings")) return EMBEDDINGS;
    return null;
  }

  @Override public boolean navigates(Class<?> type) {
    String n = type.getName();
    return (n.startsWith("com.openai.client.") || n.startsWith("com.openai.services.")) && !n.contains("WithRawResponse");
  }

  static String path(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** Azure OpenAI, by its hosts ({@code *.openai.azure.com}, {@code *.cognitiveservices.azure.com}, API Management). */
  static boolean azure(String url) {
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = url.indexOf('/', start);
    if (end < 0) end = url.length();
    int port = url.lastIndexOf(':', end - 1);
    if (port > start && url.charAt(end - 1) != ']') end = port;
    return hostEndsWith(url, end, ".azure.com") || hostEndsWith(url, end, ".azure-api.net");
  }

  /** Read in place, ignoring case: asked twice a call, so no lower-cased copy of the URL. */
  private static boolean hostEndsWith(String url, int end, String suffix) {
    int from = end - suffix.length();
    return from >= 0 && url.regionMatches(true, from, suffix, 0, suffix.length());
  }

  /** The operations of OpenAI's API: named and attributed as dd-trace-py names them ({@code OpenAI.createX}). */
  abstract static class OpenAIOperation extends Operation {
    private final String resource;

    OpenAIOperation(String resource, dev.llmobs.SpanKind kind) {
      super("OpenAI." + resource, kind);
      this.resource = resource;
    }

    @Override public String spanName(String url) {
      return azure(url) ? "AzureOpenAI." + resource : spanName;
    }

    @Override public String provider(String url) {
      return azure(url) ? "azure_openai" : "openai";
    }

    @Override public String toolCallType() {
      return "function";
    }
  }
}
