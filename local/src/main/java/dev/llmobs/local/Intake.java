package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A local stand-in for the Datadog Lambda extension and agent, and for an OTLP collector, on loopback: answers
 * {@code /info} with the EVP proxy, takes spans and evaluations on the agent route
 * ({@code /evp_proxy/v2/api/v2/llmobs}, {@code .../eval-metric}), on the agentless paths and as OTLP
 * ({@code /v1/traces}, {@code /v1/logs}, JSON or protobuf); prints each trace as a tree as it arrives, appends every
 * record to a JSONL file, and serves the trace viewer live on {@code /}.
 *
 * <p>The file holds one record per line: a span as the wire has it, {@code {"evaluation":{...}}}, or
 * {@code {"invocation":{...}}} (what {@code invoke} saw of one invocation).
 */
public final class Intake implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Path file;
  private final PrintStream out;
  private final List<Map<String, Object>> spans = new ArrayList<>();
  private final List<Map<String, Object>> evaluations = new ArrayList<>();
  private final List<Map<String, Object>> invocations = new ArrayList<>();

  /**
   * Listens on 127.0.0.1:{@code port} (0: any free port); starts {@code file} afresh.
   *
   * @throws java.net.BindException when the port is taken
   */
  public Intake(int port, Path file, PrintStream out) throws IOException {
    this.file = file.toAbsolutePath();
    this.out = out;
    if (this.file.getParent() != null) Files.createDirectories(this.file.getParent());
    Files.deleteIfExists(this.file);
    Files.createFile(this.file);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "llmobs-local-intake");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public Path file() {
    return file;
  }

  public synchronized List<Map<String, Object>> spans() {
    return new ArrayList<>(spans);
  }

  public synchronized List<Map<String, Object>> evaluations() {
    return new ArrayList<>(evaluations);
  }

  /** Every span of the trace whose root carries this Lambda request id (none when no such root arrived). */
  public synchronized List<Map<String, Object>> trace(String requestId) {
    Object traceId = null;
    for (Map<String, Object> s : spans) {
      if ("undefined".equals(s.get("parent_id")) && tags(s).contains("request_id:" + requestId)) traceId = s.get("trace_id");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : spans) if (traceId != null && traceId.equals(s.get("trace_id"))) out.add(s);
    return out;
  }

  /** What {@code invoke} saw of one invocation (id, times, outcome), kept beside the spans for the viewer. */
  public synchronized void invocation(Map<String, Object> record) throws IOException {
    invocations.add(record);
    append(Map.of("invocation", record));
  }

  /** Everything received, as the viewer reads it: {@code {"spans":[..],"evaluations":[..],"invocations":[..]}}. */
  public synchronized Map<String, Object> data() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("spans", new ArrayList<>(spans));
    d.put("evaluations", new ArrayList<>(evaluations));
    d.put("invocations", new ArrayList<>(invocations));
    return d;
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] body;
    try {
      body = body(ex);
    } catch (IOException e) {
      out.println("intake: could not read a request to " + path + ": " + e.getMessage());
      ex.close();
      return;
    }
    try {
      if (ex.getRequestMethod().equals("GET")) {
        if (path.equals("/info")) {
          HttpReplies.send(ex, 200, "application/json", ("{\"version\":\"llmobs-local\",\"endpoints\":[\"/evp_proxy/v2/\","
              + "\"/evp_proxy/v4/\"],\"client_drop_p0s\":false}").getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/") || path.equals("/index.html")) {
          HttpReplies.send(ex, 200, "text/html; charset=utf-8", Viewer.livePage().getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/data.json")) {
          HttpReplies.send(ex, 200, "application/json", JSON.std.asBytes(data()));
        } else {
          HttpReplies.send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
        }
        return;
      }
      if (path.endsWith("/api/v2/llmobs")) {
        spans(parse(() -> datadogSpans(body)));
        HttpReplies.send(ex, 202, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      } else if (path.endsWith("/eval-metric")) {
        evaluations(parse(() -> datadogEvaluations(body)));
        HttpReplies.send(ex, 202, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/v1/traces")) {
        spans(parse(() -> Otlp.spans(body)));
        otlpOk(ex);
      } else if (path.equals("/v1/logs")) {
        evaluations(parse(() -> Otlp.evaluations(body)));
        otlpOk(ex);
      } else {
        HttpReplies.send(ex, 404, "text/plain", ("llmobs-local intake: nothing at " + path).getBytes(StandardCharsets.UTF_8));
      }
    } catch (Unreadable e) {
      out.println("intake: could not read a request to " + path + ": " + e.getMessage());
      try {
        HttpReplies.send(ex, 400, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the client left
      }
    } catch (IOException ignored) {
      // the client left before our answer: what it sent is recorded
    } finally {
      ex.close();
    }
  }

  /** A body that is not what its path takes: said in one line, answered 400. */
  static final class Unreadable extends Exception {
    Unreadable(Exception cause) {
      super(String.valueOf(cause.getMessage()).split("\n")[0], cause);
    }
  }

  interface Parse {
    List<Map<String, Object>> run() throws IOException;
  }

  private static List<Map<String, Object>> parse(Parse p) throws Unreadable {
    try {
      return p.run();
    } catch (IOException | RuntimeException e) {
      throw new Unreadable(e);
    }
  }

  private static byte[] body(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in);
    return in.readAllBytes();
  }

  private static void otlpOk(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.contains("protobuf")) HttpReplies.send(ex, 200, "application/x-protobuf", new byte[0]);
    else HttpReplies.send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> datadogSpans(byte[] body) throws IOException {
    Object parsed = JSON.std.anyFrom(body);
    List<Object> events = parsed instanceof List ? (List<Object>) parsed : List.of(parsed);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object e : events) {
      Object list = TraceTree.map(e).get("spans");
      if (list instanceof List) for (Object s : (List<Object>) list) out.add((Map<String, Object>) s);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> datadogEvaluations(byte[] body) throws IOException {
    Map<String, Object> data = TraceTree.map(JSON.std.mapFrom(body).get("data"));
    Object metrics = TraceTree.map(data.get("attributes")).get("metrics");
    List<Map<String, Object>> out = new ArrayList<>();
    if (metrics instanceof List) for (Object m : (List<Object>) metrics) out.add((Map<String, Object>) m);
    return out;
  }

  private synchronized void spans(List<Map<String, Object>> received) throws IOException {
    for (Map<String, Object> s : received) append(s);
    spans.addAll(received);
    TraceTree.print(received, out);
  }

  private synchronized void evaluations(List<Map<String, Object>> received) throws IOException {
    for (Map<String, Object> e : received) {
      append(Map.of("evaluation", e));
      evaluations.add(e);
      Object value = e.get(e.get("metric_type") + "_value");
      out.println("evaluation " + e.get("label") + " = " + value + " on " + JSON.std.asString(e.get("join_on")));
    }
  }

  private void append(Object record) throws IOException {
    Files.write(file, (JSON.std.asString(record) + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
  }

  @SuppressWarnings("unchecked")
  static List<Object> tags(Map<String, Object> span) {
    Object t = span.get("tags");
    return t instanceof List ? (List<Object>) t : List.of();
  }

  @Override public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
