package dev.llmobs.bedrock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Answers one stream request with a 200 event stream, sends some frames and half of the next, then, once the caller
 * has heard what the whole frames carry, drops the TCP connection: a stream cut mid-way, which the JDK's HTTP server
 * cannot produce. (A reset that came sooner could discard what the client had not read yet.)
 */
final class CutStreamServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread thread;

  /** {@code heard}: {@code permits} of it are the caller's word that the whole frames reached it. */
  CutStreamServer(List<byte[]> frames, int whole, java.util.concurrent.Semaphore heard, int permits)
      throws IOException {
    server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        readRequest(in);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
            + "x-amzn-RequestId: cut-1\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < whole; i++) chunk(out, frames.get(i), frames.get(i).length);
        byte[] next = frames.get(whole);
        chunk(out, next, next.length / 2);
        out.flush();
        heard.tryAcquire(permits, 10, java.util.concurrent.TimeUnit.SECONDS);
        s.setSoLinger(true, 0); // reset, not a clean close
      } catch (IOException e) {
        // test over
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cut-stream-server");
    thread.setDaemon(true);
    thread.start();
  }

  private static void chunk(OutputStream out, byte[] b, int len) throws IOException {
    out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b, 0, len);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int contentLength = 0;
    while (true) {
      StringBuilder line = new StringBuilder();
      for (int c; (c = in.read()) >= 0 && c != '\n'; ) if (c != '\r') line.append((char) c);
      if (line.length() == 0) break;
      String l = line.toString().toLowerCase(java.util.Locale.ROOT);
      if (l.startsWith("content-length:")) contentLength = Integer.parseInt(l.substring(15).trim());
      head.append(l).append('\n');
    }
    in.readNBytes(contentLength);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  @Override public void close() throws IOException {
    server.close();
  }
}
