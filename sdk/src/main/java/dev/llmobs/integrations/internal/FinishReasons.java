package dev.llmobs.integrations.internal;

import java.util.Locale;

/**
 * Why a model stopped, in its provider's own words. Frameworks such as LangChain4j fold every provider's reason into
 * one of five ({@code STOP}, {@code LENGTH}, {@code TOOL_EXECUTION}, {@code CONTENT_FILTER}, {@code OTHER}); Datadog
 * and the provider's own console say {@code tool_calls} (OpenAI) or {@code tool_use} (Anthropic, Bedrock). Spans read
 * from the wire keep the word the wire carries; this is for the spans that only see the framework's.
 */
public final class FinishReasons {
  private FinishReasons() {}

  /** {@code reason} (a framework's generic name) as {@code provider} (our provider name) says it. */
  public static String of(String provider, String reason) {
    if (reason == null) return null;
    String r = reason.toUpperCase(Locale.ROOT);
    String p = provider == null ? "" : provider;
    switch (p) {
      case "openai": case "azure_openai": case "mistralai": case "mistral_ai": case "ollama":
        return pick(r, "stop", "length", "tool_calls", "content_filter", reason);
      case "anthropic":
        return pick(r, "end_turn", "max_tokens", "tool_use", "refusal", reason);
      case "amazon_bedrock": case "amazon":
        return pick(r, "end_turn", "max_tokens", "tool_use", "content_filtered", reason);
      case "google": case "vertexai": case "gemini":
        return pick(r, "STOP", "MAX_TOKENS", "STOP", "SAFETY", reason);
      default:
        return reason.toLowerCase(Locale.ROOT);
    }
  }

  private static String pick(String r, String stop, String length, String tools, String filtered, String other) {
    switch (r) {
      case "STOP": return stop;
      case "LENGTH": return length;
      case "TOOL_EXECUTION": return tools;
      case "CONTENT_FILTER": return filtered;
      default: return other.toLowerCase(Locale.ROOT);
    }
  }
}
