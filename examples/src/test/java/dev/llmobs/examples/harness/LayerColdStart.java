package dev.llmobs.examples.harness;

import dev.llmobs.testing.TestIntake;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the layer costs a function, under the real runtime client: example 2 (a plain handler calling Bedrock)
 * deployed alone, and with the layer and the exec wrapper (zero code), alternately, several cold starts each.
 * Cold start = from starting the function's JVM to the first response at the Runtime API (Init plus the first
 * invocation). Warm = a later invocation, from queueing it to its response (the layer's flush included).
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl examples exec:java
 * -Dexec.mainClass=dev.llmobs.examples.harness.LayerColdStart -Dexec.args="5 100"} (cold starts per side, warm
 * calls per cold start).
 */
public final class LayerColdStart {
  private LayerColdStart() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int warmCalls = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    String[] extraEnv = args.length > 2 ? args[2].split("=", 2) : new String[0]; // e.g. LLMOBS_BEDROCK_ENABLED=false
    long[][] cold = new long[2][runs];
    long[][] coldCpu = new long[2][runs];
    long[][] warm = new long[2][runs * warmCalls];
    try (TestIntake intake = new TestIntake(); FakeBedrock bedrock = new FakeBedrock()) {
      String mode = null;
      for (int r = 0; r < runs; r++) {
        for (int layer = 0; layer < 2; layer++) {
          try (LambdaHarness fn = new LambdaHarness("plain-" + layer, "dev.llmobs.examples.PlainHandler",
              LambdaHarness.env(intake.origin(), bedrock, extraEnv), layer == 1, layer == 1)) {
            if (layer == 1) mode = fn.layerMode;
            RuntimeApi.Outcome first = fn.runtimeApi.invoke("cold-" + r, "{\"text\":\"claim\"}",
                System.currentTimeMillis() + 60_000).get(120, TimeUnit.SECONDS);
            if (first.error) throw new IllegalStateException(first + "\n" + fn.output());
            cold[layer][r] = first.nanos - fn.startNanos;
            coldCpu[layer][r] = fn.cpuNanos(); // read at once: the function now waits for its next event
            for (int i = 0; i < warmCalls; i++) {
              long t0 = System.nanoTime();
              RuntimeApi.Outcome o = fn.runtimeApi.invoke("warm-" + r + "-" + i, "{\"text\":\"claim\"}",
                  System.currentTimeMillis() + 60_000).get(60, TimeUnit.SECONDS);
              if (o.error) throw new IllegalStateException(o.toString());
              warm[layer][r * warmCalls + i] = o.nanos - t0; // all kept; the median is robust to the first, slower ones
            }
          }
        }
      }
      double c0 = median(cold[0]) / 1e6, c1 = median(cold[1]) / 1e6, w0 = median(warm[0]) / 1e6, w1 = median(warm[1]) / 1e6;
      System.out.printf(Locale.ROOT, "example 2 under the real runtime client, %d cold starts and %d warm calls each side; %s; %s%n",
          runs, runs * warmCalls, mode, System.getProperty("java.vm.version"));
      System.out.printf(Locale.ROOT, "cold start (JVM start to first response): without layer median %.1f ms, with layer"
          + " %.1f ms: ratio %.3fx, added %.1f ms%n", c0, c1, c1 / c0, c1 - c0);
      double p0 = median(coldCpu[0]) / 1e6, p1 = median(coldCpu[1]) / 1e6;
      System.out.printf(Locale.ROOT, "cold start CPU (the function's process, all threads, to its first response):"
          + " without layer median %.1f ms, with layer %.1f ms: ratio %.3fx, added %.1f ms%n", p0, p1, p1 / p0, p1 - p0);
      System.out.printf(Locale.ROOT, "warm invocation: without layer median %.3f ms, with layer %.3f ms: ratio %.2fx,"
          + " added %.3f ms%n", w0, w1, w1 / w0, w1 - w0);
      long bytes = 0;
      for (TestIntake.Request q : intake.requests()) bytes += q.body.length;
      System.out.println("span requests acknowledged: " + intake.requests().size() + " (" + bytes + " bytes)");
      // The flush's own share of a warm invocation, as the function measured it (metric on the next root span).
      java.util.List<Double> flushMs = new java.util.ArrayList<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"llmobs\\.previous_flush_ms\":([0-9.eE-]+)").matcher("");
      for (TestIntake.Request q : intake.requestsTo("/api/v2/llmobs")) {
        m.reset(q.bodyText());
        while (m.find()) flushMs.add(Double.parseDouble(m.group(1)));
      }
      java.util.Collections.sort(flushMs);
      if (!flushMs.isEmpty()) {
        System.out.printf(Locale.ROOT, "flush inside the function (previous_flush_ms): median %.3f ms over %d invocations%n",
            flushMs.get(flushMs.size() / 2), flushMs.size());
      }
      // The cold flush: the first invocation's, as the second invocation of each cold start reports it.
      java.util.List<Double> coldFlushMs = new java.util.ArrayList<>();
      for (TestIntake.Request q : intake.requestsTo("/api/v2/llmobs")) {
        for (Object element : (java.util.List<?>) q.json()) {
          for (Object o : (java.util.List<?>) ((java.util.Map<?, ?>) element).get("spans")) {
            java.util.Map<?, ?> span = (java.util.Map<?, ?>) o;
            Object tags = span.get("tags");
            if (tags instanceof java.util.List && ((java.util.List<?>) tags).stream()
                .anyMatch(t -> String.valueOf(t).matches("request_id:warm-[0-9]+-0"))) {
              Object v = ((java.util.Map<?, ?>) span.get("metrics")).get("llmobs.previous_flush_ms");
              if (v instanceof Number) coldFlushMs.add(((Number) v).doubleValue());
            }
          }
        }
      }
      java.util.Collections.sort(coldFlushMs);
      if (!coldFlushMs.isEmpty()) {
        System.out.printf(Locale.ROOT, "first (cold) flush inside the function: median %.1f ms over %d cold starts%n",
            coldFlushMs.get(coldFlushMs.size() / 2), coldFlushMs.size());
      }
    }
  }

  static long median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
