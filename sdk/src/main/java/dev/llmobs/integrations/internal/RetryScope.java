package dev.llmobs.integrations.internal;

import dev.llmobs.LLMObsSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * A framework's model call that retries beneath its own listeners (LangChain4j's {@code maxRetries}): the model calls
 * our taps record on this thread while it is open are its attempts, and the framework's span says how many there
 * were and what failed, as our model call spans record the retries of an SDK. Not for use outside llmobs-lambda.
 */
public final class RetryScope {
  private static final ThreadLocal<RetryScope> CURRENT = new ThreadLocal<>();

  private int calls;
  private final List<String> failures = new ArrayList<>();
  private boolean closed;

  private RetryScope() {}

  /** Opens a scope on this thread (replacing one a streaming call left behind on it). */
  public static RetryScope enter() {
    RetryScope s = new RetryScope();
    CURRENT.set(s);
    return s;
  }

  /** The open scope on this thread, if any. */
  static RetryScope current() {
    RetryScope s = CURRENT.get();
    if (s == null) return null;
    synchronized (s) {
      if (!s.closed) return s;
    }
    CURRENT.remove();
    return null;
  }

  synchronized void callStarted() {
    if (!closed) calls++;
  }

  synchronized void callFailed(Throwable error) {
    if (closed) return;
    String type = error instanceof ModelCall.StreamError ? ((ModelCall.StreamError) error).type : error.getClass().getSimpleName();
    failures.add(error.getMessage() == null ? type : type + ": " + ModelCall.clip(error.getMessage()));
  }

  /**
   * Closes the scope and, when more than one call ran in it, writes {@code attempts} and {@code retried_errors} (the
   * failures before the last call) to the framework's span.
   */
  public void close(LLMObsSpan span) {
    int n;
    List<String> retried;
    synchronized (this) {
      if (closed) return;
      closed = true;
      n = calls;
      retried = List.copyOf(failures.subList(0, Math.min(failures.size(), Math.max(0, n - 1))));
    }
    if (CURRENT.get() == this) CURRENT.remove();
    if (n > 1 && span != null) span.metadata("attempts", n).metadata("retried_errors", retried);
  }
}
