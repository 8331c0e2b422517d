package dev.llmobs.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of {@code llmobs-local} (docs/performance.md), a harness, never a test:
 * <ol>
 *   <li>the time from starting {@code java -jar llmobs-local.jar invoke} to the handler running, against the same
 *       handler under the runtime interface client started bare (its JVM, prepared task root, no layer), and with
 *       the layer and exec wrapper but without the tool; rounds interleaved, medians;
 *   <li>the page with 5,000 spans in headless Chromium: navigation start to the end of its load event (the data
 *       parsed, the list drawn), and opening the trace (the waterfall's 5,000 rows built), against the same page
 *       with 10 spans.
 * </ol>
 * Run: {@code mvn -B -q install -DskipTests -pl local -am && mvn -B -q -f local exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.llmobs.local.LocalFigures}
 */
public final class LocalFigures {
  private LocalFigures() {}

  static final int ROUNDS = 7;

  public static void main(String[] args) throws Exception {
    Path work = Tool.MODULE.resolve("target").resolve("figures");
    Dirs.deleteTree(work);
    Files.createDirectories(work);
    startup(work);
    page(work);
    System.exit(0);
  }

  static void startup(Path work) throws Exception {
    Path jar = FunctionJar.get();
    Embedded embedded = Embedded.extract(work.resolve("embedded"));
    Path layer = work.resolve("opt");
    Dirs.unzip(embedded.layerZip, layer);
    Path pristine = work.resolve("package");
    Dirs.unzip(jar, pristine);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Map<String, List<Long>> ms = new LinkedHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      ms.computeIfAbsent("runtime client bare", k -> new ArrayList<>())
          .add(bare(work, round, pristine, null, embedded, java, Map.of()));
      ms.computeIfAbsent("runtime client + layer + exec wrapper", k -> new ArrayList<>())
          .add(bare(work, round, pristine, layer, embedded, java, Map.of("AWS_LAMBDA_EXEC_WRAPPER", "/opt/llmobs-wrapper",
              "DD_TRACE_AGENT_URL", "http://127.0.0.1:9")));
      long t0 = System.currentTimeMillis();
      Tool.Run r = Tool.run(work.resolve("tool-" + round), "invoke", "--handler", "com.example.Clock", "--function",
          jar.toString());
      Matcher m = Pattern.compile("response: (\\d+)").matcher(r.output);
      if (r.exit != 0 || !m.find()) throw new IllegalStateException(r.toString());
      ms.computeIfAbsent("llmobs-local invoke (layer, zero code)", k -> new ArrayList<>())
          .add(Long.parseLong(m.group(1)) - t0);
    }
    long base = median(ms.get("runtime client bare"));
    System.out.println("start to handler, median of " + ROUNDS + " interleaved rounds:");
    for (Map.Entry<String, List<Long>> e : ms.entrySet()) {
      long med = median(e.getValue());
      System.out.printf(Locale.ROOT, "  %-42s %5d ms  %.2fx  %s%n", e.getKey(), med, med / (double) base, e.getValue());
    }
  }

  /** Milliseconds from starting the runtime client's JVM to its handler running. */
  static long bare(Path work, int round, Path pristine, Path layer, Embedded embedded, Path java,
      Map<String, String> env) throws Exception {
    Path task = work.resolve("bare-" + round + (layer == null ? "" : "-layer"));
    Dirs.copyTree(pristine, task);
    try (RuntimeApi api = new RuntimeApi("clock")) {
      long t0 = System.currentTimeMillis();
      FunctionProcess fn = new FunctionProcess(new FunctionProcess.Spec("clock", "com.example.Clock", task, layer,
          embedded.runtimeDir, embedded.runtimeJars, embedded.jni, java, 512, env), api, line -> { });
      try {
        RuntimeApi.Outcome o = api.invokeWithin("r-" + round, "{}", 30_000).get(60, TimeUnit.SECONDS);
        return Long.parseLong(o.body.trim()) - t0;
      } finally {
        api.close();
        fn.close();
      }
    }
  }

  static void page(Path work) throws Exception {
    Map<String, Path> pages = new LinkedHashMap<>();
    for (int n : new int[] {10, 5_000}) {
      List<Map<String, Object>> spans = new ArrayList<>();
      spans.add(ViewerModelIT.span("big", "1", "undefined", "workflow", "root", 0, 5_000_000));
      String[] kinds = {"llm", "tool", "task", "retrieval", "agent"};
      for (int i = 2; i <= n; i++) {
        String parent = i % 50 == 2 ? "1" : Integer.toString(i - 1);
        spans.add(ViewerModelIT.span("big", Integer.toString(i), parent, kinds[i % kinds.length], "step-" + i, i * 1_000L, 900));
      }
      Path p = work.resolve("page-" + n + ".html");
      Files.writeString(p, Viewer.page(ViewerModelIT.data(spans, List.of(), List.of())), StandardCharsets.UTF_8);
      pages.put(n + " spans", p);
    }
    Map<String, List<Long>> load = new LinkedHashMap<>(), open = new LinkedHashMap<>();
    try (Chromium browser = new Chromium(work.resolve("chromium-profile"))) {
      for (int round = 0; round < ROUNDS; round++) {
        for (Map.Entry<String, Path> e : pages.entrySet()) {
          browser.open("about:blank"); // the previous page's teardown is not this page's load
          browser.open(e.getValue().toUri() + "?r=" + round);
          Number loaded = (Number) browser.eval("performance.getEntriesByType('navigation')[0].loadEventEnd");
          load.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(Math.round(loaded.doubleValue()));
          Number took = (Number) browser.eval("(() => { const t = performance.now();"
              + " document.querySelector('#traces .row').click();"
              + " document.querySelectorAll('#waterfall .row').length; return performance.now() - t; })()");
          open.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(Math.round(took.doubleValue()));
        }
      }
    }
    System.out.println("the page in headless Chromium, median of " + ROUNDS + " rounds:");
    long loadBase = median(load.get("10 spans")), openBase = Math.max(1, median(open.get("10 spans")));
    for (String k : pages.keySet()) {
      System.out.printf(Locale.ROOT, "  %-10s load %4d ms (%.2fx)  open the trace %4d ms (%.1fx)  %s %s%n", k,
          median(load.get(k)), median(load.get(k)) / (double) loadBase, median(open.get(k)),
          median(open.get(k)) / (double) openBase, load.get(k), open.get(k));
    }
  }

  static long median(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
