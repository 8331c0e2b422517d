package dev.llmobs.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium (Debian's package, {@code /usr/bin/chromium}, or {@code LLMOBS_CHROMIUM}) driven over the Chrome
 * DevTools Protocol on its WebSocket, with the JDK's own client: open a page, evaluate script, press keys, take a
 * screenshot. Started with the flags this closed network needs (no background networking, no component updates).
 */
final class Chromium implements AutoCloseable {
  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> awaited = new ConcurrentHashMap<>();
  private final String session;

  static Path binary() {
    String configured = System.getenv("LLMOBS_CHROMIUM");
    Path p = Path.of(configured != null ? configured : "/usr/bin/chromium");
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException("the page tests need Chromium at " + p + ": run .ci/install-chromium (Debian's "
          + "chromium package), or set LLMOBS_CHROMIUM");
    }
    return p;
  }

  Chromium(Path profile) throws Exception {
    Files.createDirectories(profile);
    ProcessBuilder browser = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile,
        "--remote-debugging-port=0", "about:blank").redirectErrorStream(true);
    // Its shared-memory files (--disable-dev-shm-usage) go to TMPDIR, and a stopped browser leaves them there: in
    // its profile directory (the test's, under target/) rather than in /tmp.
    browser.environment().put("TMPDIR", profile.toString());
    process = browser.start();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    StringBuilder said = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (said.length() < 20_000) said.append(line).append('\n');
          int at = line.indexOf("ws://");
          if (line.startsWith("DevTools listening on") && at >= 0) endpoint.complete(line.substring(at).trim());
        }
      } catch (IOException ignored) {
        // the browser ended
      }
      endpoint.completeExceptionally(new IllegalStateException("Chromium ended before it listened:\n" + said));
    }, "chromium-output");
    reader.setDaemon(true);
    reader.start();
    String ws = endpoint.get(60, TimeUnit.SECONDS);
    socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(ws), new Listener())
        .get(30, TimeUnit.SECONDS);
    Map<String, Object> target = call(null, "Target.createTarget", Map.of("url", "about:blank"));
    Map<String, Object> attached = call(null, "Target.attachToTarget", Map.of("targetId", target.get("targetId"),
        "flatten", true));
    session = (String) attached.get("sessionId");
    call(session, "Page.enable", Map.of());
    call(session, "Runtime.enable", Map.of());
  }

  /** Opens {@code url} in the page and returns once its load event fired. */
  void open(String url) throws Exception {
    CountDownLatch loaded = new CountDownLatch(1);
    awaited.put("Page.loadEventFired", loaded);
    call(session, "Page.navigate", Map.of("url", url));
    if (!loaded.await(60, TimeUnit.SECONDS)) throw new AssertionError("the page did not load: " + url);
  }

  /** Evaluates script in the page (promises awaited); returns its value as JSON types, or fails with its exception. */
  @SuppressWarnings("unchecked")
  Object eval(String expression) throws Exception {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("expression", expression);
    params.put("returnByValue", true);
    params.put("awaitPromise", true);
    Map<String, Object> r = call(session, "Runtime.evaluate", params);
    if (r.containsKey("exceptionDetails")) throw new AssertionError("script failed: " + JSON.std.asString(r.get("exceptionDetails")));
    return ((Map<String, Object>) r.get("result")).get("value");
  }

  /** A key pressed and released on whatever has focus, as a keyboard user does. */
  void press(String key) throws Exception {
    Map<String, Integer> codes = Map.of("ArrowDown", 40, "ArrowUp", 38, "ArrowLeft", 37, "ArrowRight", 39,
        "Enter", 13, "Escape", 27, "/", 191);
    for (String type : List.of("keyDown", "keyUp")) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", type);
      p.put("key", key);
      p.put("windowsVirtualKeyCode", codes.getOrDefault(key, 0));
      if (key.equals("/") && type.equals("keyDown")) p.put("text", "/");
      call(session, "Input.dispatchKeyEvent", p);
    }
  }

  void screenshot(Path png) throws Exception {
    Map<String, Object> r = call(session, "Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode((String) r.get("data")));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> call(String sessionId, String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("id", id);
    msg.put("method", method);
    msg.put("params", params);
    if (sessionId != null) msg.put("sessionId", sessionId);
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(JSON.std.asString(msg), true).get(30, TimeUnit.SECONDS);
    Map<String, Object> reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.containsKey("error")) throw new AssertionError(method + " failed: " + JSON.std.asString(reply.get("error")));
    return (Map<String, Object>) reply.getOrDefault("result", Map.of());
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          Map<String, Object> m = JSON.std.mapFrom(text);
          Object id = m.get("id");
          if (id instanceof Number) {
            CompletableFuture<Map<String, Object>> f = pending.remove(((Number) id).intValue());
            if (f != null) f.complete(m);
          } else if (m.get("method") != null) {
            CountDownLatch l = awaited.remove((String) m.get("method"));
            if (l != null) l.countDown();
          }
        } catch (IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
      }
      ws.request(1);
      return null;
    }
  }

  @Override public void close() throws InterruptedException {
    socket.abort();
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
