package dev.llmobs.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf reader over one message, for the few OTLP fields the intake reads: {@link #next} steps to each field;
 * varints and fixed-width values land in {@code value}, a length-delimited field is read with {@link #message},
 * {@link #bytes} or {@link #string}. Malformed input is an {@code IOException}, never a loop or an overrun.
 */
final class ProtoWire {
  private final byte[] b;
  private int pos;
  private final int end;
  int field, type, start, length;
  long value;

  ProtoWire(byte[] b) {
    this(b, 0, b.length);
  }

  private ProtoWire(byte[] b, int from, int to) {
    this.b = b;
    this.pos = from;
    this.end = to;
  }

  boolean next() throws IOException {
    if (pos >= end) return false;
    long key = varint();
    field = (int) (key >>> 3);
    type = (int) (key & 7);
    switch (type) {
      case 0: value = varint(); break;
      case 1: value = fixed(8); break;
      case 5: value = fixed(4); break;
      case 2:
        length = (int) varint();
        if (length < 0 || pos + length > end) throw new IOException("protobuf: a field runs past its message");
        start = pos;
        pos += length;
        break;
      default: throw new IOException("protobuf: unsupported wire type " + type);
    }
    return true;
  }

  ProtoWire message() {
    return new ProtoWire(b, start, start + length);
  }

  byte[] bytes() {
    return java.util.Arrays.copyOfRange(b, start, start + length);
  }

  String string() {
    return new String(b, start, length, StandardCharsets.UTF_8);
  }

  private long varint() throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) throw new IOException("protobuf: truncated varint");
      byte x = b[pos++];
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0) return result;
    }
    throw new IOException("protobuf: malformed varint");
  }

  private long fixed(int n) throws IOException {
    if (pos + n > end) throw new IOException("protobuf: truncated fixed field");
    long r = 0;
    for (int i = 0; i < n; i++) r |= (b[pos++] & 0xffL) << (8 * i);
    return r;
  }
}
