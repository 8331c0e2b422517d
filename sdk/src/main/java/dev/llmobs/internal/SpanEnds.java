package dev.llmobs.internal;

import dev.llmobs.LLMObsSpan;
import java.util.function.Consumer;

/**
 * Lets an integration note when a span's work ended before it can finish the span: LangChain4j reports a tool's
 * result when the tool returns, but says whether it failed only with the next model request. The span then finishes
 * with the duration of the work, not of the wait. Not for use outside llmobs-lambda.
 */
public final class SpanEnds {
  private static volatile Consumer<LLMObsSpan> marker = span -> {};

  private SpanEnds() {}

  /** Installed by the SDK's span class when it loads. */
  public static void install(Consumer<LLMObsSpan> m) {
    marker = m;
  }

  /** The span's work ended now: {@code finish()}, later, keeps this end. A span not recording is left alone. */
  public static void markEnd(LLMObsSpan span) {
    if (span != null) marker.accept(span);
  }
}
