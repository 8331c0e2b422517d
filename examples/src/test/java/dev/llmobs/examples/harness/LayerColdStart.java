package dev.llmobs.examples.harness;

import dev.llmobs.local.RuntimeApi;
import dev.llmobs.testing.TestIntake;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the layer costs a function, under the real runtime client: example 2 (a plain handler calling Bedrock)
 * deployed alone, and with the layer and the exec wrapper (zero code), alternately, several cold starts each.
 * Cold start = from starting the function's JVM to the first response at the Runtime API (Init plus the first
 * invocation), and the function process's CPU time by then. Warm = a later invocation, from queueing it to its
 * response (the layer's flush included), and the function process's CPU time per warm call over a round (what the
 * layer costs the function itself, apart from any wait for a core on a shared machine).
 *
 * <p>With {@code otlp} as the third argument, four sides: the function alone, our layer exporting OTLP (protobuf, then
 * JSON) to a local
 * collector, and the same function traced by OpenTelemetry's own Lambda wrapper with its OTLP/HTTP exporter
 * ({@link OtelPlainHandler}), doing the same work.
 *
 * <p>With {@code openai}, the function is {@link OpenAIPlainHandler} (openai-java against a loopback stand-in), alone
 * and with the layer: the first OpenAI call's cold cost inside a Lambda function, where the runtime client's classes
 * and the user's share the JVM with ours.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl examples exec:java
 * -Dexec.mainClass=dev.llmobs.examples.harness.LayerColdStart -Dexec.args="5 100"} (cold starts per side, warm
 * calls per cold start; a third argument is {@code otlp}, or it and those after it {@code NAME=VALUE} for the
 * function's environment;
 * {@code -Dllmobs.otherLayer=/path/layer.zip} adds a side with another build's layer, for a before and after;
 * {@code -Dllmobs.alsoEnv=NAME=VALUE,...;NAME=VALUE,...} a side for each {@code ;}-separated group, with this build's
 * layer and those settings, to take the layer's cost apart in the same rounds).
 */
public final class LayerColdStart {
  private LayerColdStart() {}

  /** One way of deploying example 2. */
  static final class Side {
    final String label, handler;
    final boolean layer;
    final String[] env;
    final List<Path> extra;
    /** Another build's layer, or null for this build's (when {@link #layer}). */
    Path layerZip;

    Side(String label, String handler, boolean layer, List<Path> extra, String... env) {
      this.label = label;
      this.handler = handler;
      this.layer = layer;
      this.extra = extra;
      this.env = env;
    }
  }

  private static final java.util.regex.Pattern FIRST_CALL = java.util.regex.Pattern.compile("first_call_ns=(\\d+)");

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int warmCalls = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    String third = args.length > 2 ? args[2] : "";
    boolean otlp = third.equals("otlp"), openai = third.equals("openai");
    List<String> pairs = new ArrayList<>(); // the function's environment: each argument from the third on, NAME=VALUE
    for (int i = openai ? 3 : 2; i < args.length && !otlp; i++) {
      if (args[i].contains("=")) pairs.addAll(Arrays.asList(args[i].split("=", 2)));
    }
    String[] extraEnv = pairs.toArray(new String[0]);
    try (TestIntake intake = new TestIntake().keepOnlyTheLast(); FakeBedrock bedrock = new FakeBedrock();
        FakeOpenAI openAi = new FakeOpenAI()) {
      List<Side> sides = new ArrayList<>();
      if (openai) {
        String[] env = Arrays.copyOf(extraEnv, extraEnv.length + 2);
        env[extraEnv.length] = "OPENAI_BASE_URL";
        env[extraEnv.length + 1] = openAi.baseUrl();
        List<Path> fn = harnessAnd("/com/openai/", "/io/swagger/", "/com/github/victools/");
        sides.add(new Side("without layer", OpenAIPlainHandler.class.getName(), false, fn, env));
        sides.add(new Side("with layer", OpenAIPlainHandler.class.getName(), true, fn, env));
      } else if (otlp) {
        sides.add(new Side("without layer", "dev.llmobs.examples.PlainHandler", false, List.of(), extraEnv));
        sides.add(new Side("with layer, OTLP/protobuf", "dev.llmobs.examples.PlainHandler", true, List.of(),
            "LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin()));
        sides.add(new Side("with layer, OTLP/JSON", "dev.llmobs.examples.PlainHandler", true, List.of(),
            "LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin(),
            "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"));
        sides.add(new Side("OpenTelemetry's wrapper", "dev.llmobs.examples.harness.OtelPlainHandler", false,
            otelPackage(), "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin()));
      } else {
        sides.add(new Side("without layer", "dev.llmobs.examples.PlainHandler", false, List.of(), extraEnv));
        sides.add(new Side("with layer", "dev.llmobs.examples.PlainHandler", true, List.of(), extraEnv));
        String other = System.getProperty("llmobs.otherLayer"); // another build's layer.zip, measured beside this one
        if (other != null) {
          Side b = new Side("with " + Path.of(other).getFileName(), "dev.llmobs.examples.PlainHandler", true, List.of(),
              extraEnv);
          b.layerZip = Path.of(other);
          sides.add(b);
        }
        String also = System.getProperty("llmobs.alsoEnv"); // this layer again, with more of the function's environment
        for (String side : also == null ? new String[0] : also.split(";")) {
          List<String> more = new ArrayList<>(Arrays.asList(extraEnv));
          for (String pair : side.split(",")) more.addAll(Arrays.asList(pair.split("=", 2)));
          sides.add(new Side("with layer, " + side, "dev.llmobs.examples.PlainHandler", true, List.of(),
              more.toArray(new String[0])));
        }
      }
      int n = sides.size();
      long[][] cold = new long[n][runs], coldCpu = new long[n][runs], warm = new long[n][runs * warmCalls],
          firstCall = new long[n][runs], handlerFirst = new long[n][runs], warmCpu = new long[n][runs];
      List<List<Double>> flushMs = new ArrayList<>(), coldFlushMs = new ArrayList<>();
      String mode = null;
      for (int i = 0; i < n; i++) {
        flushMs.add(new ArrayList<>());
        coldFlushMs.add(new ArrayList<>());
      }
      for (int r = 0; r < runs; r++) {
        for (int k = 0; k < n; k++) { // alternate, so that machine noise hits every side alike
          Side side = sides.get(k);
          Path zip = !side.layer ? null : side.layerZip != null ? side.layerZip
              : LambdaHarness.targetDir().resolve("layer.zip");
          try (LambdaHarness fn = new LambdaHarness("plain-" + k, side.handler,
              LambdaHarness.env(intake.origin(), bedrock, side.env), side.layer, zip, side.extra)) {
            if (side.layer) mode = fn.layerMode;
            RuntimeApi.Outcome first = fn.runtimeApi.invoke("cold-" + r, "{\"text\":\"claim\"}",
                System.currentTimeMillis() + 60_000).get(120, TimeUnit.SECONDS);
            if (first.error) throw new IllegalStateException(first + "\n" + fn.output());
            cold[k][r] = first.nanos - fn.startNanos;
            firstCall[k][r] = first.nanos - first.handedOutNanos; // the first invocation alone, after Init
            coldCpu[k][r] = fn.cpuNanos(); // read at once: the function now waits for its next event
            java.util.regex.Matcher timed = FIRST_CALL.matcher(fn.output()); // OpenAIPlainHandler's own timing
            if (timed.find()) handlerFirst[k][r] = Long.parseLong(timed.group(1));
            for (int i = 0; i < warmCalls; i++) {
              long t0 = System.nanoTime();
              RuntimeApi.Outcome o = fn.runtimeApi.invoke("warm-" + r + "-" + i, "{\"text\":\"claim\"}",
                  System.currentTimeMillis() + 60_000).get(60, TimeUnit.SECONDS);
              if (o.error) throw new IllegalStateException(o.toString());
              warm[k][r * warmCalls + i] = o.nanos - t0; // all kept; the median is robust to the first, slower ones
              if (side.layer) flushOf(intake.last(), i == 0, flushMs.get(k), coldFlushMs.get(k));
              if (side.layer && openai && i == 0 && !intake.last().bodyText().contains("openai")) {
                throw new IllegalStateException("the OpenAI call was not traced:\n" + fn.output());
              }
            }
            // The function process's own CPU per warm call (its JIT and GC threads included), which no other
            // process's wait for a core can lengthen; /proc counts it in ticks, so over a round, not a call.
            if (warmCalls > 0) warmCpu[k][r] = (fn.cpuNanos() - coldCpu[k][r]) / warmCalls;
          }
        }
      }
      System.out.printf(Locale.ROOT, "%s under the real runtime client, %d cold starts and %d warm calls each"
          + " side; %s; %s%n", openai ? "an openai-java function" : "example 2", runs, runs * warmCalls, mode,
          System.getProperty("java.vm.version"));
      double c0 = median(cold[0]) / 1e6, p0 = median(coldCpu[0]) / 1e6, w0 = median(warm[0]) / 1e6;
      double f0 = median(firstCall[0]) / 1e6;
      System.out.printf(Locale.ROOT, "  %-24s cold %.1f ms, cold CPU %.1f ms, first invocation %.1f ms, warm %.3f ms%n",
          sides.get(0).label, c0, p0, f0, w0);
      for (int k = 1; k < n; k++) {
        double c = median(cold[k]) / 1e6, p = median(coldCpu[k]) / 1e6, w = median(warm[k]) / 1e6;
        double f = median(firstCall[k]) / 1e6;
        System.out.printf(Locale.ROOT, "  %-24s cold %.1f ms (%.3fx, %+.1f ms), cold CPU %.1f ms (%.3fx, %+.1f ms),"
            + " first invocation %.1f ms (%+.1f ms), warm %.3f ms (%+.3f ms)%n", sides.get(k).label, c, c / c0, c - c0,
            p, p / p0, p - p0, f, f - f0, w, w - w0);
        double[] dw = roundDifferences(warm[0], warm[k], runs, warmCalls), df = roundDifferences(firstCall[0],
            firstCall[k], runs, 1), dc = roundDifferences(cold[0], cold[k], runs, 1);
        System.out.printf(Locale.ROOT, "  %-24s paired by round: cold %+.1f ms (quartiles %+.1f to %+.1f), first"
            + " invocation %+.1f ms (quartiles %+.1f to %+.1f), warm %+.3f ms (quartiles %+.3f to %+.3f)%n", "",
            quantile(dc, 2), quantile(dc, 1), quantile(dc, 3), quantile(df, 2), quantile(df, 1), quantile(df, 3),
            quantile(dw, 2), quantile(dw, 1), quantile(dw, 3));
        if (warmCalls >= 8) { // Lambda's flags compile once-per-invocation code late: the round's last quarter, apart
          int from = warmCalls - warmCalls / 4;
          double[] late = roundDifferences(warm[0], warm[k], runs, warmCalls, from);
          System.out.printf(Locale.ROOT, "  %-24s paired, warm calls %d to %d of each round only: %+.3f ms"
              + " (quartiles %+.3f to %+.3f)%n", "", from + 1, warmCalls, quantile(late, 2), quantile(late, 1),
              quantile(late, 3));
        }
        if (warmCalls > 0) {
          double[] dp = roundDifferences(warmCpu[0], warmCpu[k], runs, 1);
          System.out.printf(Locale.ROOT, "  %-24s the function process's CPU per warm call: %.3f ms against %.3f ms;"
              + " paired %+.3f ms (quartiles %+.3f to %+.3f)%n", "", median(warmCpu[k]) / 1e6,
              median(warmCpu[0]) / 1e6, quantile(dp, 2), quantile(dp, 1), quantile(dp, 3));
        }
        if (openai) {
          double h0 = median(handlerFirst[0]) / 1e6, h = median(handlerFirst[k]) / 1e6;
          double[] dh = roundDifferences(handlerFirst[0], handlerFirst[k], runs, 1);
          System.out.printf(Locale.ROOT, "  %-24s client built and first call, timed in the handler: %.1f ms against"
              + " %.1f ms (%.3fx); paired %+.1f ms (%.3fx, quartiles %+.1f to %+.1f)%n", "", h, h0, h / h0,
              quantile(dh, 2), 1 + quantile(dh, 2) / h0, quantile(dh, 1), quantile(dh, 3));
        }
        if (!flushMs.get(k).isEmpty()) {
          System.out.printf(Locale.ROOT, "  %-24s flush inside the function: first (cold) %.1f ms median over %d,"
              + " warm %.3f ms median over %d%n", "", median(coldFlushMs.get(k)), coldFlushMs.get(k).size(),
              median(flushMs.get(k)), flushMs.get(k).size());
        }
      }
    }
  }

  /**
   * The flush the function measured itself, from the next invocation's root span ({@code llmobs.previous_flush_ms}
   * in Datadog's format, {@code llmobs.metric.llmobs.previous_flush_ms} over OTLP).
   */
  static void flushOf(TestIntake.Request last, boolean afterCold, List<Double> warm, List<Double> cold) {
    if (last == null) return;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "llmobs\\.previous_flush_ms\"(?::|,\"value\":\\{\"doubleValue\":)([0-9.eE-]+)").matcher(last.bodyText());
    if (!m.find()) return;
    double v = Double.parseDouble(m.group(1));
    (afterCold ? cold : warm).add(v);
  }

  /** OpenTelemetry's jars, from this harness's own class path, for the comparator's package. */
  static List<Path> otelPackage() throws Exception {
    return harnessAnd("/io/opentelemetry/", "/com/squareup/okhttp3/", "/com/squareup/okio/",
        "/org/jetbrains/kotlin/kotlin-stdlib/");
  }

  /** This harness's classes and the jars on its class path whose path has one of {@code fragments}. */
  static List<Path> harnessAnd(String... fragments) throws Exception {
    List<Path> out = new ArrayList<>();
    out.add(Path.of(LayerColdStart.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    List<URL> urls = new ArrayList<>();
    for (; cl != null; cl = cl.getParent()) {
      if (cl instanceof URLClassLoader) urls.addAll(Arrays.asList(((URLClassLoader) cl).getURLs()));
    }
    if (urls.isEmpty()) {
      for (String e : System.getProperty("java.class.path").split(":")) urls.add(Path.of(e).toUri().toURL());
    }
    for (URL u : urls) {
      String p = u.getPath();
      if (!p.endsWith(".jar")) continue;
      for (String f : fragments) {
        if (p.contains(f)) {
          out.add(Path.of(u.toURI()));
          break;
        }
      }
    }
    return out;
  }

  /**
   * Per round, the median of one side's calls minus the baseline's, in ms: the two sides of a round run minutes apart
   * at most, so a machine that drifts between rounds moves both alike.
   */
  static double[] roundDifferences(long[] base, long[] side, int runs, int perRound) {
    return roundDifferences(base, side, runs, perRound, 0);
  }

  /** As above, over each round's calls from index {@code from} on only. */
  static double[] roundDifferences(long[] base, long[] side, int runs, int perRound, int from) {
    double[] d = new double[runs];
    for (int r = 0; r < runs; r++) {
      d[r] = (median(Arrays.copyOfRange(side, r * perRound + from, (r + 1) * perRound))
          - median(Arrays.copyOfRange(base, r * perRound + from, (r + 1) * perRound))) / 1e6;
    }
    Arrays.sort(d);
    return d;
  }

  /** The {@code q}th quartile (1 to 3) of sorted values, by nearest rank. */
  static double quantile(double[] sorted, int q) {
    return sorted[Math.min(sorted.length - 1, sorted.length * q / 4)];
  }

  static long median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  static double median(List<Double> v) {
    List<Double> c = new ArrayList<>(v);
    Collections.sort(c);
    return c.isEmpty() ? Double.NaN : c.get(c.size() / 2);
  }
}
