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
