package dev.llmobs.springai;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What our jar adds to a Spring AI application's start, a harness (docs/performance.md), never a test: the same
 * Spring Boot application (Spring AI's OpenAI starter, Boot's observation support) started in a fresh JVM with and
 * without our jar on the class path, rounds interleaved, medians of the time from the JVM's start to the context
 * being ready, and of the process's CPU time. Run: {@code mvn -B -q install -DskipTests -pl spring-ai -am && mvn -B -q
 * -f spring-ai exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.llmobs.springai.SpringAiColdStart}
 */
public final class SpringAiColdStart {
  private SpringAiColdStart() {}

  /** The probe: starts the application, prints milliseconds from the JVM's start to a ready context. */
  public static final class Probe {
    public static void main(String[] args) {
      SpringApplication app = new SpringApplication(AutoConfigurationTest.ClaimsApplication.class);
      app.setWebApplicationType(WebApplicationType.NONE);
      app.setLogStartupInfo(false);
      app.setDefaultProperties(Map.of("spring.ai.openai.base-url", "http://127.0.0.1:9/v1",
          "spring.ai.openai.api-key", "sk-test-not-a-key", "logging.level.root", "warn"));
      try (ConfigurableApplicationContext context = app.run()) {
        long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        boolean ours = context.containsBean("llmObsObservationHandler"); // by name: without our jar the class is absent
        long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1_000_000;
        System.out.println("READY " + ms + " " + ours + " " + cpuMs);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    String full = classPath();
    Path ours = Path.of(SpringAiColdStart.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent().resolve("classes"); // target/test-classes -> target/classes: our jar's content
    List<String> without = new ArrayList<>();
    for (String e : full.split(File.pathSeparator)) if (!Path.of(e).toAbsolutePath().equals(ours.toAbsolutePath())) without.add(e);
    Map<String, List<long[]>> results = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      results.computeIfAbsent("Spring AI application", k -> new ArrayList<>()).add(run(String.join(File.pathSeparator, without), false));
      results.computeIfAbsent("the same, with llmobs-spring-ai", k -> new ArrayList<>()).add(run(full, true));
    }
    long[] base = medians(results.values().iterator().next());
    System.out.println("start to a ready context, median of " + rounds + " interleaved rounds (wall ms, CPU ms):");
    for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
      long[] m = medians(e.getValue());
      System.out.printf(Locale.ROOT, "  %-34s %5d ms (%.2fx)  CPU %5d ms (%.2fx)%n", e.getKey(), m[0], m[0] / (double) base[0],
          m[1], m[1] / (double) base[1]);
    }
  }

  /** The test class path: exec:java runs us in a class loader of its own, not on java.class.path. */
  static String classPath() {
    ClassLoader l = SpringAiColdStart.class.getClassLoader();
    if (l instanceof java.net.URLClassLoader) {
      List<String> out = new ArrayList<>();
      for (java.net.URL u : ((java.net.URLClassLoader) l).getURLs()) {
        try {
          out.add(Path.of(u.toURI()).toString());
        } catch (java.net.URISyntaxException e) {
          throw new IllegalStateException(e);
        }
      }
      return String.join(File.pathSeparator, out);
    }
    return System.getProperty("java.class.path");
  }

  static long[] run(String classPath, boolean expectOurs) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, Probe.class.getName())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, TimeUnit.MINUTES)) throw new IllegalStateException("the probe hung");
    for (String line : out.split("\n")) {
      if (line.startsWith("READY ")) {
        String[] f = line.split(" ");
        if (Boolean.parseBoolean(f[2]) != expectOurs) throw new IllegalStateException("the class path is not what was meant");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[3])};
      }
    }
    throw new IllegalStateException("the probe did not start:\n" + out);
  }

  static long[] medians(List<long[]> xs) {
    long[] wall = xs.stream().mapToLong(a -> a[0]).sorted().toArray();
    long[] cpu = xs.stream().mapToLong(a -> a[1]).sorted().toArray();
    return new long[] {wall[wall.length / 2], cpu[cpu.length / 2]};
  }
}
