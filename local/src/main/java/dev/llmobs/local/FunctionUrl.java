package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A function's URL on loopback, as Lambda's Function URLs serve one: each HTTP request becomes a payload 2.0 event
 * for the function (through its {@link RuntimeApi}, one invocation at a time, as one execution environment takes
 * them), and the function's answer becomes the HTTP response by Lambda's rules: an object with {@code statusCode} is
 * the response (its {@code body} base64-decoded when {@code isBase64Encoded}), anything else is a 200 JSON body; a
 * function error or timeout is a 502.
 */
public final class FunctionUrl implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "function-url");
    t.setDaemon(true);
    return t;
  });
  private final RuntimeApi function;
  private final long timeoutMs;
  private final Semaphore oneAtATime = new Semaphore(1, true);

  public FunctionUrl(RuntimeApi function, long timeoutMs) throws IOException {
    this.function = function;
    this.timeoutMs = timeoutMs;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL's origin, {@code http://127.0.0.1:PORT}: what a caller puts where the function URL would go. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      serve(ex);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  private void serve(HttpExchange ex) throws IOException, InterruptedException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String requestId = UUID.randomUUID().toString();
    String event = JSON.std.asString(event(ex, body, requestId));
    if (!oneAtATime.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
      HttpReplies.send(ex, 429, "application/json", "{\"message\":\"Too Many Requests\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    RuntimeApi.Outcome o;
    try {
      o = function.invokeWithin(requestId, event, timeoutMs).get(timeoutMs + Invoke.INIT_LIMIT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      function.abandon(requestId);
      o = null;
    } finally {
      oneAtATime.release();
    }
    if (o == null || o.error) {
      HttpReplies.send(ex, 502, "application/json", "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    respond(ex, o.body);
  }

  private static Map<String, Object> event(HttpExchange ex, byte[] body, String requestId) {
    Map<String, Object> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), String.join(",", h.getValue()));
    }
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("method", ex.getRequestMethod());
    http.put("path", path);
    http.put("protocol", ex.getProtocol());
    http.put("sourceIp", ex.getRemoteAddress().getAddress().getHostAddress());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("accountId", "anonymous");
    context.put("apiId", "local");
    context.put("domainName", "local.lambda-url.eu-west-1.on.aws");
    context.put("domainPrefix", "local");
    context.put("http", http);
    context.put("requestId", requestId);
    context.put("routeKey", "$default");
    context.put("stage", "$default");
    context.put("timeEpoch", System.currentTimeMillis());
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("version", "2.0");
    e.put("routeKey", "$default");
    e.put("rawPath", path);
    e.put("rawQueryString", query == null ? "" : query);
    e.put("headers", headers);
    e.put("requestContext", context);
    String type = String.valueOf(headers.getOrDefault("content-type", ""));
    boolean text = type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.isEmpty();
    if (body.length > 0) e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
    e.put("isBase64Encoded", body.length > 0 && !text);
    return e;
  }

  @SuppressWarnings("unchecked")
  private static void respond(HttpExchange ex, String answer) throws IOException {
    Object parsed;
    try {
      parsed = JSON.std.anyFrom(answer);
    } catch (IOException e) {
      parsed = null;
    }
    if (parsed instanceof Map && ((Map<String, Object>) parsed).containsKey("statusCode")) {
      Map<String, Object> r = (Map<String, Object>) parsed;
      int status = ((Number) r.get("statusCode")).intValue();
      String type = "application/json";
      if (r.get("headers") instanceof Map) {
        for (Map.Entry<String, Object> h : ((Map<String, Object>) r.get("headers")).entrySet()) {
          if (h.getKey().equalsIgnoreCase("content-type")) type = String.valueOf(h.getValue());
          else ex.getResponseHeaders().set(h.getKey(), String.valueOf(h.getValue()));
        }
      }
      Object b = r.get("body");
      byte[] bytes = b == null ? new byte[0] : Boolean.TRUE.equals(r.get("isBase64Encoded"))
          ? Base64.getDecoder().decode(b.toString()) : b.toString().getBytes(StandardCharsets.UTF_8);
      HttpReplies.send(ex, status, type, bytes);
    } else {
      HttpReplies.send(ex, 200, "application/json", answer.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
