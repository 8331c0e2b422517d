package dev.llmobs.export.http;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Idle kept-alive connections, newest first. A connection is checked before it is handed out: one that died while
 * idle (a Lambda freeze, a proxy's idle timeout) is closed and skipped, before anything is written to it.
 */
final class ConnectionPool {
  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();

  /** A live idle connection to {@code origin}, taken out of the pool, or null. */
  Conn take(Origin origin) {
    for (Iterator<Conn> it = idle.iterator(); it.hasNext(); ) {
      Conn c = it.next();
      if (c.origin.equals(origin) && idle.removeFirstOccurrence(c)) {
        if (c.isAlive()) return c;
        c.close();
      }
    }
    return null;
  }

  void put(Conn c) {
    idle.push(c);
  }

  void closeAll() {
    Conn c;
    while ((c = idle.poll()) != null) c.close();
  }
}
