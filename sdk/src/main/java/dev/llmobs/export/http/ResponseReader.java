package dev.llmobs.export.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads one response from a connection, every wait bounded by the deadline. */
final class ResponseReader {
  /** A response body larger than this is not read to its end: the connection is closed instead. */
  private static final long MAX_DRAINED_BODY = 1 << 20;

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

  /**
   * One line of the response head, without its line end. Scans the buffer's array and makes the text with the JDK's
   * own code: no call per byte, which is what costs while this still runs interpreted.
   */
  String line() throws IOException {
    StringBuilder partial = null;
    while (true) {
      if (!buf.hasRemaining() && !fill()) throw new IOException("connection closed in the response head");
      byte[] a = buf.array();
      int off = buf.arrayOffset(), from = buf.position(), limit = buf.limit(), i = from;
      while (i < limit && a[off + i] != '\n') i++;
      String chunk = new String(a, off + from, i - from, StandardCharsets.ISO_8859_1);
      if (i < limit) {
        buf.position(i + 1);
        String line = partial == null ? chunk : partial.append(chunk).toString();
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      }
      buf.position(limit);
      partial = (partial == null ? new StringBuilder(128) : partial).append(chunk);
      if (partial.length() >= 8 * 1024) throw new IOException("response header line too long");
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

  /** The first bytes of a response body, kept for the log line. */
  static final class Kept {
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
}
