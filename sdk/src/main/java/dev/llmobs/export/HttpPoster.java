package dev.llmobs.export;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A minimal HTTP/1.1 client for POSTing JSON on the caller's thread, in which one deadline bounds the whole
 * exchange: connect, TLS handshake, writing the request, reading status, headers and body.
 *
 * <p>Design note: socket timeouts bound one {@code read()}, so a peer that sends a byte just before each timeout
 * holds a blocking client for ever, and a blocking write to a peer that never reads has no timeout at all. Clients
 * that bound a whole call use a watchdog thread; we may not start one. So every socket here is a non-blocking
 * {@link SocketChannel} with a {@link Selector} of its own, and every wait is a {@code select} for what is left of
 * the deadline; TLS runs through an {@link SSLEngine} over that channel, with the JDK's default trust store and host
 * name verification ({@code HTTPS} endpoint identification), as {@code HttpsURLConnection} does.
 *
 * <p>{@link #post} never throws. It says what became of the request ({@link Fate}), which is all the exporter needs
 * to decide between sending again and counting the request as unconfirmed: see RATIONALE.md, "Why a request is sent
 * again only when the intake provably does not have it".
 */
final class HttpPoster {

  /** What became of one request. */
  enum Fate {
    /** A 2xx answer: the intake has it. */
    ACCEPTED,
    /** A final refusal (a 4xx other than 408 and 429): sending it again would be refused again. */
    REFUSED,
    /**
     * The intake provably does not have it: no connection, the request not completely written, or an answer that
     * says it was not processed (408, 425, 429, 500, 503). Safe to send again.
     */
    NOT_TAKEN,
    /**
     * The whole request was written but no answer came that says what happened (deadline, reset, a reply that is
     * not HTTP, 502 or 504 from a proxy). The intake may have it: sending it again could deliver it twice.
     */
    UNKNOWN
  }

  /**
   * The fate of a request, its status (or -1), a printable description of what went wrong (or null), and, for a
   * {@link #get}, the start of the answer's body.
   */
  static final class Result {
    final Fate fate;
    final int status;
    final String problem;
    String body = "";

    Result(Fate fate, int status, String problem) {
      this.fate = fate;
      this.status = status;
      this.problem = problem;
    }

    @Override public String toString() {
      return fate + (status >= 0 ? " HTTP " + status : "") + (problem != null ? " (" + problem + ")" : "");
    }
  }

  private static final int KEPT_BODY_BYTES = 512;
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  /** A response body larger than this is not read to its end: the connection is closed instead. */
  private static final long MAX_DRAINED_BODY = 1 << 20;
  private static final int WRITE_SLICE = 256 * 1024;

  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  private final String userAgent;
  private final SSLContext tls; // null: the JDK's default, looked up on first TLS use

  HttpPoster(String userAgent) {
    this(userAgent, null);
  }

  /** With a given TLS context (tests trusting their own certificate); null for the JDK's default. */
  HttpPoster(String userAgent, SSLContext tls) {
    this.userAgent = userAgent;
    this.tls = tls;
  }

  /**
   * POSTs {@code body} to {@code url} with the given extra headers (name, value, name, value, ...), giving up when
   * {@code deadlineNanos} (on {@link System#nanoTime()}) passes. A pooled connection is used when one is alive;
   * one that died while idle (a Lambda freeze, a proxy's idle timeout) is found before anything is written to it.
   */
  Result post(URI url, String[] headers, byte[] body, long deadlineNanos) {
    return request("POST", url, headers, body, deadlineNanos, KEPT_BODY_BYTES);
  }

  /** GETs {@code url} (the agent's {@code /info}), keeping up to 64 KiB of the answer's body. Never throws. */
  Result get(URI url, long deadlineNanos) {
    return request("GET", url, new String[0], null, deadlineNanos, 64 * 1024);
  }

  private Result request(String method, URI url, String[] headers, byte[] body, long deadlineNanos, int keep) {
    Origin origin;
    try {
      origin = Origin.of(url);
    } catch (IOException e) {
      return new Result(Fate.REFUSED, -1, e.getMessage());
    }
    Conn conn = takeIdle(origin);
    if (conn == null) {
      try {
        conn = Conn.open(origin, deadlineNanos, tls);
      } catch (IOException | RuntimeException e) {
        return new Result(Fate.NOT_TAKEN, -1, describe(e));
      }
    }
    return exchange(conn, method, url, headers, body, deadlineNanos, keep);
  }

  /** Closes pooled connections, e.g. before a SnapStart snapshot. */
  void closeIdle() {
    Conn c;
    while ((c = idle.poll()) != null) c.close();
  }

  private Conn takeIdle(Origin origin) {
    for (java.util.Iterator<Conn> it = idle.iterator(); it.hasNext(); ) {
      Conn c = it.next();
      if (c.origin.equals(origin) && idle.removeFirstOccurrence(c)) {
        if (c.isAlive()) return c;
        c.close();
      }
    }
    return null;
  }

  private Result exchange(Conn conn, String method, URI url, String[] headers, byte[] body, long deadline, int keep) {
    ByteBuffer[] request = body == null ? new ByteBuffer[] {ByteBuffer.wrap(head(method, conn.origin, url, headers, -1))}
        : new ByteBuffer[] {ByteBuffer.wrap(head(method, conn.origin, url, headers, body.length)), ByteBuffer.wrap(body)};
    try {
      conn.write(request, deadline);
    } catch (IOException | RuntimeException e) {
      conn.close();
      // Not all of the request left: the peer cannot hold a complete request (its length is in the head).
      return new Result(Fate.NOT_TAKEN, -1, describe(e));
    }
    int status = -1;
    try {
      ResponseReader in = new ResponseReader(conn, deadline);
      String statusLine = in.line();
      status = parseStatus(statusLine);
      boolean close = statusLine.startsWith("HTTP/1.0");
      long contentLength = -1;
      boolean chunked = false;
      int headerBytes = statusLine.length();
      for (String line; !(line = in.line()).isEmpty(); ) {
        headerBytes += line.length();
        if (headerBytes > MAX_HEADER_BYTES) throw new IOException("response head over " + MAX_HEADER_BYTES + " bytes");
        int colon = line.indexOf(':');
        if (colon <= 0) continue;
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("content-length")) contentLength = Long.parseLong(value);
        else if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        else if (name.equals("connection")) close |= value.equalsIgnoreCase("close");
      }
      Kept kept = new Kept(keep);
      if (status == 204 || status == 304 || status < 200) {
        // no body
      } else if (chunked) {
        close |= !in.chunked(kept);
      } else if (contentLength >= 0) {
        close |= !in.exactly(contentLength, kept);
      } else {
        in.untilClose(kept);
        close = true;
      }
      if (close || in.hasLeftover()) {
        conn.close();
      } else {
        conn.reused = true;
        idle.push(conn);
      }
      Result r = byStatus(status, kept.printable());
      if (keep > KEPT_BODY_BYTES) r.body = kept.text();
      return r;
    } catch (IOException | RuntimeException e) {
      conn.close();
      // The request was written. Once the status line arrived, it says what happened; before, nobody knows.
      if (status >= 0) return byStatus(status, describe(e));
      return new Result(Fate.UNKNOWN, -1, describe(e));
    }
  }

  private static Result byStatus(int status, String bodyStart) {
    Fate fate;
    if (status >= 200 && status < 300) fate = Fate.ACCEPTED;
    else if (status == 408 || status == 425 || status == 429 || status == 500 || status == 503) fate = Fate.NOT_TAKEN;
    else if (status >= 500 || status < 200) fate = Fate.UNKNOWN; // 502, 504: a proxy lost or waited for the answer
    else fate = Fate.REFUSED;
    return new Result(fate, status, fate == Fate.ACCEPTED ? null : bodyStart);
  }

  private byte[] head(String method, Origin origin, URI url, String[] headers, int length) {
    StringBuilder head = new StringBuilder(256);
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(origin.hostHeader()).append("\r\n")
        .append("User-Agent: ").append(userAgent).append("\r\n");
    if (length >= 0) head.append("Content-Length: ").append(length).append("\r\n");
    head.append("Connection: keep-alive\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static int parseStatus(String statusLine) throws IOException {
    // HTTP/1.1 202 Accepted
    int sp = statusLine.indexOf(' ');
    if (!statusLine.startsWith("HTTP/") || sp < 0 || statusLine.length() < sp + 4) {
      throw new IOException("not an HTTP response: " + printable(statusLine, 60));
    }
    try {
      return Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP response: " + printable(statusLine, 60));
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + printable(m, 200));
  }

  /**
   * Printable ASCII only, cut to {@code max} characters: what a peer sends is never logged as it came (it may hold
   * control characters, or our own request echoed back). The log redacts secrets on top of this.
   */
  static String printable(String s, int max) {
    int n = Math.min(s.length(), max);
    StringBuilder b = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : c == '\r' || c == '\n' || c == '\t' ? ' ' : '?');
    }
    if (s.length() > max) b.append("...");
    return b.toString();
  }

  static long nanosLeft(long deadline) throws DeadlineException {
    long left = deadline - System.nanoTime();
    if (left <= 0) throw new DeadlineException();
    return left;
  }

  /** The deadline passed. */
  static final class DeadlineException extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlineException() {
      super("flush budget exhausted");
    }
  }

  /** The first bytes of a response body, kept for the log line. */
  private static final class Kept {
    final byte[] buf;
    int size;

    Kept(int capacity) {
      buf = new byte[capacity];
    }

    void add(ByteBuffer b, int n) {
      int take = Math.min(n, buf.length - size);
      b.get(buf, size, take);
      b.position(b.position() + (n - take));
      size += take;
    }

    String printable() {
      return HttpPoster.printable(new String(buf, 0, size, StandardCharsets.ISO_8859_1), 200);
    }

    String text() {
      return new String(buf, 0, size, StandardCharsets.UTF_8);
    }
  }

  /** Reads one response from a connection, every wait bounded by the deadline. */
  private static final class ResponseReader {
    private final Conn conn;
    private final long deadline;
    private final ByteBuffer buf;

    ResponseReader(Conn conn, long deadline) {
      this.conn = conn;
      this.deadline = deadline;
      this.buf = conn.readBuffer;
      buf.clear().flip(); // empty, in read mode
    }

    /** Refills the buffer; false at end of stream. */
    private boolean fill() throws IOException {
      buf.clear();
      int n = conn.read(buf, deadline);
      buf.flip();
      return n > 0;
    }

    String line() throws IOException {
      StringBuilder b = new StringBuilder(64);
      while (true) {
        if (!buf.hasRemaining() && !fill()) throw new IOException("connection closed in the response head");
        char c = (char) (buf.get() & 0xff);
        if (c == '\n') {
          int n = b.length();
          if (n > 0 && b.charAt(n - 1) == '\r') b.setLength(n - 1);
          return b.toString();
        }
        if (b.length() >= 8 * 1024) throw new IOException("response header line too long");
        b.append(c);
      }
    }

    /** Reads {@code n} body bytes, or stops (false) when the body is too large to be worth reading. */
    boolean exactly(long n, Kept kept) throws IOException {
      if (n > MAX_DRAINED_BODY) return false;
      while (n > 0) {
        if (!buf.hasRemaining() && !fill()) throw new IOException("connection closed in the response body");
        int take = (int) Math.min(n, buf.remaining());
        kept.add(buf, take);
        n -= take;
      }
      return true;
    }

    boolean chunked(Kept kept) throws IOException {
      long total = 0;
      while (true) {
        String sizeLine = line();
        int semi = sizeLine.indexOf(';');
        long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!line().isEmpty()) { } // trailers
          return true;
        }
        total += size;
        if (total > MAX_DRAINED_BODY || !exactly(size, kept)) return false;
        line();
      }
    }

    void untilClose(Kept kept) throws IOException {
      long total = 0;
      while (buf.hasRemaining() || fill()) {
        total += buf.remaining();
        kept.add(buf, buf.remaining());
        if (total > MAX_DRAINED_BODY) return;
      }
    }

    boolean hasLeftover() {
      return buf.hasRemaining();
    }
  }

  private static final class Origin {
    final boolean tls;
    final String host;
    final int port;

    Origin(boolean tls, String host, int port) {
      this.tls = tls;
      this.host = host;
      this.port = port;
    }

    static Origin of(URI url) throws IOException {
      String scheme = url.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IOException("unsupported URL scheme: " + scheme);
      }
      boolean tls = "https".equalsIgnoreCase(scheme);
      String host = url.getHost();
      if (host == null) throw new IOException("URL has no host");
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
      return new Origin(tls, host, port);
    }

    String hostHeader() {
      String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      return (tls && port == 443) || (!tls && port == 80) ? h : h + ":" + port;
    }

    boolean isIpLiteral() {
      if (host.indexOf(':') >= 0) return true;
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if ((c < '0' || c > '9') && c != '.') return false;
      }
      return true;
    }

    @Override public boolean equals(Object o) {
      if (!(o instanceof Origin)) return false;
      Origin that = (Origin) o;
      return tls == that.tls && port == that.port && host.equals(that.host);
    }

    @Override public int hashCode() {
      return host.hashCode() * 31 + port + (tls ? 1 : 0);
    }
  }

  /**
   * One connection: a non-blocking channel and its own selector, so that concurrent flushes on several threads
   * never wait on each other's sockets. Plain; {@link TlsConn} adds an {@link SSLEngine}.
   */
  private static class Conn {
    final Origin origin;
    final SocketChannel channel;
    final Selector selector;
    final SelectionKey key;
    final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    boolean reused;

    Conn(Origin origin, SocketChannel channel, Selector selector, SelectionKey key) {
      this.origin = origin;
      this.channel = channel;
      this.selector = selector;
      this.key = key;
    }

    static Conn open(Origin origin, long deadline, SSLContext tls) throws IOException {
      nanosLeft(deadline);
      // Name resolution is the JDK's blocking resolver (cached for 30 s); everything after it is bounded.
      InetSocketAddress address = new InetSocketAddress(origin.host, origin.port);
      if (address.isUnresolved()) throw new UnknownHostException(origin.host);
      SocketChannel ch = SocketChannel.open();
      Selector sel = null;
      try {
        ch.configureBlocking(false);
        // setOption, not socket(): the socket adaptor costs classes and a lambda at cold start.
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        sel = Selector.open();
        SelectionKey key = ch.register(sel, 0);
        Conn c = origin.tls ? new TlsConn(origin, ch, sel, key, tls) : new Conn(origin, ch, sel, key);
        if (!ch.connect(address)) {
          while (!ch.finishConnect()) c.await(SelectionKey.OP_CONNECT, deadline);
        }
        c.handshake(deadline);
        return c;
      } catch (IOException | RuntimeException e) {
        closeQuietly(ch, sel);
        throw e;
      }
    }

    void handshake(long deadline) throws IOException {}

    /** Waits until {@code op} is ready or the deadline passes (then throws). */
    final void await(int op, long deadline) throws IOException {
      long left = nanosLeft(deadline);
      key.interestOps(op);
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
      selector.selectedKeys().clear();
      key.interestOps(0);
    }

    /** Writes every byte of {@code src} to the socket, or throws. */
    void write(ByteBuffer[] src, long deadline) throws IOException {
      writeRaw(src, deadline);
    }

    /**
     * A small request leaves in one gathering write (one segment); a large one in slices, because the JDK copies
     * the whole remainder of a heap buffer into a temporary direct buffer on every write, which would make a
     * many-megabyte body quadratic.
     */
    final void writeRaw(ByteBuffer[] src, long deadline) throws IOException {
      if (remaining(src) <= WRITE_SLICE) {
        while (remaining(src) > 0) {
          nanosLeft(deadline);
          if (channel.write(src) == 0) await(SelectionKey.OP_WRITE, deadline);
        }
        return;
      }
      for (ByteBuffer b : src) {
        while (b.hasRemaining()) {
          nanosLeft(deadline);
          int limit = b.limit();
          b.limit(Math.min(limit, b.position() + WRITE_SLICE));
          int n;
          try {
            n = channel.write(b);
          } finally {
            b.limit(limit);
          }
          if (n == 0) await(SelectionKey.OP_WRITE, deadline);
        }
      }
    }

    /** Reads at least one byte into {@code dst}, or returns -1 at end of stream. */
    int read(ByteBuffer dst, long deadline) throws IOException {
      return readRaw(dst, deadline);
    }

    final int readRaw(ByteBuffer dst, long deadline) throws IOException {
      while (true) {
        nanosLeft(deadline);
        int n = channel.read(dst);
        if (n != 0) return n;
        await(SelectionKey.OP_READ, deadline);
      }
    }

    /**
     * Whether an idle connection can carry a request: the peer has not closed it and sent nothing unasked. Reads
     * without waiting, before anything is written, so that a dead pooled connection costs nothing but a new one.
     */
    boolean isAlive() {
      try {
        ByteBuffer probe = ByteBuffer.allocate(1);
        return channel.isOpen() && channel.read(probe) == 0;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }

    void close() {
      closeQuietly(channel, selector);
    }

    static long remaining(ByteBuffer[] bufs) {
      long n = 0;
      for (ByteBuffer b : bufs) n += b.remaining();
      return n;
    }

    static void closeQuietly(SocketChannel ch, Selector sel) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
      if (sel != null) {
        try {
          sel.close();
        } catch (IOException ignored) {
          // nothing more to do
        }
      }
    }
  }

  /**
   * TLS over the non-blocking channel: the handshake and every record go through the {@link SSLEngine} on the
   * caller's thread ({@code NEED_TASK} work included), each network wait bounded by the deadline.
   */
  private static final class TlsConn extends Conn {
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
    private final SSLEngine engine;
    private ByteBuffer netIn; // write mode: bytes from the network not yet unwrapped
    private final ByteBuffer netOut; // read mode: wrapped bytes not yet written
    private ByteBuffer appIn; // write mode: plaintext unwrapped, not yet handed to the reader

    TlsConn(Origin origin, SocketChannel ch, Selector sel, SelectionKey key, SSLContext ctx) throws IOException {
      super(origin, ch, sel, key);
      SSLContext context;
      try {
        context = ctx != null ? ctx : SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new SSLException("no default TLS context", e);
      }
      engine = context.createSSLEngine(origin.host, origin.port);
      engine.setUseClientMode(true);
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS"); // verify the host name, as HttpsURLConnection does
      if (!origin.isIpLiteral()) params.setServerNames(java.util.List.of(new SNIHostName(origin.host)));
      engine.setSSLParameters(params);
      int packet = engine.getSession().getPacketBufferSize();
      netIn = ByteBuffer.allocate(packet);
      netOut = ByteBuffer.allocate(packet);
      netOut.flip();
      appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    @Override void handshake(long deadline) throws IOException {
      engine.beginHandshake();
      SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
      while (hs != SSLEngineResult.HandshakeStatus.FINISHED && hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
        nanosLeft(deadline);
        switch (hs) {
          case NEED_WRAP:
            hs = wrap(NOTHING, deadline);
            break;
          case NEED_TASK:
            runTasks();
            hs = engine.getHandshakeStatus();
            break;
          default: // NEED_UNWRAP, NEED_UNWRAP_AGAIN
            hs = unwrap(deadline);
            if (hs == null) throw new SSLException("connection closed during the TLS handshake");
        }
      }
    }

    private void runTasks() {
      for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
    }

    /** Wraps what {@code src} holds (or a handshake message) and writes it out. */
    private SSLEngineResult.HandshakeStatus wrap(ByteBuffer[] src, long deadline) throws IOException {
      netOut.clear();
      SSLEngineResult r = engine.wrap(src, netOut);
      netOut.flip();
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("TLS connection closed");
      if (r.getStatus() != SSLEngineResult.Status.OK) throw new SSLException("TLS wrap: " + r.getStatus());
      writeRaw(new ByteBuffer[] {netOut}, deadline);
      return r.getHandshakeStatus();
    }

    /** Unwraps what {@code netIn} holds into {@code appIn}, without reading from the network. */
    private SSLEngineResult unwrapBuffered() throws javax.net.ssl.SSLException {
      netIn.flip();
      try {
        return engine.unwrap(netIn, appIn);
      } finally {
        netIn.compact();
      }
    }

    /**
     * Unwraps one record into {@code appIn}, reading from the network as needed. Returns the handshake status, or
     * null at end of stream.
     */
    private SSLEngineResult.HandshakeStatus unwrap(long deadline) throws IOException {
      while (true) {
        SSLEngineResult r = unwrapBuffered();
        switch (r.getStatus()) {
          case OK:
            return r.getHandshakeStatus();
          case CLOSED:
            return null;
          case BUFFER_OVERFLOW:
            appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
            break;
          default: // BUFFER_UNDERFLOW: a partial record
            if (netIn.remaining() == 0) netIn = grow(netIn, engine.getSession().getPacketBufferSize());
            if (readRaw(netIn, deadline) < 0) return null;
        }
      }
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity()) + b.capacity());
      b.flip();
      bigger.put(b);
      return bigger;
    }

    @Override void write(ByteBuffer[] src, long deadline) throws IOException {
      while (remaining(src) > 0) {
        nanosLeft(deadline);
        SSLEngineResult.HandshakeStatus hs = wrap(src, deadline);
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
      }
    }

    @Override int read(ByteBuffer dst, long deadline) throws IOException {
      while (appIn.position() == 0) {
        SSLEngineResult.HandshakeStatus hs = unwrap(deadline);
        if (hs == null) return -1;
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
        else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) wrap(NOTHING, deadline); // e.g. a key update
      }
      appIn.flip();
      int n = Math.min(appIn.remaining(), dst.remaining());
      int limit = appIn.limit();
      appIn.limit(appIn.position() + n);
      dst.put(appIn);
      appIn.limit(limit);
      appIn.compact();
      return n;
    }

    /** Alive when nothing arrived since the last response but, perhaps, TLS housekeeping (session tickets). */
    @Override boolean isAlive() {
      try {
        if (!channel.isOpen() || appIn.position() > 0) return false;
        if (channel.read(netIn) < 0) return false;
        while (netIn.position() > 0) {
          SSLEngineResult r = unwrapBuffered();
          if (r.getStatus() == SSLEngineResult.Status.CLOSED || appIn.position() > 0) return false;
          if (r.getStatus() != SSLEngineResult.Status.OK) break; // a partial record: leave it for the next read
          if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
        }
        return true;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }
  }
}
