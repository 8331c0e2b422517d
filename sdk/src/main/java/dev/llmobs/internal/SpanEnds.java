package dev.llmobs.internal;

import java.util.function.Consumer;

/**
 * Lets an integration note when a span's work ended before it can finish the span: LangChain4j reports a tool's
 * result when the tool returns, but says whether it failed only with the next model request. The span then finishes
 * with the duration of the work, not of the wait. Not for use outside llmobs-lambda.
 *
 * <p>Spans are taken as {@code Object}: this package sits below the API's types and names none of them.
 */
public final class SpanEnds {
  private static volatile Consumer<Object> marker = span -> {};

  private SpanEnds() {}

  /** Installed by the SDK's span class when it loads. */
  public static void install(Consumer<Object> m) {
    marker = m;
  }

  /**
   * The span's work ended now: its {@code finish()}, later, keeps this end. Anything but a recording span of this
   * SDK is left alone.
   */
  public static void markEnd(Object span) {
    if (span != null) marker.accept(span);
  }
}
