package dev.llmobs.export.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One connection: a non-blocking channel and its own selector, so that concurrent flushes on several threads
 * never wait on each other's sockets. Plain; {@link TlsConn} adds an {@link SSLEngine}.
 */
class Conn {
  /** A request larger than this is written in slices of this size: see {@link #writeRaw}. */
  static final int WRITE_SLICE = 256 * 1024;

  final Origin origin;
  final SocketChannel channel;
  final Selector selector;
  final SelectionKey key;
  final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
  boolean reused;
  /** Set by a write, cleared by the first read after it: see {@link #readRaw}. */
  private boolean answerPending;

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

  /**
   * Waits until {@code op} is ready or the deadline passes (then throws). The interest stays set afterwards: the
   * selector is asked only here, and a change costs it a system call at the next select, so a flush that waits for
   * its answer as the last one did pays none.
   */
  final void await(int op, long deadline) throws IOException {
    long left = nanosLeft(deadline);
    if (key.interestOps() != op) key.interestOps(op);
    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
    selector.selectedKeys().clear();
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
    answerPending = true;
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
    if (answerPending) { // the peer has just been written to: its answer cannot be here yet, so wait before reading
      answerPending = false;
      await(SelectionKey.OP_READ, deadline);
    }
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
      return channel.isOpen() && channel.read(readBuffer.clear().limit(1)) == 0;
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
}
