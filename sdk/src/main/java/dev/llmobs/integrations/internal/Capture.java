package dev.llmobs.integrations.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Bytes kept as they pass, up to {@link TappedCall#MAX_CAPTURE}; beyond, only counted. One writer at a time. */
final class Capture {
  private byte[] buf = new byte[512];
  private int size;
  private long dropped;

  synchronized void add(byte[] b, int off, int len) {
    if (len <= 0) return;
    int room = TappedCall.MAX_CAPTURE - size;
    if (dropped > 0 || len > room) {
      dropped += len;
      return;
    }
    if (size + len > buf.length) buf = Arrays.copyOf(buf, Math.max(size + len, Math.min(buf.length * 2, TappedCall.MAX_CAPTURE)));
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** Starts over: the client writes the body again (a connection retried underneath). */
  synchronized void reset() {
    size = 0;
    dropped = 0;
  }

  synchronized int size() {
    return size;
  }

  synchronized long dropped() {
    return dropped;
  }

  synchronized long total() {
    return size + dropped;
  }

  synchronized byte[] bytes() {
    return size == buf.length ? buf : Arrays.copyOf(buf, size);
  }

  synchronized String text() {
    return new String(buf, 0, size, StandardCharsets.UTF_8);
  }
}
