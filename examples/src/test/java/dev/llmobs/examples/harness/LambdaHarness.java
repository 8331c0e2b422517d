package dev.llmobs.examples.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Runs an example function as Lambda would, without Docker: the real runtime interface client in its own JVM
 * (Lambda's flags), the function unzipped as its task root (classes, {@code lib/*.jar}), our layer unzipped where
 * {@code /opt} would be, against {@link RuntimeApi} on loopback.
 *
 * <p>The layer is bind-mounted on {@code /opt} in a private mount namespace ({@code unshare -m}), so that its jars
 * load from {@code /opt/java/lib} through the runtime's customer class loader, exactly as in Lambda. Where that is not
 * allowed, the layer jars are copied into the task root's {@code lib/} instead (same class loader, earlier position);
 * {@link #layerMode} says which ran.
 */
public final class LambdaHarness implements AutoCloseable {
  public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  public final RuntimeApi runtimeApi;
  public final String layerMode;
  /** {@code System.nanoTime()} just before the function's JVM was started: the start of its cold start. */
  public final long startNanos;
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread pump;

  /**
   * @param handler the function's configured handler
   * @param env the function's environment variables (ours and the user's)
   * @param execWrapper start through the layer's exec wrapper, as {@code AWS_LAMBDA_EXEC_WRAPPER=/opt/llmobs-wrapper}
   */
  public LambdaHarness(String name, String handler, Map<String, String> env, boolean execWrapper) throws Exception {
    this(name, handler, env, execWrapper, true);
  }

  /** As above; {@code withLayer=false} runs the function alone, as it would be deployed without llmobs. */
  public LambdaHarness(String name, String handler, Map<String, String> env, boolean execWrapper, boolean withLayer)
      throws Exception {
    this(name, handler, env, execWrapper, withLayer, List.of());
  }

  /**
   * As above, with more in the function's package: each directory in {@code extra} is copied into the task root,
   * each jar into its {@code lib/} (a comparator's own dependencies).
   */
  public LambdaHarness(String name, String handler, Map<String, String> env, boolean execWrapper, boolean withLayer,
      List<Path> extra) throws Exception {
    startNanos = System.nanoTime();
    Path target = targetDir();
    Path work = target.resolve("e2e").resolve(name);
    deleteTree(work);
    Path task = work.resolve("task");
    copyTree(target.resolve("classes"), task);
    copyTree(target.resolve("function/lib"), task.resolve("lib"));
    for (Path p : extra) {
      if (Files.isDirectory(p)) copyTree(p, task);
      else Files.copy(p, task.resolve("lib").resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path layer = work.resolve("opt");
    unzip(target.resolve("layer.zip"), layer);
    Path jni = work.resolve("libaws-lambda-jni.so");
    List<String> runtimeJars = new ArrayList<>();
    try (Stream<Path> s = Files.list(target.resolve("runtime"))) {
      s.sorted().forEach(p -> runtimeJars.add(p.toString()));
    }
    extractJni(runtimeJars, jni);

    boolean mount = withLayer && canMount();
    layerMode = !withLayer ? "no layer" : mount ? "layer bind-mounted on /opt"
        : "layer jars copied into the task's lib/ (no mount namespace here)";
    if (withLayer && !mount) copyTree(layer.resolve("java/lib"), task.resolve("lib"));
    String optPath = mount ? "/opt" : layer.toString();

    runtimeApi = new RuntimeApi();
    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:MaxHeapSize=445m", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
        "-Djava.net.preferIPv4Stack=true", "-XX:+ErrorFileToStderr",
        "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
        "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + jni,
        "-classpath", String.join(":", runtimeJars), RIC_MAIN, handler));
    List<String> cmd = new ArrayList<>();
    if (execWrapper) cmd.add(optPath + "/llmobs-wrapper");
    cmd.addAll(java);
    if (mount) {
      List<String> wrapped = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
          "mount --bind \"$0\" /opt && exec \"$@\"", layer.toString()));
      wrapped.addAll(cmd);
      cmd = wrapped;
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(task.toFile()).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.clear();
    e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    e.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
    e.put("_HANDLER", handler);
    e.put("AWS_LAMBDA_FUNCTION_NAME", name);
    e.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    e.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
    e.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/29/[$LATEST]local");
    e.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    e.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    e.put("AWS_REGION", "eu-west-1");
    e.put("AWS_DEFAULT_REGION", "eu-west-1");
    e.put("AWS_ACCESS_KEY_ID", "AKIDLOCAL");
    e.put("AWS_SECRET_ACCESS_KEY", "local-secret");
    e.put("AWS_SESSION_TOKEN", "local-token");
    e.put("LAMBDA_TASK_ROOT", task.toString());
    e.put("LAMBDA_RUNTIME_DIR", target.resolve("runtime").toString());
    e.put("TZ", ":UTC");
    if (execWrapper) e.put("AWS_LAMBDA_EXEC_WRAPPER", optPath + "/llmobs-wrapper");
    e.putAll(env);
    process = pb.start();
    pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) output.append(line).append('\n');
      } catch (IOException ignored) {
        // process ended
      }
    }, "function-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** The function JVM's output so far (the runtime logs, our log lines). */
  public String output() {
    return output.toString();
  }

  /** CPU time the function's process has used so far (all its threads: JIT and GC included), in nanoseconds. */
  public long cpuNanos() {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override public void close() throws InterruptedException {
    runtimeApi.close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Whether this machine lets us bind-mount in a private mount namespace (root, or a user namespace). */
  static boolean canMount() {
    if (!Files.isDirectory(Path.of("/opt"))) return false;
    try {
      Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount --bind /tmp /opt").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The module's target directory, found from where these classes were loaded. */
  public static Path targetDir() throws URISyntaxException {
    Path classes = Path.of(LambdaHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return classes.getParent(); // target/test-classes -> target
  }

  private static void extractJni(List<String> runtimeJars, Path out) throws IOException {
    for (String jar : runtimeJars) {
      if (!jar.contains("runtime-interface-client")) continue;
      try (ZipFile z = new ZipFile(jar)) {
        ZipEntry entry = z.getEntry("jni/libaws-lambda-jni.linux-x86_64.so");
        if (entry == null) return;
        try (InputStream in = z.getInputStream(entry)) {
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path p = into.resolve(e.getName()).normalize();
        if (!p.startsWith(into)) throw new IOException("bad zip entry " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else {
          Files.createDirectories(p.getParent());
          Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
          if (e.getName().equals("llmobs-wrapper")) p.toFile().setExecutable(true, false);
        }
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) return;
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(dest);
        else {
          Files.createDirectories(dest.getParent());
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      List<Path> all = new ArrayList<>();
      s.forEach(all::add);
      for (int i = all.size() - 1; i >= 0; i--) Files.deleteIfExists(all.get(i));
    }
  }

  /** Environment for a function that sends spans to the intake through the agent route (as with the extension). */
  public static Map<String, String> env(LocalIntake intake, FakeBedrock bedrock, String... extra) {
    return env(intake.origin(), bedrock, extra);
  }

  public static Map<String, String> env(String intakeOrigin, FakeBedrock bedrock, String... extra) {
    Map<String, String> env = new HashMap<>();
    env.put("DD_TRACE_AGENT_URL", intakeOrigin);
    env.put("DD_LLMOBS_ML_APP", "claims-assistant");
    env.put("DD_SERVICE", "claims-api");
    env.put("DD_ENV", "local");
    env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock.endpoint());
    env.put("AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME", bedrock.endpoint());
    env.put("KNOWLEDGE_BASE_ID", "KBCLAIMS01");
    env.put("GUARDRAIL_ID", "gr-claims");
    env.put("GUARDRAIL_VERSION", "1");
    env.put("LLMOBS_LOG_LEVEL", "warn");
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    return env;
  }
}
