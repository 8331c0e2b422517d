package dev.llmobs.integrations.internal;

/**
 * What one vendor's SDK speaks: which of its client methods are model calls, and which HTTP requests are. Both
 * answers name an {@link Operation}; null means "not ours". Implemented by our integrations; not for use outside
 * llmobs-lambda.
 */
public interface Protocol {
  /** The SDK's own name, for logs: {@code openai-java}. */
  String sdk();

  /** The operation of method {@code method} of the SDK's service interface {@code service}, or null. */
  Operation ofMethod(Class<?> service, String method);

  /** The operation of an HTTP request, or null. */
  Operation ofRequest(String method, String url);

  /** Whether a method's result of this interface type is a client or service to be seen through a proxy too. */
  boolean navigates(Class<?> type);

  /** Whether a method's result is a stream whose end the response body tells (it is named so in both SDKs). */
  default boolean streams(String method) {
    return method.startsWith("createStreaming");
  }
}
