package dev.llmobs.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal blocking HTTP/1.1 client for POSTing JSON, with keep-alive connections reused across invocations.
 *
 * <p>Design note: neither JDK client fits. {@code java.net.http.HttpClient} starts a selector thread and costs
 * about 650 ms at cold start; {@code HttpURLConnection} starts a "Keep-Alive-Timer" thread as soon as it pools a
 * connection, and hides when a pooled socket died during a Lambda freeze. Here every byte is sent and read on the
 * caller's thread, each socket timeout is what is left of the caller's budget, and a request on a reused
 * connection that fails before any response byte arrives is sent once more on a fresh one (a socket may be dead
 * after a thaw).
 */
public final class HttpPoster {
  /** Status and the start of the body, kept for error messages. */
  public static final class Response {
    public final int status;
    public final String bodyStart;

    Response(int status, String bodyStart) {
      this.status = status;
      this.bodyStart = bodyStart;
    }
  }

  private static final int KEPT_BODY_BYTES = 512;

  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  private final String userAgent;
  private final SSLSocketFactory tls; // null: the JDK's default, looked up on first TLS use

  public HttpPoster(String userAgent) {
    this(userAgent, null);
  }

  /** With a given TLS socket factory (tests trusting their own certificate); null for the JDK's default. */
  public HttpPoster(String userAgent, SSLSocketFactory tls) {
    this.userAgent = userAgent;
    this.tls = tls;
  }

  /**
   * POSTs {@code body} to {@code url} with the given extra headers (name, value, name, value, ...), giving up when
   * {@code deadlineNanos} (on {@link System#nanoTime()}) passes.
   */
  public Response post(URI url, String[] headers, byte[] body, long deadlineNanos) throws IOException {
    Origin origin = Origin.of(url);
    Conn conn = takeIdle(origin);
    if (conn != null) {
      try {
        return exchange(conn, origin, url, headers, body, deadlineNanos);
      } catch (StaleConnectionException e) {
        conn.close(); // died while idle (e.g. during a freeze): one fresh attempt below
      }
    }
    conn = Conn.open(origin, deadlineNanos, tls);
    try {
      return exchange(conn, origin, url, headers, body, deadlineNanos);
    } catch (StaleConnectionException e) {
      throw e.io;
    }
  }

  /** Closes pooled connections, e.g. before a SnapStart snapshot. */
  public void closeIdle() {
    Conn c;
    while ((c = idle.poll()) != null) c.close();
  }

  private Conn takeIdle(Origin origin) {
    for (java.util.Iterator<Conn> it = idle.iterator(); it.hasNext(); ) {
      Conn c = it.next();
      if (c.origin.equals(origin) && idle.removeFirstOccurrence(c)) {
        if (!c.socket.isClosed()) return c;
      }
    }
    return null;
  }

