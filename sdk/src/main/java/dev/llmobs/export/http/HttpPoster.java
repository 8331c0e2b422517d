package dev.llmobs.export.http;

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
public final class HttpPoster {

  /** What became of one request. */
  public enum Fate {
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
    UNKNOWN,
    /**
     * The whole request was written and its answer is left to be read later, with {@link #answer}: the caller did
     * not wait for it ({@link #write}).
     */
    WRITTEN
  }

  /**
   * The fate of a request, its status (or -1), a printable description of what went wrong (or null), and, for a
   * {@link #get}, the start of the answer's body.
   */
  public static final class Result {
    public final Fate fate;
    /** The HTTP status, or -1 when no status line arrived. */
    public final int status;
    /** What went wrong, printable and short, or null. */
    public final String problem;
    /** For a {@link #get}, the start of the answer's body. */
    public String body = "";
    /** For a request {@link Fate#WRITTEN}, what {@link #answer} reads its answer with. */
    public Object ticket;

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

  private final ConnectionPool idle = new ConnectionPool();
  private final String userAgent;
  private final SSLContext tls; // null: the JDK's default, looked up on first TLS use

  public HttpPoster(String userAgent) {
    this(userAgent, null);
  }

  /** With a given TLS context (tests trusting their own certificate); null for the JDK's default. */
  public HttpPoster(String userAgent, SSLContext tls) {
    this.userAgent = userAgent;
    this.tls = tls;
  }

  /**
   * POSTs {@code body} to {@code url} with the given extra headers (name, value, name, value, ...), giving up when
   * {@code deadlineNanos} (on {@link System#nanoTime()}) passes. A pooled connection is used when one is alive;
   * one that died while idle (a Lambda freeze, a proxy's idle timeout) is found before anything is written to it.
   */
  public Result post(URI url, String[] headers, byte[] body, long deadlineNanos) {
    return request("POST", url, headers, body, deadlineNanos, KEPT_BODY_BYTES);
  }

  /** GETs {@code url} (the agent's {@code /info}), keeping up to 64 KiB of the answer's body. Never throws. */
  public Result get(URI url, long deadlineNanos) {
    return request("GET", url, new String[0], null, deadlineNanos, 64 * 1024);
  }

  /**
   * Writes a POST to a host on this machine and returns without its answer ({@link Fate#WRITTEN}, with a ticket for
   * {@link #answer}); the connection waits with the answer, out of the pool. A request that could not be written whole
   * has the fate {@link #post} would give it. A host elsewhere is not written to so: its request is {@link #post}ed.
   */
  public Result write(URI url, String[] headers, byte[] body, long deadlineNanos) {
    Origin origin;
    try {
      origin = Origin.of(url);
    } catch (IOException e) {
      return new Result(Fate.REFUSED, -1, e.getMessage());
    }
    if (!origin.isLocal()) return post(url, headers, body, deadlineNanos);
    Conn conn;
    try {
      conn = connection(origin, deadlineNanos);
    } catch (IOException | RuntimeException e) {
      return new Result(Fate.NOT_TAKEN, -1, describe(e));
    }
    try {
      conn.write(request("POST", conn.origin, url, headers, body), deadlineNanos);
    } catch (IOException | RuntimeException e) {
      conn.close();
      return new Result(Fate.NOT_TAKEN, -1, describe(e));
    }
    Result r = new Result(Fate.WRITTEN, -1, null);
    r.ticket = conn;
    return r;
  }

  /**
   * Reads the answer to a request {@link #write} left behind, before {@code deadlineNanos}; its fate as {@link #post}
   * would have told it, or {@link Fate#UNKNOWN} when none came in time. Never throws.
   */
  public Result answer(Object ticket, long deadlineNanos) {
    return answer((Conn) ticket, deadlineNanos, KEPT_BODY_BYTES);
  }

  /** Whether {@code url} names a host on this machine (a loopback address or {@code localhost}). */
  public static boolean isLocal(URI url) {
    try {
      return Origin.of(url).isLocal();
    } catch (IOException e) {
      return false;
    }
  }

  /** A pooled connection to {@code origin} that is alive, or a new one. */
  private Conn connection(Origin origin, long deadlineNanos) throws IOException {
    Conn conn = idle.take(origin);
    return conn != null ? conn : Conn.open(origin, deadlineNanos, tls);
  }

  private Result request(String method, URI url, String[] headers, byte[] body, long deadlineNanos, int keep) {
    Origin origin;
    try {
      origin = Origin.of(url);
    } catch (IOException e) {
      return new Result(Fate.REFUSED, -1, e.getMessage());
    }
    Conn conn;
    try {
      conn = connection(origin, deadlineNanos);
    } catch (IOException | RuntimeException e) {
      return new Result(Fate.NOT_TAKEN, -1, describe(e));
    }
    return exchange(conn, method, url, headers, body, deadlineNanos, keep);
  }

  /**
   * At Init, what the first request to {@code url} would do first, sending nothing: to a host on this machine (the
   * Datadog extension or agent, a collector beside the function) a connection is opened and pooled; to another, the
   * socket and, for TLS, the engine's classes are loaded. Within {@code deadlineNanos}; a failure leaves it all to
   * the first request. Never throws.
   */
  public void prepare(URI url, long deadlineNanos) {
    try {
      Origin origin = Origin.of(url);
      if (origin.isLocal()) {
        idle.put(connection(origin, deadlineNanos));
        return;
      }
      java.nio.channels.SocketChannel.open().close();
      java.nio.channels.Selector.open().close();
      if (origin.tls) (tls != null ? tls : SSLContext.getDefault()).createSSLEngine(origin.host, origin.port);
    } catch (IOException | RuntimeException | java.security.NoSuchAlgorithmException e) {
      // the first request does it, within its own budget
    }
  }

  /** Closes pooled connections, e.g. before a SnapStart snapshot. */
  public void closeIdle() {
    idle.closeAll();
  }

  private ByteBuffer[] request(String method, Origin origin, URI url, String[] headers, byte[] body) {
    return body == null ? new ByteBuffer[] {ByteBuffer.wrap(head(method, origin, url, headers, -1))}
        : new ByteBuffer[] {ByteBuffer.wrap(head(method, origin, url, headers, body.length)), ByteBuffer.wrap(body)};
  }

  private Result exchange(Conn conn, String method, URI url, String[] headers, byte[] body, long deadline, int keep) {
    try {
      conn.write(request(method, conn.origin, url, headers, body), deadline);
    } catch (IOException | RuntimeException e) {
      conn.close();
      // Not all of the request left: the peer cannot hold a complete request (its length is in the head).
      return new Result(Fate.NOT_TAKEN, -1, describe(e));
    }
    return answer(conn, deadline, keep);
  }

  /** Reads the answer to the request last written on {@code conn}, then pools or closes it. Never throws. */
  private Result answer(Conn conn, long deadline, int keep) {
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
      ResponseReader.Kept kept = new ResponseReader.Kept(keep);
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
        idle.put(conn);
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

}
