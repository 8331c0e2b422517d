package dev.llmobs.anthropic;

import dev.llmobs.SpanKind;
import dev.llmobs.integrations.internal.AnthropicMessages;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.Operation;
import dev.llmobs.integrations.internal.Protocol;
import dev.llmobs.integrations.internal.TappedCall;

/**
 * What anthropic-java speaks: its message services' {@code create} and {@code createStreaming} are model calls, and
 * so is a POST to the Messages API wherever it is served (Anthropic's {@code /v1/messages}, Bedrock's
 * {@code /model/{id}/invoke...}, Vertex's {@code :rawPredict} and {@code :streamRawPredict}).
 */
final class AnthropicProtocol implements Protocol {
  static final AnthropicProtocol INSTANCE = new AnthropicProtocol();
  static final Operation MESSAGES = new Messages();

  @Override public String sdk() {
    return "anthropic-java";
  }

  @Override public Operation ofMethod(Class<?> service, String method) {
    String name = service.getSimpleName();
    boolean messages = name.equals("MessageService") || name.equals("MessageServiceAsync")
        || name.equals("BetaMessageService") || name.equals("BetaMessageServiceAsync");
    return messages && (method.equals("create") || method.equals("createStreaming")) ? MESSAGES : null;
  }

  @Override public Operation ofRequest(String method, String url) {
    if (!"POST".equals(method)) return null;
    String path = path(url);
    if (path.endsWith("/v1/messages") || path.endsWith(":rawPredict") || path.endsWith(":streamRawPredict")) return MESSAGES;
    if (path.contains("/model/") && (path.endsWith("/invoke") || path.endsWith("/invoke-with-response-stream"))) return MESSAGES;
    return null;
  }

  @Override public boolean navigates(Class<?> type) {
    String n = type.getName();
    return (n.startsWith("com.anthropic.client.") || n.startsWith("com.anthropic.services.")) && !n.contains("WithRawResponse");
  }

  /**
   * The cloud a client's backend serves from, as dd-trace-py names it: {@code amazon} for Bedrock, {@code google} for
   * Vertex; null for Anthropic's API or when it cannot be told. The backend is what the client was built with, so
   * this holds behind a VPC endpoint or a proxy whose host names neither; the SDK keeps it in a private field of its
   * options builder (the one reflective step, with the host as fallback).
   */
  static String providerOf(Object optionsBuilder) {
    try {
      java.lang.reflect.Field f = optionsBuilder.getClass().getDeclaredField("backend");
      f.setAccessible(true);
      Object backend = f.get(optionsBuilder);
      if (!(backend instanceof com.anthropic.backends.Backend)) return null;
      String otel = ((com.anthropic.backends.Backend) backend).openTelemetryProviderName();
      if (otel == null) return null;
      if (otel.startsWith("aws")) return "amazon";
      if (otel.startsWith("gcp")) return "google";
      return null;
    } catch (Throwable t) {
      dev.llmobs.internal.Throwables.propagateIfFatal(t);
      return null;
    }
  }

  static String path(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** The Messages API, in Anthropic's words (stop reasons, cache tokens) as the Bedrock spans already write them. */
  static final class Messages extends Operation {
    Messages() {
      super("anthropic.request", SpanKind.LLM);
    }

    /** By the host, when the client's backend could not be read (Bedrock's and Vertex's hosts name them). */
    @Override public String provider(String url) {
      String u = url == null ? "" : url.toLowerCase(java.util.Locale.ROOT);
      if (u.contains("bedrock")) return "amazon";
      if (u.contains("googleapis.com") || u.contains("aiplatform")) return "google";
      return "anthropic";
    }

    @Override public void request(Object req, TappedCall call) {
      String model = Json.str(req, "model");
      if (model == null) model = modelInUrl(call.url());
      if (model != null) call.span.modelName(model);
      AnthropicMessages.input(req, call);
      AnthropicMessages.tools(req, call);
      call.meta("max_tokens", Json.num(req, "max_tokens"));
      call.meta("temperature", Json.raw(req, "temperature"));
      call.meta("top_p", Json.raw(req, "top_p"));
      call.meta("top_k", Json.raw(req, "top_k"));
      call.meta("stop_sequences", Json.raw(req, "stop_sequences"));
      call.meta("tool_choice", Json.raw(req, "tool_choice"));
      call.meta("thinking", Json.raw(req, "thinking"));
      call.meta("stream", Json.raw(req, "stream"));
    }

    @Override public void response(Object res, TappedCall call) {
      AnthropicMessages.response(res, call);
    }

    @Override public void event(String name, Object data, TappedCall call) {
      if (AnthropicMessages.streamError(data) != null) call.streamError(AnthropicMessages.streamError(data));
      else AnthropicMessages.event(data, call.stream());
    }

    @Override public String toolCallType() {
      return "tool_use";
    }

    /** Bedrock and Vertex name the model in the path, not the body. */
    static String modelInUrl(String url) {
      if (url == null) return null;
      String path = path(url);
      int m = path.indexOf("/model/");
      if (m >= 0) {
        int end = path.indexOf('/', m + 7);
        return java.net.URLDecoder.decode(path.substring(m + 7, end < 0 ? path.length() : end), java.nio.charset.StandardCharsets.UTF_8);
      }
      int models = path.indexOf("/models/");
      int colon = path.lastIndexOf(':');
      return models >= 0 && colon > models ? path.substring(models + 8, colon) : null;
    }
  }
}
