package dev.llmobs.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts a fresh JVM as Lambda starts Java and reads the {@code elapsed_ns=} line its main prints. The JVM also logs
 * its collections to the same output, so the full ones that ran before that line, inside the measured window, are
 * counted: a full GC (on a first call, the JVM's first metadata threshold) costs tens of milliseconds, and whether one
 * side crosses that threshold and the other not can decide a comparison, so the comparison says so.
 */
final class ColdJvm {
  private ColdJvm() {}

  /** The time the full GCs of the last {@link #run} took before its result; read by {@link #compare}. */
  private static long lastFullGcNanos;

  static long run(String classpath, String mainClass, Map<String, String> env, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(Arrays.asList(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xshare:auto", "-Xlog:gc:stdout"));
    // Flags for both sides, e.g. -XX:MetaspaceSize=64m to see a run without the JVM's first metadata GC, whose
    // threshold (21 MB) a bare SDK's first call can end just under.
    String flags = System.getenv("COLD_JVM_FLAGS");
    if (flags != null && !flags.isBlank()) cmd.addAll(Arrays.asList(flags.trim().split("\\s+")));
    cmd.addAll(Arrays.asList("-cp", classpath, mainClass));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("AWS_BEARER_TOKEN_BEDROCK");
    pb.environment().putAll(env);
    Process p = pb.start();
    long elapsed = -1;
    long fullGc = 0;
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.append(line).append('\n');
        if (line.startsWith("elapsed_ns=")) elapsed = Long.parseLong(line.substring(11));
        // "[1.751s][info][gc] GC(1) Pause Full (Metadata GC Threshold) 51M->22M(365M) 57.846ms"
        if (elapsed < 0 && line.contains(" Pause Full ") && line.endsWith("ms")) {
          fullGc += (long) (Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1, line.length() - 2)) * 1e6);
        }
      }
    }
    if (p.waitFor() != 0 || elapsed < 0) throw new IllegalStateException(cmd + " failed:\n" + out);
    lastFullGcNanos = fullGc;
    return elapsed;
  }

  /** This JVM's class path without the entries that contain any of {@code fragments}: the baseline's class path. */
  static String classPathWithout(String... fragments) {
    List<String> kept = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!containsAny(e, fragments)) kept.add(e);
    }
    return String.join(java.io.File.pathSeparator, kept);
  }

  /**
   * This JVM's class path with the entries that contain any of {@code fragments} moved to its end: where Lambda's
   * class loader puts a layer's jars ({@code /opt/java/lib}, after the function's own), so that a class of the user's
   * libraries is not first looked for in ours.
   */
  static String classPathWithLast(String... fragments) {
    List<String> first = new ArrayList<>(), last = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      (containsAny(e, fragments) ? last : first).add(e);
    }
    first.addAll(last);
    return String.join(java.io.File.pathSeparator, first);
  }

  private static boolean containsAny(String entry, String... fragments) {
    for (String f : fragments) if (entry.contains(f)) return true;
    return false;
  }

  /** Runs {@code without} and {@code with} alternately, {@code runs} times each, and prints medians and their ratio. */
  static void compare(String what, int runs, java.util.concurrent.Callable<Long> without,
      java.util.concurrent.Callable<Long> with) throws Exception {
    compare(what, runs, "without llmobs", "with llmobs", without, with);
  }

  /** The same, with the two sides named. */
  static void compare(String what, int runs, String first, String second, java.util.concurrent.Callable<Long> without,
      java.util.concurrent.Callable<Long> with) throws Exception {
    long[] a = new long[runs], b = new long[runs], gcA = new long[runs], gcB = new long[runs];
    for (int i = 0; i < runs; i++) {
      a[i] = without.call();
      gcA[i] = lastFullGcNanos;
      b[i] = with.call();
      gcB[i] = lastFullGcNanos;
    }
    long ma = median(a), mb = median(b);
    System.out.printf(java.util.Locale.ROOT, "%s, %d cold JVMs each, %s%n", what, runs, System.getProperty("java.vm.version"));
    System.out.printf(java.util.Locale.ROOT,
        "%s median %.1f ms; %s median %.1f ms; ratio %.2fx; added %.1f ms%n",
        first, ma / 1e6, second, mb / 1e6, (double) mb / ma, (mb - ma) / 1e6);
    // The two JVMs of a pair ran one after the other, so a pair's difference is free of the machine's slow drift;
    // the quartiles of the differences say how far a single cold start strays.
    long[] d = new long[runs];
    for (int i = 0; i < runs; i++) d[i] = b[i] - a[i];
    System.out.println("  paired: median difference " + paired(d, ma, " of the first median"));
    printFullGcs(first, second, a, b, gcA, gcB, ma);
  }

  /**
   * How many JVMs of each side paid a full GC, and the paired difference again with each JVM's full-GC time taken
   * out: not a figure to quote alone, but it says how much of the first one is a threshold one side crossed.
   */
  private static void printFullGcs(String first, String second, long[] a, long[] b, long[] gcA, long[] gcB, long ma) {
    int runs = a.length;
    long[] d = new long[runs];
    for (int i = 0; i < runs; i++) d[i] = (b[i] - gcB[i]) - (a[i] - gcA[i]);
    System.out.printf(java.util.Locale.ROOT,
        "  full GCs: %s in %d of %d JVMs (median %.1f ms), %s in %d of %d (median %.1f ms); paired with them taken "
            + "out %s%n",
        first, countPositive(gcA), runs, median(gcA) / 1e6, second, countPositive(gcB), runs, median(gcB) / 1e6,
        paired(d, ma, ""));
  }

  /**
   * Paired differences as the comparisons print them: their median, as a ratio of {@code baseline} too, and their
   * quartiles. Sorts {@code d}.
   */
  private static String paired(long[] d, long baseline, String ratioOf) {
    Arrays.sort(d);
    int n = d.length;
    return String.format(java.util.Locale.ROOT, "%+.1f ms (%.3fx%s), quartiles %+.1f to %+.1f ms", median(d) / 1e6,
        1 + (double) median(d) / baseline, ratioOf, d[n / 4] / 1e6, d[(3 * n) / 4] / 1e6);
  }

  private static int countPositive(long[] v) {
    int n = 0;
    for (long x : v) if (x > 0) n++;
    return n;
  }

  static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
