package dev.llmobs.examples.harness;

import dev.llmobs.local.Dirs;
import dev.llmobs.local.FunctionProcess;
import dev.llmobs.local.RuntimeApi;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs an example function as Lambda would, without Docker, through llmobs-local's {@link FunctionProcess}: the real
 * runtime interface client in its own JVM, the example's classes and {@code lib/*.jar} as its task root, our layer
 * where {@code /opt} would be, against a {@link RuntimeApi} on loopback. {@link #layerMode} says how the layer was
 * put in place.
 */
public final class LambdaHarness implements AutoCloseable {
  public final RuntimeApi runtimeApi;
  public final String layerMode;
  /** {@code System.nanoTime()} just before the function's JVM was started: the start of its cold start. */
  public final long startNanos;
  private final FunctionProcess process;

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
    this(name, handler, env, execWrapper, withLayer ? targetDir().resolve("layer.zip") : null, extra);
  }

  /** As above, with the layer from {@code layerZip} (null: no layer), to compare two builds of it side by side. */
  public LambdaHarness(String name, String handler, Map<String, String> env, boolean execWrapper, Path layerZip,
      List<Path> extra) throws Exception {
    Path target = targetDir();
    Path work = target.resolve("e2e").resolve(name);
    Dirs.deleteTree(work);
    Path task = work.resolve("task");
    Dirs.copyTree(target.resolve("classes"), task);
    Dirs.copyTree(target.resolve("function/lib"), task.resolve("lib"));
    for (Path p : extra) {
      if (Files.isDirectory(p)) Dirs.copyTree(p, task);
      else Files.copy(p, task.resolve("lib").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    Path layer = null;
    if (layerZip != null) {
      layer = work.resolve("opt");
      Dirs.unzip(layerZip, layer);
    }
    Path jni = work.resolve("libaws-lambda-jni.so");
    List<Path> runtimeJars = new ArrayList<>();
    try (Stream<Path> s = Files.list(target.resolve("runtime"))) {
      s.sorted().forEach(runtimeJars::add);
    }
    for (Path jar : runtimeJars) {
      if (jar.getFileName().toString().contains("runtime-interface-client")) FunctionProcess.extractNativeLibrary(jar, jni);
    }

    Map<String, String> fnEnv = new HashMap<>(env);
    if (execWrapper) fnEnv.put("AWS_LAMBDA_EXEC_WRAPPER", "/opt/llmobs-wrapper");
    runtimeApi = new RuntimeApi();
    process = new FunctionProcess(new FunctionProcess.Spec(name, handler, task, layer, target.resolve("runtime"),
        runtimeJars, jni, Path.of(System.getProperty("java.home"), "bin", "java"), 512, fnEnv), runtimeApi, line -> { });
    startNanos = process.startNanos;
    layerMode = process.layerMode;
  }

  /** The function JVM's output so far (the runtime logs, our log lines). */
  public String output() {
    return process.output();
  }

  /** CPU time the function's process has used so far (all its threads: JIT and GC included), in nanoseconds. */
  public long cpuNanos() {
    return process.cpuNanos();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override public void close() throws InterruptedException {
    runtimeApi.close();
    process.close();
  }

  /** The module's target directory, found from where these classes were loaded. */
  public static Path targetDir() throws URISyntaxException {
    Path classes = Path.of(LambdaHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return classes.getParent(); // target/test-classes -> target
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
