package dev.llmobs.examples.harness;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An intake that acknowledges at once, as the Datadog Lambda extension acknowledges before forwarding: a blocking
 * socket per connection, keep-alive, a fixed 200 answer. For timing the function, not an HTTP server's own
 * scheduling (the JDK's server hands each request between threads, which costs more than our whole flush).
 */
public final class AckIntake implements AutoCloseable {
  private static final byte[] OK = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 38\r\n\r\n"
      + "Acknowledged request for llm_obs_spans").getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  public final AtomicLong requests = new AtomicLong(), bytes = new AtomicLong();
  /** Span request bodies, kept as bytes (parsed only after the run, so that keeping them costs nothing). */
  public final List<byte[]> bodies = new CopyOnWriteArrayList<>();

  public AckIntake() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          s.setTcpNoDelay(true);
          Thread t = new Thread(() -> serve(s), "ack-intake-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "ack-intake");
    accept.setDaemon(true);
    accept.start();
  }

  private void serve(Socket s) {
    try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
      while (true) {
        String path = null;
        int length = 0;
        StringBuilder line = new StringBuilder();
        boolean first = true;
        while (true) {
          int c = in.read();
          if (c < 0) return;
          if (c == '\r') continue;
          if (c != '\n') {
            line.append((char) c);
            continue;
          }
          if (line.length() == 0) break;
          String l = line.toString();
          if (first) path = l.split(" ")[1];
          else if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(l.substring(15).trim());
          first = false;
          line.setLength(0);
        }
        byte[] body = in.readNBytes(length);
        out.write(OK);
        out.flush();
        requests.incrementAndGet();
        bytes.addAndGet(body.length);
        if (path != null && path.endsWith("/api/v2/llmobs")) bodies.add(body);
      }
    } catch (IOException | RuntimeException e) {
      // connection closed
    }
  }

  public String origin() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  @Override public void close() throws IOException {
    server.close();
  }
}
