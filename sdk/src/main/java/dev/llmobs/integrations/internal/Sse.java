package dev.llmobs.integrations.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a server-sent event stream into events as its bytes arrive, in any chunking: the {@code event:} name and
 * the {@code data:} lines (joined by newlines) of each, handed over at the blank line that ends it. Comments and
 * other fields are skipped. Not thread-safe: one reader feeds it.
 */
public final class Sse {
  /** Receives each whole event. */
  public interface Listener {
    void event(String name, String data);
  }

  private final Listener listener;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private boolean lastWasCr;
  private String event;
  private StringBuilder data;

  public Sse(Listener listener) {
    this.listener = listener;
  }

  public void feed(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (c == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = c == '\r';
      if (c == '\n' || c == '\r') lineEnded();
      else line.write(c);
    }
  }

  /** The stream ended: an event not yet closed by a blank line is handed over as it stands. */
  public void end() {
    if (line.size() > 0) lineEnded();
    dispatch();
  }

  private void lineEnded() {
    if (line.size() == 0) {
      dispatch();
      return;
    }
    String l = line.toString(StandardCharsets.UTF_8);
    line.reset();
    int colon = l.indexOf(':');
    String field = colon < 0 ? l : l.substring(0, colon);
    String value = colon < 0 ? "" : l.substring(l.length() > colon + 1 && l.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
    if (field.equals("event")) event = value;
    else if (field.equals("data")) {
      if (data == null) data = new StringBuilder(value);
      else data.append('\n').append(value);
    }
  }

  private void dispatch() {
    if (data != null || event != null) {
      String name = event, d = data == null ? "" : data.toString();
      event = null;
      data = null;
      listener.event(name, d);
    }
  }
}
