package dev.llmobs.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Lambda execution environment on this machine: the real runtime interface client in its own JVM, started with the
 * Java runtime's flags and environment, the function's package as its task root, a layer where {@code /opt} would be,
 * against a {@link RuntimeApi} on loopback.
 *
 * <p>The layer is bind-mounted on {@code /opt} in a private mount namespace ({@code unshare -m}, as root), so that its
 * jars load from {@code /opt/java/lib} through the runtime's customer class loader, exactly as in Lambda. Where that
 * is refused, the layer's jars are copied into the task root's {@code lib/} (same class loader, earlier position) and
 * {@code /opt} paths in {@code AWS_LAMBDA_EXEC_WRAPPER} point into the unzipped layer; {@link #layerMode} says which.
 */
public final class FunctionProcess implements AutoCloseable {
  public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  /** What to run. {@code layer} may be null (the function alone); {@code env} is the function's configuration. */
  public static final class Spec {
    final String name, handler;
    final Path taskRoot, layer, runtimeDir, jni, java;
    final List<Path> runtimeJars;
    final int memoryMb;
    final Map<String, String> env;

    public Spec(String name, String handler, Path taskRoot, Path layer, Path runtimeDir, List<Path> runtimeJars,
        Path jni, Path java, int memoryMb, Map<String, String> env) {
      this.name = name;
      this.handler = handler;
      this.taskRoot = taskRoot;
      this.layer = layer;
      this.runtimeDir = runtimeDir;
      this.runtimeJars = List.copyOf(runtimeJars);
      this.jni = jni;
      this.java = java;
      this.memoryMb = memoryMb;
      this.env = Map.copyOf(env);
    }
  }

  public final String layerMode;
  /** {@code System.nanoTime()} just before the JVM was started: the start of its cold start. */
  public final long startNanos;
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread pump;

  /**
   * Starts the function's JVM; each line it prints goes to {@code lines} (and into {@link #output}) as it comes.
   * The runtime client connects to {@code runtimeApi} and asks for its first invocation.
   */
  public FunctionProcess(Spec spec, RuntimeApi runtimeApi, Consumer<String> lines) throws IOException {
    boolean mount = spec.layer != null && canMount();
    layerMode = spec.layer == null ? "no layer" : mount ? "layer bind-mounted on /opt"
        : "layer jars copied into the task's lib/ (no mount namespace here)";
    if (spec.layer != null && !mount) Dirs.copyTree(spec.layer.resolve("java/lib"), spec.taskRoot.resolve("lib"));
    String opt = mount ? "/opt" : spec.layer == null ? "/opt" : spec.layer.toString();

    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
    env.put("_HANDLER", spec.handler);
    env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name);
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb));
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name);
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/03/[$LATEST]local");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    env.put("AWS_REGION", "eu-west-1");
    env.put("AWS_DEFAULT_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIDLOCAL");
    env.put("AWS_SECRET_ACCESS_KEY", "local-secret");
    env.put("AWS_SESSION_TOKEN", "local-token");
    env.put("LAMBDA_TASK_ROOT", spec.taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", spec.runtimeDir.toString());
    env.put("TZ", ":UTC");
    env.putAll(spec.env);
    String wrapper = env.get("AWS_LAMBDA_EXEC_WRAPPER");
    if (wrapper != null && wrapper.isBlank()) {
      env.remove("AWS_LAMBDA_EXEC_WRAPPER");
      wrapper = null;
    } else if (wrapper != null && wrapper.startsWith("/opt/")) {
      wrapper = opt + wrapper.substring("/opt".length());
      env.put("AWS_LAMBDA_EXEC_WRAPPER", wrapper);
    }

    long heapKb = spec.memoryMb * 1024L * 85 / 100; // the runtime leaves the rest to metaspace, code and the OS
    List<String> runtimeClassPath = new ArrayList<>();
    for (Path p : spec.runtimeJars) runtimeClassPath.add(p.toString());
    List<String> cmd = new ArrayList<>();
    if (wrapper != null) cmd.add(wrapper);
    cmd.addAll(List.of(spec.java.toString(), "-XX:MaxHeapSize=" + heapKb + "k", "-XX:+UseSerialGC", "-Xshare:auto",
        "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "-XX:+ErrorFileToStderr", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
        "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + spec.jni,
        "-classpath", String.join(":", runtimeClassPath), RIC_MAIN, spec.handler));
    if (mount) {
      List<String> wrapped = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
          "mount --bind \"$0\" /opt && exec \"$@\"", spec.layer.toString()));
      wrapped.addAll(cmd);
      cmd = wrapped;
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(spec.taskRoot.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    startNanos = System.nanoTime();
    process = pb.start();
    pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.append(line).append('\n');
          lines.accept(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "function-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** The function JVM's output so far (the runtime's log lines, the handler's, ours). */
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

  /** The exit status, once the process has ended (-1 while it runs). */
  public int exitStatus() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Stops the environment at once, as Lambda does at a timeout: no hook runs, nothing more is flushed. */
  public void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    drain();
  }

  /** Waits for the output pump to read what the ended process printed last. */
  public void drain() throws InterruptedException {
    pump.join(2_000);
  }

  /** Lets the runtime client leave (its Runtime API is gone), then makes sure the process ended. */
  @Override public void close() throws InterruptedException {
    if (!process.waitFor(10, TimeUnit.SECONDS)) kill();
    drain();
  }

  /**
   * Writes the runtime interface client's native library for this machine (Linux, x86_64 or arm64) out of its jar
   * to {@code out}, for {@link Spec}'s {@code jni}: the client loads it from there, as Lambda's image has it.
   */
  public static Path extractNativeLibrary(Path runtimeInterfaceClientJar, Path out) throws IOException {
    String arch = System.getProperty("os.arch").contains("aarch64") ? "aarch_64" : "x86_64";
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(runtimeInterfaceClientJar.toFile())) {
      java.util.zip.ZipEntry entry = z.getEntry("jni/libaws-lambda-jni.linux-" + arch + ".so");
      if (entry == null) throw new IOException("the runtime client has no native library for linux-" + arch);
      try (java.io.InputStream in = z.getInputStream(entry)) {
        Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return out;
  }

  /** Whether this machine lets us bind-mount in a private mount namespace (root, or a user namespace). */
  public static boolean canMount() {
    if (!Files.isDirectory(Path.of("/opt"))) return false;
    try {
      Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount --bind /tmp /opt").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
