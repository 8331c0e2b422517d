package dev.llmobs.export.http;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Idle kept-alive connections, newest first. A connection is checked before it is handed out: one that died while
 * idle (a Lambda freeze, a proxy's idle timeout) is closed and skipped, before anything is written to it. A plain
 * deque under a lock: it holds a connection or two, and is taken from once a flush.
 */
final class ConnectionPool {
  private final ArrayDeque<Conn> idle = new ArrayDeque<>(); // guarded by this

  /** A live idle connection to {@code origin}, taken out of the pool, or null. */
  Conn take(Origin origin) {
    Conn c;
    while ((c = remove(origin)) != null) {
      if (c.isAlive()) return c;
      c.close();
    }
    return null;
  }

  private synchronized Conn remove(Origin origin) {
    for (Iterator<Conn> it = idle.iterator(); it.hasNext(); ) {
      Conn c = it.next();
      if (c.origin.equals(origin)) {
        it.remove();
        return c;
      }
    }
    return null;
  }

  synchronized void put(Conn c) {
    idle.push(c);
  }

  void closeAll() {
    Conn c;
    while ((c = poll()) != null) c.close();
  }

  private synchronized Conn poll() {
    return idle.poll();
  }
}
