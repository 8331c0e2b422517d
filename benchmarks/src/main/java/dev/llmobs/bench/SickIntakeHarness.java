package dev.llmobs.bench;

import dev.llmobs.FlushResult;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.testing.TestIntake.Answer;
import dev.llmobs.testing.TestIntake;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What an intake outage costs each invocation, over 1,000 invocations in one JVM: a healthy intake (the baseline), one
 * that refuses connections, one that takes requests and answers after the budget, and the healthy one again. Prints,
 * per phase, the median and the worst time a flush took (ratio to the healthy median) and the accounting of every
 * span: sent, kept, dropped, unconfirmed.
 *
 * <p>Run: {@code java -XX:TieredStopAtLevel=1 -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
 * dev.llmobs.bench.SickIntakeHarness [invocations per phase, 250] [budget ms, 300]}.
 */
public final class SickIntakeHarness {
  private SickIntakeHarness() {}

  public static void main(String[] args) throws Exception {
    int perPhase = args.length > 0 ? Integer.parseInt(args[0]) : 250;
    long budgetMs = args.length > 1 ? Long.parseLong(args[1]) : 300;
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CountDownLatch never = new CountDownLatch(1);
    TestIntake intake = new TestIntake(port);
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "bench-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "LLMOBS_LOG_LEVEL", "off"));
    int[] totals = new int[4]; // sent, kept (last), dropped, unconfirmed
    int produced = 0;
    double healthyMedian = 0;
    String[] phases = {"healthy", "refusing", "answering after the budget", "healthy again"};
    System.out.printf(Locale.ROOT, "%d invocations per phase, %d ms budget, %s%n", perPhase, budgetMs,
        System.getProperty("java.vm.version"));
    for (int phase = 0; phase < phases.length; phase++) {
      if (phase == 1) intake.close();
      if (phase == 2) intake = new TestIntake(port).always(Answer.heldUntil(never));
      if (phase == 3) intake.always(202);
      List<Long> took = new ArrayList<>();
      FlushResult last = null;
      for (int i = 0; i < perPhase; i++) {
        try (LLMObsSpan root = LLMObs.workflow("root")) {
          LLMObs.task("child").finish();
        }
        produced += 2;
        long t0 = System.nanoTime();
        last = LLMObs.flush(Duration.ofMillis(budgetMs));
        took.add(System.nanoTime() - t0);
        totals[0] += last.spansSent();
        totals[2] += last.spansDropped();
        totals[3] += last.spansUnconfirmed();
      }
      totals[1] = last.spansKept();
      double median = median(took) / 1e6, worst = Collections.max(took.subList(Math.min(3, took.size()), took.size())) / 1e6;
      if (phase == 0) healthyMedian = median;
      System.out.printf(Locale.ROOT, "  %-28s flush median %.3f ms (%.2fx healthy), worst after the third %.3f ms"
          + " (%.1f%% of the budget); kept now %d%n", phases[phase], median, median / healthyMedian, worst,
          100 * worst / budgetMs, last.spansKept());
    }
    for (int k = 0; k < 50 && totals[1] > 0; k++) { // what is still kept leaves
      FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
      totals[0] += r.spansSent();
      totals[2] += r.spansDropped();
      totals[3] += r.spansUnconfirmed();
      totals[1] = r.spansKept();
    }
    int received = intake.acknowledgedSpans().size();
    System.out.printf(Locale.ROOT, "  every span: %d produced = %d sent + %d kept + %d dropped + %d unconfirmed (%s);"
        + " the last intake acknowledged %d%n", produced, totals[0], totals[1], totals[2], totals[3],
        produced == totals[0] + totals[1] + totals[2] + totals[3] ? "exact" : "MISMATCH", received);
    never.countDown();
    intake.close();
  }

  static long median(List<Long> v) {
    List<Long> c = new ArrayList<>(v);
    Collections.sort(c);
    return c.get(c.size() / 2);
  }
}
