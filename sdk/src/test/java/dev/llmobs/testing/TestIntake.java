package dev.llmobs.testing;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A real HTTP intake on loopback (the JDK's server) that records every request and answers as scripted:
 * by default {@code 202 Accepted}, as the Datadog intake does.
 */
public final class TestIntake implements AutoCloseable {
  static {
    // Without it the JDK server waits for delayed ACKs (~40 ms a response): see lambda-notes.md, addendum.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One received request. */
  public static final class Request {
    public final String method, path;
    public final Map<String, String> headers; // lower-case names
    public final byte[] body;

    Request(String method, String path, Map<String, String> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public Object json() {
      try {
        return JSON.std.anyFrom(body);
      } catch (IOException e) {
        throw new AssertionError("intake received invalid JSON: " + bodyText(), e);
      }
    }
  }

  /** A scripted answer. */
  public static final class Answer {
    final int status;
    final String body;
    final CountDownLatch hold;

    Answer(int status, String body, CountDownLatch hold) {
      this.status = status;
      this.body = body;
      this.hold = hold;
    }

    public static Answer status(int status) {
      return new Answer(status, status == 202 ? "{}" : "{\"errors\":[\"scripted " + status + "\"]}", null);
    }

    /** Holds the response until the latch opens: a slow intake without a sleep. */
    public static Answer heldUntil(CountDownLatch latch) {
      return new Answer(202, "{}", latch);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private volatile Function<Request, Answer> fallback = r -> Answer.status(202);

  public TestIntake() throws IOException {
    this(0);
  }

  /** An intake on a given loopback port (0 = any): lets a test bring an intake back at the same address. */
  public TestIntake(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, in.readAllBytes());
      requests.add(r);
      Answer a = script.poll();
      if (a == null) a = fallback.apply(r);
      if (a.hold != null) {
        try {
          a.hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = a.body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(a.status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) ex.getResponseBody().write(body);
    } catch (IOException e) {
      // the client went away (e.g. timed out): nothing to answer
    } finally {
      ex.close();
    }
  }

  /** Queues answers for the next requests, in order; after them the default applies. */
  public TestIntake answer(Answer... answers) {
    for (Answer a : answers) script.add(a);
    return this;
  }

  public TestIntake always(int status) {
    fallback = r -> Answer.status(status);
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  public List<Request> requestsTo(String pathSuffix) {
    List<Request> out = new ArrayList<>();
    for (Request r : requests) if (r.path.endsWith(pathSuffix)) out.add(r);
    return out;
  }

  /** Every span event received so far, unwrapped: the objects inside each element's {@code spans} array. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> spans() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Request r : requestsTo("/api/v2/llmobs")) {
      for (Object element : (List<Object>) r.json()) {
        out.addAll((List<Map<String, Object>>) ((Map<String, Object>) element).get("spans"));
      }
    }
    return out;
  }

  /** Every evaluation metric received so far. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> evaluations() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Request r : requestsTo("/eval-metric")) {
      Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) r.json()).get("data");
      out.addAll((List<Map<String, Object>>) ((Map<String, Object>) data.get("attributes")).get("metrics"));
    }
    return out;
  }

  public void clear() {
    requests.clear();
  }

  @Override public void close() {
    server.stop(0);
  }
}
