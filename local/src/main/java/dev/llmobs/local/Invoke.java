package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code invoke}: the user's function run as Lambda runs it, on this machine. A local Runtime API and intake, the
 * function's package unzipped as its task root, our layer where {@code /opt} would be, the real runtime interface
 * client in its own JVM; each event fed in turn, each answer printed as Lambda reports it, the function's log lines
 * and the trace tree printed as they come; spans and evaluations written to a JSONL file and a page.
 *
 * <p>An environment is reused while it lives, as Lambda reuses a warm one: after a timeout, an exit or a crash, the
 * next invocation starts a new one (a cold start again).
 */
final class Invoke {
  static final List<String> OPTIONS = List.of("handler", "function", "event", "times", "env", "layer", "java", "memory",
      "timeout", "spans", "page", "name");
  static final List<String> SAMPLES = List.of("apigateway-v1", "apigateway-v2", "function-url", "sqs", "sns", "s3",
      "eventbridge", "dynamodb", "kinesis");
  /** How long Lambda lets an on-demand Init run before it gives up on the environment. */
  static final long INIT_LIMIT_MS = 10_000;

  private final PrintStream out;
  private final InputStream stdin;

  Invoke(PrintStream out, InputStream stdin) {
    this.out = out;
    this.stdin = stdin;
  }

