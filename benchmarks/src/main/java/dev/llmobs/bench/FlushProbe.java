package dev.llmobs.bench;

import dev.llmobs.FlushResult;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a warm invocation's time goes, in a JVM started with the flags under test (e.g. Lambda's
 * {@code -XX:TieredStopAtLevel=1}): recording two annotated spans, and flushing them to an intake in another process
 * ({@code dev.llmobs.testing.TestIntake.main} prints its address). Prints medians over many invocations.
 *
 * <p>Run: {@code java -cp ... dev.llmobs.testing.TestIntake} in one shell, then
 * {@code java -XX:TieredStopAtLevel=1 -cp ... dev.llmobs.bench.FlushProbe http://127.0.0.1:PORT 2000}.
 */
public final class FlushProbe {
  private FlushProbe() {}

  public static void main(String[] args) throws Exception {
    String origin = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    LLMObs.configure(Map.of("DD_TRACE_AGENT_URL", origin, "LLMOBS_LOG_LEVEL", "warn"));
    long[] record = new long[n], flush = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      try (LLMObsSpan root = LLMObs.workflow("plain")) {
        root.input("{\"text\":\"A long claim description.\"}").tag("request_id", "r" + i);
        try (LLMObsSpan llm = LLMObs.llm("bedrock-runtime.converse", "amazon.nova-micro-v1:0", "amazon_bedrock")) {
          llm.inputMessages(List.of(Message.user("Summarize in one sentence: A long claim description.")))
              .outputMessages(List.of(Message.assistant("A short summary."))).tokens(25, 5).metadata("stop_reason", "end_turn");
        }
        root.output("A short summary.");
      }
      long t1 = System.nanoTime();
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      long t2 = System.nanoTime();
      if (r.spansSent() != 2) throw new IllegalStateException(r.toString());
      record[i] = t1 - t0;
      flush[i] = t2 - t1;
    }
    System.out.printf(Locale.ROOT, "%d invocations, %s: record 2 spans median %.1f us; flush median %.1f us (p90 %.1f us)%n",
        n, String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
        median(record) / 1e3, median(flush) / 1e3, pct(flush, 0.9) / 1e3);
    // The early invocations run code the JIT has not compiled yet: their flushes are told apart.
    for (int[] w : new int[][] {{1, 20}, {20, 200}, {200, 1000}, {1000, n}}) {
      int to = Math.min(w[1], n);
      if (w[0] >= to) continue;
      System.out.printf(Locale.ROOT, "  invocations %d to %d: record median %.1f us, flush median %.1f us%n", w[0], to - 1,
          median(Arrays.copyOfRange(record, w[0], to)) / 1e3, median(Arrays.copyOfRange(flush, w[0], to)) / 1e3);
    }
  }

  static long median(long[] v) {
    return pct(v, 0.5);
  }

  static long pct(long[] v, double p) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[(int) (c.length * p)];
  }
}
