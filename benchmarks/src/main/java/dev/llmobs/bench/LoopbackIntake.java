package dev.llmobs.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A loopback intake answering 202 at once, as the Datadog intake does; keeps the last body for the harness. */
public final class LoopbackIntake implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true"); // else delayed ACKs dominate (lambda-notes.md)
  }

  private final HttpServer server;
  public final AtomicLong requests = new AtomicLong();
  public final AtomicReference<byte[]> lastBody = new AtomicReference<>();

  public LoopbackIntake() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if (ex.getRequestURI().getPath().endsWith("/api/v2/llmobs")) lastBody.set(body);
        requests.incrementAndGet();
        byte[] answer = "{}".getBytes();
        ex.sendResponseHeaders(202, answer.length);
        ex.getResponseBody().write(answer);
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Runs an intake on its own, for measurements across processes: prints its origin, serves until killed. */
  public static void main(String[] args) throws Exception {
    LoopbackIntake intake = new LoopbackIntake();
    System.out.println(intake.origin());
    System.out.flush();
    Thread.currentThread().join();
  }

  @Override public void close() {
    server.stop(0);
  }
}
