package dev.llmobs;

import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finished spans for the serialization benchmark: in {@code dev.llmobs} to freeze recorded spans directly. */
public final class BenchSpans {
  private BenchSpans() {}

  /** {@code n} annotated llm spans, finished and frozen as a flush receives them. */
  public static List<FinishedSpan> llmSpans(int n) {
    configure();
    List<FinishedSpan> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      RealSpan s = (RealSpan) LLMObs.span(SpanKind.LLM, "converse").root().startDetached();
      s.modelName("anthropic.claude-3-5-haiku-20241022-v1:0").modelProvider("amazon_bedrock");
      s.inputMessages(List.of(Message.system("You answer questions about the policy."), Message.user(SpanBenchmark.QUESTION)));
      s.outputMessages(List.of(Message.assistant(SpanBenchmark.ANSWER)));
      s.tokens(231, 18).metadata("temperature", 0.2).metadata("max_tokens", 400).sessionId("claim-88412");
      s.durationNanos = 1_840_000_000L;
      out.add(s.freeze());
    }
    return out;
  }

  /** A quiet configuration writing to /dev/null: spans are made, not sent. */
  private static void configure() {
    LLMObs.configure(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null",
        "LLMOBS_LOG_LEVEL", "warn"), false), Clock.SYSTEM);
  }

  /**
   * One task span whose input is {@code chars} characters of text with a card number every 4 KB: what a redacting
   * processor has to scan.
   */
  public static FinishedSpan bigInputSpan(int chars) {
    configure();
    StringBuilder b = new StringBuilder(chars);
    while (b.length() < chars) {
      b.append(b.length() % 4096 == 0 ? "card 4111-1111-1111-1111 " : "the claimant reports water damage ");
    }
    RealSpan s = (RealSpan) LLMObs.span(SpanKind.TASK, "ingest").root().startDetached();
    s.input(b.substring(0, chars)).output("ok");
    s.durationNanos = 1_000_000L;
    return s.freeze();
  }
}
