package dev.llmobs.integrations.internal;

import dev.llmobs.SpanKind;

/**
 * One kind of model call an API offers over HTTP (OpenAI's chat completions, Anthropic's messages...): its span's
 * name and kind, and how its request, response and stream events read. Stateless; implemented by our integrations.
 * Not for use outside llmobs-lambda.
 */
public abstract class Operation {
  public final String spanName;
  public final SpanKind kind;

  protected Operation(String spanName, SpanKind kind) {
    this.spanName = spanName;
    this.kind = kind;
  }

  /** The span's name for a request to {@code url} (a vendor may name its calls by where they go). */
  public String spanName(String url) {
    return spanName;
  }

  /** The provider a request to {@code url} goes to ({@code openai}, {@code azure_openai}, {@code amazon}...). */
  public abstract String provider(String url);

  /** Reads a parsed request body: model, input, parameters, tools. */
  public abstract void request(Object body, TappedCall call);

  /** Reads a parsed response body: output, finish reason, tokens. */
  public abstract void response(Object body, TappedCall call);

  /** Reads one server-sent event of a streamed answer (its name, its parsed data). */
  public abstract void event(String name, Object data, TappedCall call);

  /** The {@code type} the tool calls of this API carry. */
  public abstract String toolCallType();

  /** The error type and message of an error response body, or null to keep the status alone. */
  public String errorOf(Object body) {
    java.util.Map<String, Object> e = Json.obj(body, "error");
    if (e == null) return null;
    String type = Json.str(e, "type");
    if (type == null) type = Json.str(e, "code");
    String message = Json.str(e, "message");
    return type == null ? message : message == null ? type : type + ": " + message;
  }
}
