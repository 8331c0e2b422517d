package dev.llmobs.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A loopback Lambda Runtime API (base path {@code /2018-06-01}) for the real runtime interface client: hands out
 * invocations on {@code /runtime/invocation/next} (long poll), and records responses, errors and init errors with a
 * {@code System.nanoTime()} stamp, so that a test can order them against what the intake received.
 */
public final class RuntimeApi implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** What the function answered for one invocation. */
  public static final class Outcome {
    public final boolean error;
    public final String body;
    public final String errorType;
    /** When the answer arrived, and when the event was handed to the function ({@code System.nanoTime()}). */
    public final long nanos, handedOutNanos;

    Outcome(boolean error, String body, String errorType, long nanos, long handedOutNanos) {
      this.error = error;
      this.body = body;
      this.errorType = errorType;
      this.nanos = nanos;
      this.handedOutNanos = handedOutNanos;
    }

    @Override public String toString() {
      return error ? "error " + errorType + ": " + body : body;
    }
  }

  static final class Pending {
    final String id, event;
    final long deadlineEpochMs, timeoutMs;
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    volatile long handedOutNanos;

    Pending(String id, String event, long deadlineEpochMs, long timeoutMs) {
      this.id = id;
      this.event = event;
      this.deadlineEpochMs = deadlineEpochMs;
      this.timeoutMs = timeoutMs;
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "runtime-api");
    t.setDaemon(true);
    return t;
  });
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, Pending> inflight = new ConcurrentHashMap<>();
  public final CompletableFuture<String> initError = new CompletableFuture<>();
  /** How many times the client asked for {@code /runtime/restore/next} (SnapStart). */
  public final java.util.concurrent.atomic.AtomicInteger restores = new java.util.concurrent.atomic.AtomicInteger();

  private final String functionArn;

  /** A Runtime API for a function named {@code claims-assistant}, as the examples' tests expect. */
  public RuntimeApi() throws IOException {
    this("claims-assistant");
  }

  /** A Runtime API whose invocations carry this function's ARN (in a made-up account and region). */
  public RuntimeApi(String functionName) throws IOException {
    functionArn = "arn:aws:lambda:eu-west-1:123456789012:function:" + functionName;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(threads);
    server.createContext("/2018-06-01/runtime/", this::handle);
    server.start();
  }

  /** host:port, for AWS_LAMBDA_RUNTIME_API. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Forgets an invocation the function will never answer (it died, or was stopped at its timeout). */
  public void abandon(String requestId) {
    Pending p = inflight.remove(requestId);
    if (p != null) queue.remove(p);
  }

  /** Queues an invocation; the future completes when the function posts its response or error. */
  public CompletableFuture<Outcome> invoke(String requestId, String event, long deadlineEpochMs) {
    Pending p = new Pending(requestId, event, deadlineEpochMs, 0);
    inflight.put(requestId, p);
    queue.add(p);
    return p.outcome;
  }

  /**
   * Queues an invocation whose time starts when the function takes it, as Lambda's does: a cold start's Init is not
   * counted against the function's timeout.
   */
  public CompletableFuture<Outcome> invokeWithin(String requestId, String event, long timeoutMs) {
    Pending p = new Pending(requestId, event, 0, timeoutMs);
    inflight.put(requestId, p);
    queue.add(p);
    return p.outcome;
  }

  /** When the function took this invocation ({@code System.nanoTime()}), or 0 while it has not. */
  public long handedOutNanos(String requestId) {
    Pending p = inflight.get(requestId);
    return p == null ? 0 : p.handedOutNanos;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath().substring("/2018-06-01/runtime".length());
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.equals("/invocation/next")) {
        Pending p = queue.take();
        ex.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", p.id);
        long deadline = p.timeoutMs > 0 ? System.currentTimeMillis() + p.timeoutMs : p.deadlineEpochMs;
        ex.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        ex.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        ex.getResponseHeaders().set("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
        p.handedOutNanos = System.nanoTime();
        // Content-Type is required: without it the native client crashes.
        HttpReplies.send(ex, 200, "application/json", p.event.getBytes(StandardCharsets.UTF_8));
      } else if (path.startsWith("/invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
        String id = path.substring("/invocation/".length(), path.lastIndexOf('/'));
        Pending p = inflight.remove(id);
        boolean error = path.endsWith("/error");
        String type = ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String text = new String(body, StandardCharsets.UTF_8);
        if (p != null) p.outcome.complete(new Outcome(error, text, type, System.nanoTime(), p.handedOutNanos));
        // Exactly 202, or the client's loop dies.
        HttpReplies.send(ex, 202, "application/json", "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/init/error")) {
        initError.complete(new String(body, StandardCharsets.UTF_8));
        HttpReplies.send(ex, 202, "application/json", "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/restore/next")) {
        restores.incrementAndGet();
        HttpReplies.send(ex, 200, "application/json", new byte[0]);
      } else {
        HttpReplies.send(ex, 404, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  /** Stops serving: the client's next poll fails and it exits, as the notes describe. */
  @Override public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
