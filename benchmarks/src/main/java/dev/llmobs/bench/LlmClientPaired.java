package dev.llmobs.bench;

import com.anthropic.client.AnthropicClient;
import com.openai.client.OpenAIClient;
import dev.llmobs.LLMObs;
import dev.llmobs.anthropic.LLMObsAnthropic;
import dev.llmobs.openai.LLMObsOpenAI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@link LlmClientBenchmark}'s calls (in-memory transport), the three modes of one SDK interleaved in one JVM: short
 * batches in a shuffled order, round after round, so that a shared machine's load, which drifts over minutes and
 * moves JMH's forks run one mode after another, falls on every mode alike. Prints each mode's median batch (µs per
 * call) and the median over rounds of {@code traced - span} and {@code span - bare}, each taken within a round.
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * dev.llmobs.bench.LlmClientPaired [rounds] [calls per batch]} (default 400 and 500; the first quarter of the rounds
 * warms up and is not counted).
 */
public final class LlmClientPaired {
  private LlmClientPaired() {}

  static final String[] MODES = {"bare", "span", "traced"};

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null", "LLMOBS_LOG_LEVEL", "warn"));
    AnthropicClient a = InMemoryTransports.anthropic(LlmStub.MESSAGE), aTraced = LLMObsAnthropic.wrap(InMemoryTransports.anthropic(LlmStub.MESSAGE));
    OpenAIClient o = InMemoryTransports.openai(LlmStub.CHAT), oTraced = LLMObsOpenAI.wrap(InMemoryTransports.openai(LlmStub.CHAT));
    System.out.printf(Locale.ROOT, "%d rounds of %d calls a mode (a quarter warming up), %s%n", rounds, batch,
        System.getProperty("java.vm.version"));
    for (String sdk : new String[] {"anthropic", "openai"}) {
      double[][] perCall = new double[MODES.length][];
      List<double[]> kept = new ArrayList<>();
      Random shuffle = new Random(42);
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
      for (int r = 0; r < rounds; r++) {
        Collections.shuffle(order, shuffle);
        double[] round = new double[MODES.length];
        for (int m : order) {
          boolean traced = MODES[m].equals("traced");
          AnthropicClient ac = traced ? aTraced : a;
          OpenAIClient oc = traced ? oTraced : o;
          long t0 = System.nanoTime();
          for (int i = 0; i < batch; i++) LlmClientBenchmark.call(sdk, MODES[m], ac, oc);
          round[m] = (System.nanoTime() - t0) / 1e3 / batch;
        }
        if (r >= rounds / 4) kept.add(round);
      }
      for (int m = 0; m < MODES.length; m++) {
        final int k = m;
        perCall[m] = kept.stream().mapToDouble(x -> x[k]).toArray();
      }
      double[] tracedMinusSpan = kept.stream().mapToDouble(x -> x[2] - x[1]).toArray();
      double[] spanMinusBare = kept.stream().mapToDouble(x -> x[1] - x[0]).toArray();
      System.out.printf(Locale.ROOT, "  %-9s bare %.2f us, span %.2f us, traced %.2f us; within a round: traced - span %+.2f us"
          + " (middle half %+.2f to %+.2f), span - bare %+.2f us; traced / span %.3f%n", sdk, median(perCall[0]),
          median(perCall[1]), median(perCall[2]), median(tracedMinusSpan), pct(tracedMinusSpan, 0.25),
          pct(tracedMinusSpan, 0.75), median(spanMinusBare), median(kept.stream().mapToDouble(x -> x[2] / x[1]).toArray()));
    }
  }

  static double median(double[] v) {
    return pct(v, 0.5);
  }

  static double pct(double[] v, double p) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[(int) Math.min(c.length - 1, Math.floor(p * c.length))];
  }
}
