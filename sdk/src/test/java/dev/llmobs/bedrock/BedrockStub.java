package dev.llmobs.bedrock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A loopback stand-in for Bedrock Runtime that answers as the service does: JSON for Converse and InvokeModel (with
 * InvokeModel's token headers), {@code application/vnd.amazon.eventstream} frames, encoded with the real
 * eventstream library, for the two stream operations; typed errors with {@code x-amzn-ErrorType}.
 */
final class BedrockStub implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One scripted answer. */
  static final class Reply {
    final int status;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<byte[]> frames; // event-stream frames, or null
    int holdAfter = -1; // frames sent before waiting for `hold`
    java.util.concurrent.CountDownLatch hold;

    private Reply(int status, byte[] body, List<byte[]> frames) {
      this.status = status;
      this.body = body;
      this.frames = frames;
    }

    static Reply json(String body) {
      Reply r = new Reply(200, body.getBytes(StandardCharsets.UTF_8), null);
      r.headers.put("Content-Type", "application/json");
      return r;
    }

    static Reply raw(int status, String contentType, String body) {
      Reply r = new Reply(status, body.getBytes(StandardCharsets.UTF_8), null);
      r.headers.put("Content-Type", contentType);
      return r;
    }

    static Reply error(int status, String code, String message) {
      Reply r = new Reply(status, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8), null);
      r.headers.put("Content-Type", "application/json");
      r.headers.put("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
      return r;
    }

    static Reply stream(List<byte[]> frames) {
      Reply r = new Reply(200, null, frames);
      r.headers.put("Content-Type", "application/vnd.amazon.eventstream");
      r.headers.put("X-Amzn-Bedrock-Content-Type", "application/json");
      return r;
    }

    /** Sends {@code n} frames, then waits for the latch before the rest: a stream the caller is still receiving. */
    Reply holdAfter(int n, java.util.concurrent.CountDownLatch latch) {
      holdAfter = n;
      hold = latch;
      return this;
    }

    Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  /** A request as received: path decoded, body as text. */
  static final class Received {
    final String path;
    final String body;
    final long nanos = System.nanoTime();

    Received(String path, String body) {
      this.path = path;
      this.body = body;
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedDeque<Reply> replies = new ConcurrentLinkedDeque<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  BedrockStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void clear() {
    replies.clear();
    received.clear();
  }

  BedrockStub reply(Reply... rs) {
    for (Reply r : rs) replies.add(r);
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      byte[] in = ex.getRequestBody().readAllBytes();
      received.add(new Received(URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8),
          new String(in, StandardCharsets.UTF_8)));
      Reply r = replies.poll();
      if (r == null) r = Reply.error(500, "InternalServerException", "no reply scripted");
      r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.getResponseHeaders().set("x-amzn-RequestId", "stub-" + received.size());
      if (r.frames == null) {
        if (r.hold != null) awaitQuietly(r.hold); // a JSON answer held whole (holdAfter 0)
        ex.sendResponseHeaders(r.status, r.body.length == 0 ? -1 : r.body.length);
        if (r.body.length > 0) ex.getResponseBody().write(r.body);
      } else {
        ex.sendResponseHeaders(r.status, 0); // chunked
        OutputStream out = ex.getResponseBody();
        int sent = 0;
        for (byte[] f : r.frames) {
          if (sent++ == r.holdAfter) awaitQuietly(r.hold);
          out.write(f);
          out.flush();
        }
      }
    } finally {
      ex.close();
    }
  }

  private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An event frame as Bedrock sends it. */
  static byte[] event(String type, String json) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":event-type", HeaderValue.fromString(type));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("event"));
    return bytes(new Message(h, json.getBytes(StandardCharsets.UTF_8)));
  }

  /** An InvokeModelWithResponseStream chunk carrying the model's own JSON, base64-encoded. */
  static byte[] chunk(String innerJson) {
    String b64 = Base64.getEncoder().encodeToString(innerJson.getBytes(StandardCharsets.UTF_8));
    return event("chunk", "{\"bytes\":\"" + b64 + "\",\"p\":\"abcdefgh\"}");
  }

  /** An exception frame inside a 200 stream. */
  static byte[] exception(String type, String message) {
    Map<String, HeaderValue> h = new LinkedHashMap<>();
    h.put(":exception-type", HeaderValue.fromString(type));
    h.put(":content-type", HeaderValue.fromString("application/json"));
    h.put(":message-type", HeaderValue.fromString("exception"));
    return bytes(new Message(h, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] bytes(Message m) {
    ByteBuffer b = m.toByteBuffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  static List<byte[]> frames(byte[]... fs) {
    return new ArrayList<>(List.of(fs));
  }

  @Override public void close() {
    server.stop(0);
  }
}
