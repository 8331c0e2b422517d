package dev.llmobs.testing;

import dev.llmobs.internal.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Collects the SDK's log lines for assertions. */
public final class LogCapture implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Consumer<String> previous;

  public LogCapture() {
    previous = Log.redirect(lines::add);
  }

  public List<String> lines() {
    return lines;
  }

  public boolean contains(String fragment) {
    for (String l : lines) if (l.contains(fragment)) return true;
    return false;
  }

  public String all() {
    return String.join("\n", lines);
  }

  @Override public void close() {
    Log.redirect(previous);
  }
}
