package dev.llmobs.export.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over the non-blocking channel: the handshake and every record go through the {@link SSLEngine} on the
 * caller's thread ({@code NEED_TASK} work included), each network wait bounded by the deadline.
 */
final class TlsConn extends Conn {
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
