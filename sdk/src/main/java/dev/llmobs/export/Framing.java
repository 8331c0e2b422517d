package dev.llmobs.export;

import java.util.List;

/**
 * How a request body wraps its events: JSON's envelope with commas between them (Datadog's, OTLP/JSON), or
 * protobuf's nested messages, whose lengths are known only once the batch is. The sink packs batches by it.
 */
public interface Framing {
  /** Bytes a body adds around its events, at most. */
  int overhead();

  /** Bytes an event of {@code length} adds to a body, at most ({@code first}: the body's first event). */
  int size(int length, boolean first);

  /** One request body holding {@code events}. */
  byte[] pack(List<byte[]> events);

  /** {@code head}, the events separated by commas, {@code tail}. */
  static Framing json(byte[] head, byte[] tail) {
    return new Framing() {
      @Override public int overhead() {
        return head.length + tail.length;
      }

      @Override public int size(int length, boolean first) {
        return length + (first ? 0 : 1);
      }

      @Override public byte[] pack(List<byte[]> events) {
        return Sink.Kind.pack(head, events, tail);
      }
    };
  }
}