  /** Runs the command; returns the exit status (0: every invocation succeeded, 1: one failed). */
  int run(Args a) throws Args.Usage, IOException, InterruptedException {
    String handler = required(a, "handler");
    Path function = Path.of(required(a, "function"));
    if (!Files.exists(function)) throw new Args.Usage("--function " + function + ": no such file or directory");
    List<String> events = new ArrayList<>();
    for (String e : a.all("event").isEmpty() ? java.util.Collections.<String>singletonList(null) : a.all("event")) {
      events.add(event(e));
    }
    int times = a.integer("times", 1, 1, 10_000) * events.size();
    int memory = a.integer("memory", 512, 128, 10_240);
    int timeout = a.integer("timeout", 30, 1, 900);
    Path spans = Path.of(a.get("spans", "llmobs-spans.jsonl"));
    Path page = Path.of(a.get("page", pageFor(spans)));
    Path java = java(a.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String name = a.get("name", functionName(function));
    Map<String, String> userEnv = new LinkedHashMap<>();
    for (String kv : a.all("env")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) throw new Args.Usage("--env wants KEY=VALUE, not " + kv);
      userEnv.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    String layerOption = a.get("layer", null);
    if (layerOption != null && !Files.isRegularFile(Path.of(layerOption))) {
      throw new Args.Usage("--layer " + layerOption + ": no such file");
    }

    Path work = Files.createTempDirectory("llmobs-local-");
    Thread cleanup = new Thread(() -> deleteQuietly(work), "llmobs-local-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try (Intake intake = new Intake(0, spans, out)) {
      Embedded embedded = Embedded.extract(work);
      Path layer = work.resolve("opt");
      Path layerZip = layerOption != null ? Path.of(layerOption) : embedded.layerZip;
      try {
        Dirs.unzip(layerZip, layer);
      } catch (IOException e) {
        throw new Args.Usage("--layer " + layerZip + " is not a layer zip: " + e.getMessage());
      }
      Path pristine = work.resolve("package");
      try {
        if (Files.isDirectory(function)) Dirs.copyTree(function, pristine);
        else Dirs.unzip(function, pristine);
      } catch (IOException e) {
        throw new Args.Usage("--function " + function + " is not a zip, a jar or a directory: " + e.getMessage());
      }

      Map<String, String> env = new LinkedHashMap<>();
      env.put("DD_TRACE_AGENT_URL", intake.origin());
      env.put("DD_LLMOBS_ML_APP", name);
      env.put("DD_SERVICE", name);
      env.put("DD_ENV", "local");
      env.put("AWS_LAMBDA_EXEC_WRAPPER", "/opt/llmobs-wrapper"); // as the SAM template and the CDK construct set it
      env.putAll(userEnv);
      // Whatever route the function's settings pick, it ends at this intake unless they name another place.
      if ("true".equalsIgnoreCase(env.get("DD_LLMOBS_AGENTLESS_ENABLED"))) {
        env.putIfAbsent("DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin());
      }
      env.putIfAbsent("OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin());
      boolean zeroCode = !env.getOrDefault("AWS_LAMBDA_EXEC_WRAPPER", "").isBlank();
      out.println("llmobs-local: " + handler + " from " + function + " (" + memory + " MB, timeout " + timeout
          + " s" + (zeroCode ? ", traced with no code through " + env.get("AWS_LAMBDA_EXEC_WRAPPER") : "") + ")");

      int failed = 0;
      Environment current = null;
      int environments = 0;
      try {
        for (int i = 1; i <= times; i++) {
          String id = UUID.randomUUID().toString();
          Result r = null;
          boolean cold = false;
          for (int attempt = 0; r == null; attempt++) {
            if (current == null || !current.fn.isAlive()) {
              if (current != null) {
                out.println("llmobs-local: the environment ended after the last invocation (exit status "
                    + current.fn.exitStatus() + "); the next one starts a new one, as Lambda does");
                current.close();
              }
              environments++;
              current = new Environment(work.resolve("task-" + environments), pristine, name, handler, layer,
                  embedded, java, memory, env);
              if (environments == 1) out.println("llmobs-local: " + current.fn.layerMode);
              cold = true;
            }
            if (attempt == 0) {
              out.println();
              out.println("invoke " + i + "/" + times + (cold ? " (cold start)" : " (warm)") + ", request " + id);
            }
            r = invokeOnce(current.fn, current.api, id, events.get((i - 1) % events.size()), timeout * 1000L);
            if (r.outcome.equals("gone") && attempt == 0) {
              r = null; // the environment died before it took the event: Lambda gives the event to a new one
              out.println("llmobs-local: the environment ended before it took this event (exit status "
                  + current.fn.exitStatus() + "); a new one takes it (a cold start), as in Lambda");
              current.close();
              current = null;
            } else if (r.outcome.equals("gone")) {
              r = new Result("exit", r.body, false, r.startEpochNanos, r.durationNanos);
            }
          }
          current.awaitQuiet();
          out.println(r.error ? "error: " + r.body : "response: " + r.body);
          explain(r, intake.trace(id).size());
          Map<String, Object> record = new LinkedHashMap<>();
          record.put("request_id", id);
          record.put("function_name", name);
          record.put("start_ns", r.startEpochNanos);
          record.put("duration_ns", r.durationNanos);
          record.put("cold_start", cold);
          record.put("outcome", r.outcome);
          if (r.error) record.put("error", r.body);
          intake.invocation(record);
          if (r.error) failed++;
          if (!r.environmentSurvives) {
            current.close();
            current = null;
          }
        }
      } finally {
        if (current != null) current.close();
      }
      Files.writeString(page, Viewer.page(intake.data()), StandardCharsets.UTF_8);
      out.println();
      out.println(intake.spans().size() + " spans and " + intake.evaluations().size() + " evaluations written to "
          + intake.file());
      out.println("trace page: " + page.toAbsolutePath().toUri());
      return failed == 0 ? 0 : 1;
    } catch (BindException e) {
      throw new IOException("could not listen on loopback for the local intake: " + e.getMessage(), e);
    } finally {
      deleteQuietly(work);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    }
  }

  /** One execution environment: its Runtime API and its function process, stopped together. */
  private final class Environment {
    final RuntimeApi api;
    final FunctionProcess fn;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile long lastLineNanos = System.nanoTime();

    Environment(Path task, Path pristine, String name, String handler, Path layer, Embedded embedded, Path java,
        int memory, Map<String, String> env) throws IOException {
      Dirs.copyTree(pristine, task);
      api = new RuntimeApi(name);
      fn = new FunctionProcess(new FunctionProcess.Spec(name, handler, task, layer, embedded.runtimeDir,
          embedded.runtimeJars, embedded.jni, java, memory, env), api, line -> {
            lastLineNanos = System.nanoTime();
            if (!stopping.get()) out.println("  | " + line); // once we stop it, its complaints are about us
          });
    }

    /**
     * Lets the function's last log lines of an invocation reach the screen before its answer is printed: they come
     * through a pipe, a moment behind the answer. Waits until the output has been idle for a moment, never long.
     */
    void awaitQuiet() throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
      while (System.nanoTime() < until && System.nanoTime() - lastLineNanos < TimeUnit.MILLISECONDS.toNanos(40)) {
        Thread.sleep(10);
      }
    }

    void close() throws InterruptedException {
      stopping.set(true);
      api.close();
      if (fn.isAlive()) fn.kill();
      else fn.drain();
    }
  }

  /** One line on what an outcome means, where Lambda's own report leaves a newcomer guessing. */
  private void explain(Result r, int spansArrived) {
    switch (r.outcome) {
      case "timeout":
        out.println("llmobs-local: stopped at the timeout, as Lambda stops a function: spans not yet flushed are lost"
            + " there too (" + spansArrived + " span(s) of this invocation arrived)");
        break;
      case "init_error":
        out.println("llmobs-local: the function failed to start (Init): " + initErrorLine(r.body)
            + " ; is --handler right, and is the class in --function?");
        break;
      case "exit":
        out.println("llmobs-local: the function's JVM ended during the invocation (System.exit, a crash or the"
            + " memory limit); the next invocation starts a new environment");
        break;
      default:
    }
  }

  private static String initErrorLine(String body) {
    try {
      Map<String, Object> m = JSON.std.mapFrom(body);
      return m.get("errorType") + ": " + m.get("errorMessage");
    } catch (IOException | RuntimeException e) {
      return body;
    }
  }

  /** One invocation's outcome, as Lambda would report it. */
  static final class Result {
    final boolean error, environmentSurvives;
    final String outcome, body;
    final long startEpochNanos, durationNanos;

    Result(String outcome, String body, boolean environmentSurvives, long startEpochNanos, long durationNanos) {
      this.outcome = outcome;
      this.error = !outcome.equals("ok");
      this.body = body;
      this.environmentSurvives = environmentSurvives;
      this.startEpochNanos = startEpochNanos;
      this.durationNanos = durationNanos;
    }
  }

  /**
   * Feeds one event and waits for its answer, the function's timeout (stopped then, as Lambda stops it), its exit,
   * or a failed Init, whichever comes first. Never waits without a bound.
   */
  static Result invokeOnce(FunctionProcess fn, RuntimeApi api, String id, String event, long timeoutMs)
      throws InterruptedException {
    long startEpochNanos = System.currentTimeMillis() * 1_000_000L;
    long queued = System.nanoTime();
    CompletableFuture<RuntimeApi.Outcome> answer = api.invokeWithin(id, event, timeoutMs);
    while (true) {
      try {
        RuntimeApi.Outcome o = answer.get(20, TimeUnit.MILLISECONDS);
        long took = o.nanos - (o.handedOutNanos != 0 ? o.handedOutNanos : queued);
        return new Result(o.error ? "error" : "ok", o.body, true, startEpochNanos, took);
      } catch (TimeoutException e) {
        // still running
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
      long now = System.nanoTime();
      long handedOut = api.handedOutNanos(id);
      if (api.initError.isDone()) {
        api.abandon(id);
        fn.kill();
        return new Result("init_error", api.initError.getNow(""), false, startEpochNanos, now - queued);
      }
      if (!fn.isAlive()) {
        fn.drain();
        api.abandon(id);
        if (handedOut == 0 && !answer.isDone()) { // it never took this event
          return new Result("gone", json("Runtime.ExitError", "RequestId: " + id + " Error: Runtime exited with error: "
              + "exit status " + fn.exitStatus()), false, startEpochNanos, now - queued);
        }
        String why = "RequestId: " + id + " Error: Runtime exited with error: exit status " + fn.exitStatus();
        return new Result("exit", json("Runtime.ExitError", why), false, startEpochNanos, now - queued);
      }
      boolean timedOut = handedOut != 0 ? now - handedOut > TimeUnit.MILLISECONDS.toNanos(timeoutMs)
          : now - queued > TimeUnit.MILLISECONDS.toNanos(INIT_LIMIT_MS + timeoutMs);
      if (timedOut) {
        fn.kill();
        api.abandon(id);
        String why = String.format(Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds", id,
            timeoutMs / 1000.0);
        return new Result("timeout", json("Sandbox.Timedout", why), false, startEpochNanos, now - queued);
      }
    }
  }

  private static String json(String type, String message) {
    try {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("errorType", type);
      m.put("errorMessage", message);
      return JSON.std.asString(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String event(String option) throws Args.Usage, IOException {
    String text;
    if (option == null) {
      text = "{}";
    } else if (option.equals("-")) {
      text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } else if (SAMPLES.contains(option)) {
      try (InputStream in = Invoke.class.getResourceAsStream("events/" + option + ".json")) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } else if (Files.isRegularFile(Path.of(option))) {
      text = Files.readString(Path.of(option), StandardCharsets.UTF_8);
    } else {
      throw new Args.Usage("--event " + option + ": no such file, and not a sample (" + String.join(", ", SAMPLES) + ")");
    }
    try {
      JSON.std.anyFrom(text);
    } catch (IOException e) {
      String why = String.valueOf(e.getMessage()).split("\n")[0];
      throw new Args.Usage("the event is not JSON (Lambda takes JSON events only): " + why);
    }
    return text;
  }

  private static Path java(String option) throws Args.Usage {
    Path p = Path.of(option);
    if (Files.isDirectory(p)) p = p.resolve("bin").resolve("java");
    if (!Files.isExecutable(p)) throw new Args.Usage("--java " + option + ": not a java executable or a JDK directory");
    return p;
  }

  private static String required(Args a, String name) throws Args.Usage {
    String v = a.get(name, null);
    if (v == null || v.isBlank()) throw new Args.Usage("invoke needs --" + name);
    return v;
  }

  static String functionName(Path function) {
    String n = function.toAbsolutePath().normalize().getFileName().toString();
    int dot = n.lastIndexOf('.');
    if (dot > 0 && (n.endsWith(".zip") || n.endsWith(".jar"))) n = n.substring(0, dot);
    n = n.replaceAll("[^A-Za-z0-9_-]", "-");
    return n.isEmpty() ? "local-function" : n.length() > 64 ? n.substring(0, 64) : n;
  }

  static String pageFor(Path spans) {
    String n = spans.toString();
    return (n.endsWith(".jsonl") ? n.substring(0, n.length() - ".jsonl".length()) : n) + ".html";
  }

  private static void deleteQuietly(Path dir) {
    try {
      Dirs.deleteTree(dir);
    } catch (IOException ignored) {
      // a temporary directory: the system cleans it eventually
    }
  }
}
