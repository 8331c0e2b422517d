package dev.llmobs.export;

import dev.llmobs.internal.Log;
import dev.llmobs.internal.json.JsonWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes each event as one JSON line, on stdout or appended to a file: the embedded default, so that a developer
 * sees spans with no Datadog account. A span line is one element of the span request array; an evaluation line is
 * a complete evaluation request body holding one metric.
 */
final class StreamSink implements Sink {

  private final String file; // null = stdout

  private StreamSink(String file) {
    this.file = file;
  }

  static StreamSink stdout() {
    return new StreamSink(null);
  }

  static StreamSink file(String path) {
    return new StreamSink(path);
  }

  @Override public int maxRequestBytes() {
    return Integer.MAX_VALUE - 16;
  }

  @Override public Outcome send(Kind kind, List<byte[]> events, long deadlineNanos) {
    if (events.isEmpty()) return Outcome.NOTHING;
    JsonWriter lines = new JsonWriter(1024);
    for (byte[] e : events) {
      if (kind == Kind.EVALUATIONS) lines.raw(kind.head).raw(e).raw(kind.tail); // each line a complete request body
      else lines.raw(e);
      lines.raw('\n');
    }
    byte[] bytes = lines.toByteArray();
    try {
      if (file == null) {
        PrintStream out = System.out; // read each time: the Lambda runtime replaces it
        synchronized (out) {
          out.write(bytes, 0, bytes.length);
          out.flush();
          if (out.checkError()) throw new IOException("stdout refused the write"); // PrintStream never throws
        }
      } else {
        synchronized (StreamSink.class) {
          try (OutputStream out = new FileOutputStream(file, true)) {
            out.write(bytes);
          }
        }
      }
      return new Outcome(events.size(), List.of(), 0, 0, false);
    } catch (IOException | RuntimeException e) {
      Log.warn("could not write " + events.size() + " events to " + (file == null ? "stdout" : file) + ": " + e);
      return new Outcome(0, new ArrayList<>(events), 0, 0, false);
    }
  }
}
