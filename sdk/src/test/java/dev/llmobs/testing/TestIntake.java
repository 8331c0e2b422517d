package dev.llmobs.testing;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The one loopback intake of the project's tests, demo and benchmarks: a raw-socket HTTP/1.1 server (a thread per
 * connection, keep-alive) that records every request and answers as scripted. By default it answers
 * {@code 202 Accepted} at once, as the Datadog intake does; scripted answers misbehave the way real peers do: a
 * reply trickled a byte at a time (or endlessly), a connection never read, a request never answered or answered
 * late, a half-close, a reset, a reply that is not HTTP or that echoes the request. With a TLS context it speaks
 * HTTPS, and a connection never read is then a TLS handshake that stalls.
 *
 * <p>Its threads are named {@value #THREAD_PREFIX}..., so that tests asserting the SDK starts no thread can tell
 * them apart.
 */
public final class TestIntake implements AutoCloseable {
  public static final String THREAD_PREFIX = "test-intake";

  private final java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

  /** One received request. */
  public static final class Request {
    public final String method, path;
    public final Map<String, String> headers; // lower-case names
    public final byte[] body;
    final byte[] head;
    /** Whether the intake wrote a complete 2xx answer for it. */
    public volatile boolean acknowledged;

    Request(String method, String path, Map<String, String> headers, byte[] head, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.head = head;
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

  /** A scripted answer to one request (or, for {@link #neverRead()}, to one connection). */
  public static final class Answer {
    enum Act { RESPOND, NEVER_READ, NEVER_ANSWER, HALF_CLOSE, RESET, RAW, ECHO, TRICKLE, TRICKLE_FOREVER }

    final Act act;
    final int status;
    final String body;
    final CountDownLatch hold;
    final long intervalMillis;
    final byte[] raw;

    private Answer(Act act, int status, String body, CountDownLatch hold, long intervalMillis, byte[] raw) {
      this.act = act;
      this.status = status;
      this.body = body;
      this.hold = hold;
      this.intervalMillis = intervalMillis;
      this.raw = raw;
    }

    private static String bodyFor(int status) {
      return status / 100 == 2 ? "{}" : "{\"errors\":[\"scripted " + status + "\"]}";
    }

    public static Answer status(int status) {
      return new Answer(Act.RESPOND, status, bodyFor(status), null, 0, null);
    }

    public static Answer status(int status, String body) {
      return new Answer(Act.RESPOND, status, body, null, 0, null);
    }

    /** Holds a 202 until the latch opens: a slow intake, or one that answers after the budget, without a sleep. */
    public static Answer heldUntil(CountDownLatch latch) {
      return new Answer(Act.RESPOND, 202, "{}", latch, 0, null);
    }

    /** A 202 after {@code millis}: a slow intake. */
    public static Answer delayed(long millis) {
      return new Answer(Act.RESPOND, 202, "{}", null, millis, null);
    }

    /** Accepts the connection and never reads from it: writes block once the socket buffers are full. */
    public static Answer neverRead() {
      return new Answer(Act.NEVER_READ, 0, null, null, 0, null);
    }

    /** Reads the request and never answers, holding the connection open. */
    public static Answer neverAnswer() {
      return new Answer(Act.NEVER_ANSWER, 0, null, null, 0, null);
    }

    /** Reads the request, then closes its sending side (FIN) without a word. */
    public static Answer halfClose() {
      return new Answer(Act.HALF_CLOSE, 0, null, null, 0, null);
    }

    /** Reads the request, then resets the connection (RST). */
    public static Answer reset() {
      return new Answer(Act.RESET, 0, null, null, 0, null);
    }

    /** Reads the request, then sends these bytes as they are (garbage, a truncated reply...). */
    public static Answer raw(String bytes) {
      return new Answer(Act.RAW, 0, null, null, 0, bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the request, then sends it back, head and body: a confused proxy echoing what it got. */
    public static Answer echo() {
      return new Answer(Act.ECHO, 0, null, null, 0, null);
    }

    /** A complete answer, written one byte every {@code intervalMillis}. */
    public static Answer trickle(int status, long intervalMillis) {
      return new Answer(Act.TRICKLE, status, bodyFor(status), null, intervalMillis, null);
    }

    /** A status line, then a header that never ends, one byte every {@code intervalMillis}. */
    public static Answer trickleForever(long intervalMillis) {
      return new Answer(Act.TRICKLE_FOREVER, 200, null, null, intervalMillis, null);
    }
  }

  private final ServerSocket server;
  private final SSLContext tls;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Answer fallback = Answer.status(202);
  private volatile Answer[] cycle; // when set, the fallback cycles through these
  private final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
  private volatile Consumer<Request> listener;
  private final Thread accept;
  private volatile boolean keepAll = true;
  /** What {@code GET /info} answers: the Lambda extension's concrete EVP routes by default; null answers 404. */
  private volatile String info = "{\"version\":\"test\",\"endpoints\":[\"/v0.4/traces\","
      + "\"/evp_proxy/v2/api/v2/llmobs\",\"/evp_proxy/v2/api/intake/llm-obs/v2/eval-metric\"],"
      + "\"client_drop_p0s\":false}";
  private volatile Request last;

  public TestIntake() throws IOException {
    this(0, null);
  }

  /** An intake on a given loopback port (0 = any): lets a test bring an intake back at the same address. */
  public TestIntake(int port) throws IOException {
    this(port, null);
  }

  /** An HTTPS intake (any port) with the given server context. */
  public static TestIntake https(SSLContext serverContext) throws IOException {
    return new TestIntake(0, serverContext);
  }

  private TestIntake(int port, SSLContext tls) throws IOException {
    this.tls = tls;
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    accept = new Thread(this::acceptLoop, THREAD_PREFIX + "-accept");
    accept.setDaemon(true);
    accept.start();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        s.setTcpNoDelay(true);
        if (tls != null) {
          SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
          ssl.setUseClientMode(false);
          s = ssl;
        }
        Socket conn = s;
        open.add(conn);
        Thread t = new Thread(() -> serve(conn), THREAD_PREFIX + "-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** A never-read answer must be taken before reading, the others after. */
  private boolean takeNeverRead() {
    Answer head = script.peek();
    if (head != null) return head.act == Answer.Act.NEVER_READ && script.remove(head);
    return fallback.act == Answer.Act.NEVER_READ;
  }

  private Answer next() {
    Answer a = script.poll();
    if (a != null) return a;
    Answer[] c = cycle;
    return c != null ? c[(int) (served.getAndIncrement() % c.length)] : fallback;
  }

  private void serve(Socket s) {
    try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
      while (true) {
        if (takeNeverRead()) {
          closed.await();
          return;
        }
        Request r = read(in);
        if (r == null) return;
        if (r.method.equals("GET") && r.path.equals("/info")) { // the agent's discovery endpoint
          requests.add(r);
          String body = info;
          out.write(body == null ? response(404, "{}") : response(200, body));
          out.flush();
          continue;
        }
        Answer a = next(); // chosen once the request is in: a script changed meanwhile applies to it
        if (r.method.equals("GET")) { // a sick destination's probe: answered as scripted, carries no events
          probes.incrementAndGet();
          if (!act(a, r, s, in, out)) return;
          continue;
        }
        last = r;
        if (keepAll) requests.add(r);
        Consumer<Request> l = listener;
        if (l != null) l.accept(r);
        if (!act(a, r, s, in, out)) return;
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the client went away, or the intake closed
    } finally {
      open.remove(s);
    }
  }

  /** Answers; false when the connection is done with. */
  private boolean act(Answer a, Request r, Socket s, InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    switch (a.act) {
      case NEVER_ANSWER:
        while (in.read() >= 0) { } // until the client or the intake closes
        return false;
      case HALF_CLOSE:
        s.shutdownOutput();
        while (in.read() >= 0) { }
        return false;
      case RESET:
        s.setSoLinger(true, 0);
        return false;
      case RAW:
        out.write(a.raw);
        out.flush();
        return false;
      case ECHO:
        out.write(r.head);
        out.write(r.body);
        out.flush();
        return false;
      case TRICKLE:
        r.acknowledged = a.status / 100 == 2; // before the answer leaves: a client may read it at once
        for (byte b : response(a.status, a.body)) {
          out.write(b);
          out.flush();
          Thread.sleep(a.intervalMillis);
        }
        return true;
      case TRICKLE_FOREVER:
        out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        while (true) {
          out.write('a');
          out.flush();
          Thread.sleep(a.intervalMillis);
        }
      default:
        if (a.hold != null) a.hold.await();
        if (a.intervalMillis > 0) Thread.sleep(a.intervalMillis);
        r.acknowledged = a.status / 100 == 2; // before the answer leaves: a client may read it at once
        out.write(response(a.status, a.body));
        out.flush();
        return true;
    }
  }

  private static byte[] response(int status, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " Scripted\r\nContent-Type: application/json\r\nContent-Length: " + b.length
        + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + b.length);
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(b);
    return out.toByteArray();
  }

  /** Reads one request, or null at end of stream. */
  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) return null;
      head.write(c);
      if (c == '\r') continue;
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      if (line.length() == 0) break;
      lines.add(line.toString());
      line.setLength(0);
    }
    String[] first = lines.get(0).split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String l = lines.get(i);
      int colon = l.indexOf(':');
      if (colon > 0) headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length < length) return null;
    return new Request(first[0], first[1], headers, head.toByteArray(), body);
  }

  /** What {@code GET /info} answers from now on (an agent's or extension's JSON); null answers 404. */
  public TestIntake info(String json) {
    this.info = json;
    return this;
  }

  /** Keeps only the last request (benchmarks send millions); {@link #requests()} then stays empty. */
  public TestIntake keepOnlyTheLast() {
    keepAll = false;
    return this;
  }

  /** The last request received, or null. */
  public Request last() {
    return last;
  }

  /** Runs an intake on its own, for measurements across processes: prints its origin, serves until killed. */
  public static void main(String[] args) throws Exception {
    TestIntake intake = new TestIntake().keepOnlyTheLast();
    System.out.println(intake.origin());
    System.out.flush();
    intake.closed.await();
  }

  /** Queues answers for the next requests, in order; after them the default applies. */
  public TestIntake answer(Answer... answers) {
    for (Answer a : answers) script.add(a);
    return this;
  }

  /** The answer to every request the script does not cover. */
  public TestIntake always(Answer answer) {
    cycle = null;
    fallback = answer;
    return this;
  }

  /** Answers every request the script does not cover with these, in turn. */
  public TestIntake cycle(Answer... answers) {
    cycle = answers.clone();
    return this;
  }

  public TestIntake always(int status) {
    return always(Answer.status(status));
  }

  /** Called with every request as it arrives, on the connection's thread (the demo prints trees from it). */
  public TestIntake onRequest(Consumer<Request> listener) {
    this.listener = listener;
    return this;
  }

  public int port() {
    return server.getLocalPort();
  }

  public String origin() {
    return (tls != null ? "https://localhost:" : "http://127.0.0.1:") + server.getLocalPort();
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
  public List<Map<String, Object>> spans() {
    return spans(false);
  }

  /** The first span received with this name; fails the test when none was. */
  public Map<String, Object> span(String name) {
    return spans().stream().filter(s -> name.equals(s.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no span named '" + name + "' arrived"));
  }

  /** How many connections this intake accepted. */
  public int connections() {
    return accepted.get();
  }

  /** How many probes (a {@code GET} other than {@code /info}) arrived. */
  public int probes() {
    return probes.get();
  }

  /** The spans of the requests this intake acknowledged with a complete 2xx answer. */
  public List<Map<String, Object>> acknowledgedSpans() {
    return spans(true);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> spans(boolean acknowledgedOnly) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Request r : requestsTo("/api/v2/llmobs")) {
      if (acknowledgedOnly && !r.acknowledged) continue;
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
    closed.countDown();
    try {
      server.close();
      // A socket closed while another thread blocks in accept() is released by that thread: wait for it, so that
      // the port can be bound again at once.
      accept.join(5000);
    } catch (IOException ignored) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
