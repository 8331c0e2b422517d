package dev.llmobs.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in of a model vendor's HTTP API (OpenAI's, Anthropic's): scripted answers per path, JSON or
 * server-sent events, and the ways real ones misbehave: an error status, a stream cut halfway (the connection closes
 * short of the length announced), an answer held until a latch opens. Every request is recorded, headers and body.
 */
public final class ModelApiStub implements AutoCloseable {
  /** One recorded request. */
  public static final class Request {
    public final String method, path;
    public final Map<String, List<String>> headers; // lower-case names
    public final String body;

    Request(String method, String path, Map<String, List<String>> headers, String body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }
  }

  /** One scripted answer. */
  public static final class Reply {
    final int status;
    final String contentType;
    final List<byte[]> parts;
    final boolean cut;
    final CountDownLatch hold;
    final Map<String, String> headers = new java.util.LinkedHashMap<>();

    private Reply(int status, String contentType, List<byte[]> parts, boolean cut, CountDownLatch hold) {
      this.status = status;
      this.contentType = contentType;
      this.parts = parts;
      this.cut = cut;
      this.hold = hold;
    }

    public static Reply json(String body) {
      return json(200, body);
    }

    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", List.of(utf8(body)), false, null);
    }

    /** A stream of server-sent events, each flushed on its own. */
    public static Reply events(String... events) {
      return new Reply(200, "text/event-stream", utf8(events), false, null);
    }

    /** Binary parts of this content type, each flushed on its own (AWS event-stream frames, say). */
    public static Reply binary(String contentType, List<byte[]> parts) {
      return new Reply(200, contentType, List.copyOf(parts), false, null);
    }

    /** These events, then the connection closes short of the length announced: a stream cut halfway. */
    public static Reply cutAfter(String... events) {
      return new Reply(200, "text/event-stream", utf8(events), true, null);
    }

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> utf8(String[] parts) {
      return java.util.Arrays.stream(parts).map(Reply::utf8).toList();
    }

    /** The same answer, sent once the latch opens: an answer after the caller's deadline, without a sleep. */
    public Reply heldUntil(CountDownLatch latch) {
      Reply r = new Reply(status, contentType, parts, cut, latch);
      r.headers.putAll(headers);
      return r;
    }

    /** The same answer with one more header (a {@code retry-after-ms}, say). */
    public Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, ConcurrentLinkedDeque<Reply>> scripts = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public ModelApiStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    AtomicInteger n = new AtomicInteger();
    threads = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, TestIntake.THREAD_PREFIX + "-model-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Requests whose path ends with {@code pathSuffix} get these answers in turn; the last one repeats. */
  public ModelApiStub on(String pathSuffix, Reply... replies) {
    scripts.put(pathSuffix, new ConcurrentLinkedDeque<>(List.of(replies)));
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return requests;
  }

  private Reply next(String path) {
    for (Map.Entry<String, ConcurrentLinkedDeque<Reply>> e : scripts.entrySet()) {
      if (!path.endsWith(e.getKey())) continue;
      ConcurrentLinkedDeque<Reply> q = e.getValue();
      synchronized (q) {
        return q.size() > 1 ? q.poll() : q.peek();
      }
    }
    return Reply.json(404, "{\"error\":{\"type\":\"not_found_error\",\"message\":\"no script for " + path + "\"}}");
  }

  private void handle(HttpExchange x) throws IOException {
    Reply r;
    try {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new java.util.TreeMap<>();
      x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
      requests.add(new Request(x.getRequestMethod(), x.getRequestURI().toString(), headers, body));
      r = next(x.getRequestURI().getPath());
      if (r.hold != null && !r.hold.await(30, TimeUnit.SECONDS)) throw new IOException("held too long");
      x.getResponseHeaders().add("Content-Type", r.contentType);
      x.getResponseHeaders().add("request-id", "req_" + requests.size());
      r.headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
      long length = r.parts.stream().mapToLong(p -> p.length).sum();
      x.sendResponseHeaders(r.status, r.cut ? 0 : length); // a cut stream is chunked, and never ends
      OutputStream out = x.getResponseBody();
      for (byte[] part : r.parts) {
        out.write(part);
        out.flush();
      }
      if (!r.cut) out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      x.close();
      return;
    } catch (IOException e) {
      x.close(); // a client that left
      return;
    }
    if (r.cut) throw new IllegalStateException("cut"); // the server drops the connection without the last chunk
    x.close();
  }

  @Override public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
