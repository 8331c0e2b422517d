package dev.llmobs.integrations.internal;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.TracerHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a client's proxy and its HTTP transport meet. The proxy opens a call on the caller's thread (so its span has
 * the caller's parent, and its end is the caller's) and names it in a request header; the transport, which sees
 * every attempt on whatever thread the client uses, finds the call by that header, takes the header off, and keeps
 * what passes. A request that comes with no header (a method the proxy does not know) is a call of its own, ended
 * by its response. Not for use outside llmobs-lambda.
 */
public final class Tap {
  /** The header naming the call; it never leaves the process. */
  public static final String HEADER = "X-LLMObs-Call";

  private static final Map<String, TappedCall> open = new ConcurrentHashMap<>();
  private static final AtomicLong ids = new AtomicLong();

  private Tap() {}

  /**
   * A call starts on the caller's thread, under its current span. {@code async}: it answers through a future, so it
   * is named in a header (a synchronous one is named by its thread), and an invocation that ends while it is open
   * waits for it a little (the future may still complete).
   */
  static TappedCall open(Operation op, boolean proxied, boolean streaming, boolean async) {
    TracerHandle tracer = TracerHandle.current();
    LLMObsSpan span = LLMObs.span(op.kind, op.spanName).parent(LLMObs.currentSpan()).modelName("unknown").startDetached();
    String id = proxied && async ? Long.toString(ids.incrementAndGet()) : null;
    TappedCall call = new TappedCall(span, tracer, op, proxied, streaming, id);
    if (id != null) open.put(id, call);
    tracer.callOpened(call, span.context().traceId(), async, call.forceEnd());
    return call;
  }

  /**
   * The synchronous call this thread is in: the SDK sends its attempts on the caller's thread, so the call is named
   * to the transport here, without a header (and without rebuilding the user's parameters to carry one).
   */
  private static final ThreadLocal<TappedCall> CALLING = new ThreadLocal<>();

  /** {@code call} is this thread's until {@link #leave}; returns the one it replaces (a call inside a call). */
  static TappedCall enter(TappedCall call) {
    TappedCall before = CALLING.get();
    CALLING.set(call);
    return before;
  }

  static void leave(TappedCall before) {
    if (before == null) CALLING.remove();
    else CALLING.set(before);
  }

  static void closed(TappedCall call) {
    if (call.id != null) open.remove(call.id);
  }

  /**
   * An attempt the transport is about to send: the exchange that keeps what passes, or null when the request is not a
   * model call. Never throws.
   */
  public static Exchange attempt(Protocol protocol, String callId, String method, String url) {
    return attempt(protocol, callId, method, url, null);
  }

  /** The same, for a transport that knows the provider better than the URL can tell (null: by the URL). */
  public static Exchange attempt(Protocol protocol, String callId, String method, String url, String provider) {
    try {
      TappedCall call = callId != null ? open.get(callId) : null;
      if (callId == null) { // a synchronous call on this thread: only a model request of it is one of its attempts
        TappedCall calling = CALLING.get();
        if (calling != null && !calling.ended() && protocol.ofRequest(method, url) != null) call = calling;
      }
      boolean own = call == null; // a call of the transport's own, ended by its answer
      if (own) {
        if (!LLMObs.isEnabled()) return null;
        Operation op = protocol.ofRequest(method, url);
        if (op == null) return null;
        call = open(op, false, false, false);
      }
      if (!call.span.isRecording()) { // a sampled-out trace: nothing of it is kept, so nothing is read
        if (own) call.end(null); // no answer will end it; a proxy's call is ended by its proxy
        return null;
      }
      call.sentTo(url, provider);
      call.attemptStarted();
      return new Exchange(call, call.attempt());
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug(protocol.sdk() + " request not recorded: " + t);
      return null;
    }
  }
}
