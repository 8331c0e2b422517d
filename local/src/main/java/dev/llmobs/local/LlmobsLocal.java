package dev.llmobs.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar llmobs-local.jar invoke|intake|view ...}: run your own function under the real Lambda runtime
 * client with our layer, stand in for the Datadog extension or an OTLP collector, or turn a spans file into a page.
 * Every failure is one line on standard error and a non-zero exit: 2 for what the user gave, 1 for a function that
 * failed.
 */
public final class LlmobsLocal {
  private LlmobsLocal() {}

  static final String USAGE = String.join("\n",
      "usage: java -jar llmobs-local.jar COMMAND [options]",
      "",
      "  invoke --handler CLASS[::method] --function ZIP|JAR|DIR [--event FILE|-|SAMPLE] [--times N]",
      "         [--env K=V]... [--layer ZIP] [--java PATH] [--memory MB] [--timeout S] [--spans FILE] [--page FILE]",
      "      Runs your function as Lambda does (real runtime client, our layer on /opt, traced with no code unless",
      "      --env AWS_LAMBDA_EXEC_WRAPPER= ), prints responses, logs and traces, writes FILE (llmobs-spans.jsonl)",
      "      and a page beside it (llmobs-spans.html). SAMPLE: " + String.join(", ", Invoke.SAMPLES) + ".",
      "      --event may be repeated: the events are invoked in turn, N times over.",
      "      Defaults: one invocation, 512 MB, a 30 s timeout, the event {}.",
      "",
      "  intake [--port 8126] [--spans FILE]",
      "      A local Datadog agent/extension and OTLP endpoint: prints traces as they arrive, writes FILE, serves the",
      "      viewer live on http://127.0.0.1:PORT/. Point a function at it with DD_TRACE_AGENT_URL or",
      "      OTEL_EXPORTER_OTLP_ENDPOINT.",
      "",
      "  view FILE.jsonl [--out trace.html]",
      "      Writes one self-contained HTML page (nothing fetched) showing the traces in FILE.");

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.in));
  }

  /** The whole tool, with its streams given: the exit status is returned, never thrown. */
  public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      (args.length == 0 ? err : out).println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    try {
      switch (args[0]) {
        case "invoke":
          return new Invoke(out, in).run(Args.parse(args, 1, Invoke.OPTIONS, List.of()));
        case "intake":
          return intake(Args.parse(args, 1, List.of("port", "spans"), List.of()), out);
        case "view":
          return view(Args.parse(args, 1, List.of("out"), List.of()), out, err);
        default:
          throw new Args.Usage("unknown command " + args[0] + " (invoke, intake or view)");
      }
    } catch (Args.Usage e) {
      err.println("llmobs-local: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("llmobs-local: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("llmobs-local: interrupted");
      return 130;
    } catch (RuntimeException e) {
      err.println("llmobs-local: unexpected " + e);
      return 1;
    }
  }

  private static int intake(Args a, PrintStream out) throws Args.Usage, IOException, InterruptedException {
    int port = a.integer("port", 8126, 0, 65_535);
    Path spans = Path.of(a.get("spans", "llmobs-spans.jsonl"));
    Intake intake;
    try {
      intake = new Intake(port, spans, out);
    } catch (BindException e) {
      throw new Args.Usage("port " + port + " is in use (another agent or intake?): pick another with --port");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      intake.close();
      stopped.countDown();
    }, "llmobs-local-stop"));
    out.println("llmobs-local intake on " + intake.origin() + ": set DD_TRACE_AGENT_URL=" + intake.origin()
        + " (Datadog route) or OTEL_EXPORTER_OTLP_ENDPOINT=" + intake.origin() + " (OTLP)");
    out.println("traces live at " + intake.origin() + "/ ; every record written to " + intake.file()
        + " ; Ctrl-C stops");
    stopped.await();
    return 0;
  }

  private static int view(Args a, PrintStream out, PrintStream err) throws Args.Usage, IOException {
    if (a.positional.size() != 1) throw new Args.Usage("view takes one FILE.jsonl");
    Path file = Path.of(a.positional.get(0));
    if (!Files.isRegularFile(file)) throw new Args.Usage(file + ": no such file");
    Path page = Path.of(a.get("out", Invoke.pageFor(file)));
    var data = Viewer.read(file, err);
    Files.writeString(page, Viewer.page(data), StandardCharsets.UTF_8);
    out.println(((List<?>) data.get("spans")).size() + " spans, " + ((List<?>) data.get("evaluations")).size()
        + " evaluations: " + page.toAbsolutePath().toUri());
    return 0;
  }
}