  private Response exchange(Conn conn, Origin origin, URI url, String[] headers, byte[] body, long deadline)
      throws IOException {
    boolean anyResponseByte = false;
    try {
      conn.socket.setSoTimeout(remainingMillis(deadline));
      StringBuilder head = new StringBuilder(256);
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
      head.append("POST ").append(path).append(" HTTP/1.1\r\n")
          .append("Host: ").append(origin.hostHeader()).append("\r\n")
          .append("User-Agent: ").append(userAgent).append("\r\n")
          .append("Content-Length: ").append(body.length).append("\r\n")
          .append("Connection: keep-alive\r\n");
      for (int i = 0; i + 1 < headers.length; i += 2) {
        head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = conn.socket.getOutputStream();
      byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
      if (body.length <= 64 * 1024) { // one write, one segment: no wait for the peer between head and body
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        out.write(request);
      } else {
        out.write(headBytes);
        out.write(body);
      }
      out.flush();

      InputStream in = conn.in;
      conn.socket.setSoTimeout(remainingMillis(deadline));
      int first = in.read();
      if (first < 0) throw new IOException("connection closed before a response");
      anyResponseByte = true;
      String statusLine = (char) first + readLine(in);
      int status = parseStatus(statusLine);
      long contentLength = -1;
      boolean chunked = false, close = statusLine.startsWith("HTTP/1.0");
      for (String line; !(line = readLine(in)).isEmpty(); ) {
        int colon = line.indexOf(':');
        if (colon <= 0) continue;
        String name = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("content-length")) contentLength = Long.parseLong(value);
        else if (name.equals("transfer-encoding")) chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        else if (name.equals("connection")) close = value.equalsIgnoreCase("close");
      }
      ByteSink kept = new ByteSink();
      if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
        // no body
      } else if (chunked) {
        readChunked(in, kept);
      } else if (contentLength >= 0) {
        readFully(in, contentLength, kept);
      } else {
        readFully(in, Long.MAX_VALUE, kept); // until the peer closes
        close = true;
      }
      if (close) conn.close();
      else {
        conn.reused = true;
        idle.push(conn);
      }
      return new Response(status, kept.toString());
    } catch (IOException | RuntimeException e) {
      conn.close();
      if (!anyResponseByte && conn.reused && !(e instanceof SocketTimeoutException)) {
        throw new StaleConnectionException(e instanceof IOException ? (IOException) e : new IOException(e));
      }
      if (e instanceof IOException) throw (IOException) e;
      throw new IOException("bad HTTP response: " + e.getMessage(), e);
    }
  }

  static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (ms < 1) throw new SocketTimeoutException("flush budget exhausted");
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  private static int parseStatus(String statusLine) throws IOException {
    // HTTP/1.1 202 Accepted
    int sp = statusLine.indexOf(' ');
    if (!statusLine.startsWith("HTTP/") || sp < 0 || statusLine.length() < sp + 4) {
      throw new IOException("not an HTTP response: " + abbreviate(statusLine));
    }
    try {
      return Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP response: " + abbreviate(statusLine));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder(64);
    for (int c; (c = in.read()) >= 0; ) {
      if (c == '\n') {
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') b.setLength(n - 1);
        return b.toString();
      }
      if (b.length() > 16 * 1024) throw new IOException("response header line too long");
      b.append((char) c);
    }
    throw new IOException("connection closed in the response head");
  }

  private static void readFully(InputStream in, long n, ByteSink kept) throws IOException {
    byte[] chunk = new byte[4096];
    while (n > 0) {
      int r = in.read(chunk, 0, (int) Math.min(chunk.length, n));
      if (r < 0) {
        if (n == Long.MAX_VALUE || n < 0) return;
        throw new IOException("connection closed in the response body");
      }
      kept.write(chunk, r);
      if (n != Long.MAX_VALUE) n -= r;
    }
  }

  private static void readChunked(InputStream in, ByteSink kept) throws IOException {
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) { } // trailers
        return;
      }
      readFully(in, size, kept);
      readLine(in);
    }
  }

  /** Keeps the first few hundred bytes of a response body. */
  private static final class ByteSink {
    final byte[] buf = new byte[KEPT_BODY_BYTES];
    int size;

    void write(byte[] b, int n) {
      int take = Math.min(n, buf.length - size);
      System.arraycopy(b, 0, buf, size, take);
      size += take;
    }

    @Override public String toString() {
      return new String(buf, 0, size, StandardCharsets.UTF_8);
    }
  }

  private static final class StaleConnectionException extends IOException {
    private static final long serialVersionUID = 1L;
    final IOException io;

    StaleConnectionException(IOException io) {
      super(io);
      this.io = io;
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

    @Override public boolean equals(Object o) {
      if (!(o instanceof Origin)) return false;
      Origin that = (Origin) o;
      return tls == that.tls && port == that.port && host.equals(that.host);
    }

    @Override public int hashCode() {
      return host.hashCode() * 31 + port + (tls ? 1 : 0);
    }
  }

  private static final class Conn {
    final Origin origin;
    final Socket socket;
    final InputStream in;
    boolean reused;

    private Conn(Origin origin, Socket socket) throws IOException {
      this.origin = origin;
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    static Conn open(Origin origin, long deadline, SSLSocketFactory tls) throws IOException {
      Socket raw = new Socket();
      try {
        raw.setTcpNoDelay(true);
        raw.setKeepAlive(true);
        raw.connect(new InetSocketAddress(origin.host, origin.port), remainingMillis(deadline));
        Socket s = raw;
        if (origin.tls) {
          SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
          SSLSocket ssl = (SSLSocket) factory.createSocket(raw, origin.host, origin.port, true);
          SSLParameters params = ssl.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS"); // verify the host name, as HttpsURLConnection does
          ssl.setSSLParameters(params);
          ssl.setSoTimeout(remainingMillis(deadline));
          ssl.startHandshake();
          s = ssl;
        }
        return new Conn(origin, s);
      } catch (IOException | RuntimeException e) {
        try {
          raw.close();
        } catch (IOException ignored) {
          // nothing more to do
        }
        throw e;
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
