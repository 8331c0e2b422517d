package dev.llmobs.internal;

/**
 * What the integrations (Bedrock, LangChain4j, the Lambda wrapper) may ask of the tracer at work, and the one way they
 * reach it: its switches, the calls whose spans end on other threads, an invocation's boundaries, and the SnapStart
 * hooks. The SDK installs a new handle with every configuration it makes, so nothing of an old one survives. Not
 * for use outside llmobs-lambda.
 */
public abstract class TracerHandle {
  private static volatile TracerHandle current = new TracerHandle() {}; // off until the SDK installs its own

  protected TracerHandle() {}

  /** The handle of the tracer at work; one that does nothing before the SDK's first use and when it is off. */
  public static TracerHandle current() {
    return current;
  }

  /** Installed by the SDK's entry point each time it makes a tracer. */
  public static void install(TracerHandle handle) {
    current = handle;
  }

  /** Amazon Bedrock calls through the AWS SDK v2 become spans ({@code LLMOBS_BEDROCK_ENABLED}). */
  public boolean bedrock() {
    return false;
  }

  /**
   * Whether content may be recorded ({@code LLMOBS_CAPTURE_IO}): spans drop input and output themselves; an
   * integration asks this before putting content in metadata (an agent's rationale, a guardrail's assessments).
   */
  public boolean captureIo() {
    return true;
  }

  /**
   * This process's own ml_app ({@code DD_LLMOBS_ML_APP}, else the service...), or null while tracing is off: for a
   * span that serves another service's request and belongs to this one (an MCP server's tool call), where a
   * propagated ml_app would otherwise win.
   */
  public String mlApp() {
    return null;
  }

  /**
   * Makes {@code span} (one of ours) current on this thread, above whatever is current, until {@link #exitSpan}: for
   * a framework that opens and closes its own scopes (Micrometer observations), so that spans started inside nest
   * under it. Returns what to give {@link #exitSpan}; null when {@code span} is not ours.
   */
  public Object enterSpan(Object span) {
    return null;
  }

  /** Puts back what was current before {@link #enterSpan}. */
  public void exitSpan(Object mark) {}

  /** LangChain4j AI Services traced without code ({@code LLMOBS_LANGCHAIN4J_ENABLED}). */
  public boolean langchain4j() {
    return false;
  }

  /**
   * The span's work ran from {@code startEpochNanos} for {@code durationNanos}, as the service that did it reports
   * (an agent's step): its {@code finish()} keeps these instead of our clock's. Anything but our span is left alone.
   */
  public void reportTimes(Object span, long startEpochNanos, long durationNanos) {}

  /** The span's work ended now; its {@code finish()}, later, keeps this end. Anything but our span is left alone. */
  public void markEnd(Object span) {}

  /**
   * A call of trace {@code traceId} whose span ends elsewhere (a Bedrock stream, an AI Service's token stream).
   * When its invocation ends while it is open, {@code forceEnd} ends it as it is; with {@code awaited}, only after a
   * bounded wait for it to end by itself.
   */
  public void callOpened(Object call, String traceId, boolean awaited, Runnable forceEnd) {}

  /** The call ended by itself. */
  public void callEnded(Object call) {}

  /**
   * Gives the open calls of trace {@code traceId} until {@code deadlineNanos} to end by themselves (those opened as
   * awaited), then ends what is still open as it is. Returns how many were ended so.
   */
  public int endCalls(String traceId, long deadlineNanos) {
    return 0;
  }

  /** An invocation starts on this thread: returns what {@link #endInvocation} needs to undo it. */
  public Object enterInvocation() {
    return null;
  }

  /**
   * The invocation whose root span is {@code root} ends on this thread, before its root finishes: its open calls are
   * ended ({@link #endCalls}, until {@code waitDeadlineNanos}); the spans it left open are finished as not
   * closed by the user; and the thread's current span is again what it was at {@link #enterInvocation}.
   */
  public void endInvocation(Object mark, Object root, long waitDeadlineNanos) {}

  /**
   * At the function's Init, before any invocation: do now, within {@code deadlineNanos}, what the first flush would
   * otherwise do (load the encoder and the socket or TLS classes, connect to a local agent and ask its route), so
   * the first invocation does not pay for it. Nothing is sent; a failure only leaves the work to the first flush.
   */
  public void prepare(long deadlineNanos) {}

  /** Before a SnapStart snapshot: pooled connections would be dead in every restored copy. */
  public void beforeCheckpoint() {}

  /** After a SnapStart restore: ids reseeded, connections dropped. */
  public void afterRestore() {
    Ids.reseed();
  }
}
