package dev.llmobs.examples.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An intake that acknowledges at once and keeps only counts, as the Datadog Lambda extension acknowledges before
 * forwarding: for timing the function, not the intake's own parsing and printing.
 */
public final class AckIntake implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  public final AtomicLong requests = new AtomicLong(), bytes = new AtomicLong();
  /** Bodies received, kept as bytes (parsed only after the run, so that keeping them costs the function nothing). */
  public final java.util.List<byte[]> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

  public AckIntake() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", ex -> {
      try {
        byte[] body = ex.getRequestBody().readAllBytes();
        bytes.addAndGet(body.length);
        if (ex.getRequestURI().getPath().endsWith("/api/v2/llmobs")) bodies.add(body);
        requests.incrementAndGet();
        byte[] ok = "Acknowledged request for llm_obs_spans".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ex.sendResponseHeaders(200, ok.length);
        ex.getResponseBody().write(ok);
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override public void close() {
    server.stop(0);
  }
}
