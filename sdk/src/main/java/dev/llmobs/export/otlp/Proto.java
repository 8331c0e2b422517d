package dev.llmobs.export.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protobuf wire format, as much of it as OTLP needs: varints, fixed64, length-delimited fields and nested
 * messages, written into a growing array. Not thread-safe; one message at a time.
 */
final class Proto {
  static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

  private byte[] buf;
  private int size;

  Proto(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
  }

  Proto raw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  Proto raw(byte[] b) {
    return raw(b, 0, b.length);
  }

  Proto varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
    return this;
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  Proto tag(int field, int wireType) {
    return varint(((long) field << 3) | wireType);
  }

  Proto uint(int field, long v) {
    return tag(field, VARINT).varint(v);
  }

  Proto fixed64(int field, long v) {
    tag(field, FIXED64);
    ensure(8);
    for (int i = 0; i < 8; i++) buf[size++] = (byte) (v >>> (8 * i));
    return this;
  }

  Proto dbl(int field, double v) {
    return fixed64(field, Double.doubleToRawLongBits(v));
  }

  Proto bytes(int field, byte[] b) {
    tag(field, LEN).varint(b.length);
    return raw(b);
  }

  Proto string(int field, String s) {
    return bytes(field, (s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
  }

  Proto message(int field, Proto m) {
    tag(field, LEN).varint(m.size);
    return raw(m.buf, 0, m.size);
  }

  /** Bytes of lower-case hex ({@code 32} digits: a trace id; {@code 16}: a span id). */
  static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((Character.digit(hex.charAt(2 * i), 16) << 4) | Character.digit(hex.charAt(2 * i + 1), 16));
    }
    return out;
  }
}
