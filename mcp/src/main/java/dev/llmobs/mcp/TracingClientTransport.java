package dev.llmobs.mcp;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.TracerHandle;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The client's transport, seen through: each traced request (initialize, tools, resources, prompts) becomes a span
 * when it is sent, with the caller's context written into its {@code params._meta}, and ends when its answer
 * arrives, when sending fails, when the client's request timeout passes without an answer, or when the transport
 * closes. What the client sends and receives is otherwise untouched, and nothing here throws into it.
 */
final class TracingClientTransport implements McpClientTransport {
  static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

  private final McpClientTransport delegate;
  private final Duration timeout;
  private final Map<Object, ClientCall> calls = new ConcurrentHashMap<>();
  /** What {@code initialize} told us of the server, as tags on every later span of this client. */
  volatile Map<String, String> server = Map.of();

  TracingClientTransport(McpClientTransport delegate, Duration timeout) {
    this.delegate = delegate;
    this.timeout = timeout;
  }

  @Override public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(in -> handler.apply(in.doOnNext(this::received)));
  }

  @Override public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCRequest) || !LLMObs.isEnabled()) return delegate.sendMessage(message);
    McpSchema.JSONRPCRequest request = (McpSchema.JSONRPCRequest) message;
    if (ClientCall.operation(request.method()) == null) return delegate.sendMessage(message);
    return Mono.deferContextual(ctx -> {
      ClientCall call = null;
      McpSchema.JSONRPCMessage out = message;
      try {
        Map<String, Object> params = request.params() == null ? Map.of() : delegate.unmarshalFrom(request.params(), MAP);
        call = ClientCall.start(this, request.method(), params, parent(ctx.getOrDefault(McpTransportContext.KEY, null)));
        out = new McpSchema.JSONRPCRequest(request.jsonrpc(), request.method(), request.id(),
            McpMeta.inject(params, call.span));
        track(request.id(), call);
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
        Log.debug("MCP request not traced: " + t);
        if (call != null) call.end(null);
        out = message; // untraced, as the client sent it
      }
      ClientCall started = call;
      return delegate.sendMessage(out).doOnError(e -> {
        if (started != null && calls.remove(request.id(), started)) started.end(e);
      });
    });
  }

  private void track(Object id, ClientCall call) {
    calls.put(id, call);
    String traceId = call.span.context().traceId();
    Runnable forceEnd = () -> {
      if (calls.remove(id, call)) unanswered(call, "no answer from the MCP server before the invocation ended");
    };
    TracerHandle.current().callOpened(call, traceId, false, forceEnd);
    try {
      call.timer = Mono.delay(timeout).subscribe(x -> {
        // Ended before it leaves the map: a close that comes meanwhile finds it, and waits for its end
        // (see ClientCall).
        if (calls.get(id) != call) return;
        call.endWithoutAnswer(timedOut());
        calls.remove(id, call);
      });
    } catch (RuntimeException e) {
      Log.debug("MCP request timer not set: " + e); // the invocation's end still ends the span
    }
  }

  private void received(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCResponse)) return;
    McpSchema.JSONRPCResponse response = (McpSchema.JSONRPCResponse) message;
    ClientCall call = response.id() == null ? null : calls.get(response.id());
    if (call == null) return;
    try {
      Map<String, Object> result = response.result() == null ? null : delegate.unmarshalFrom(response.result(), MAP);
      call.answered(result, response.error());
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      call.end(null);
    } finally {
      calls.remove(response.id(), call); // after its end, as the timer's
    }
  }

  /** The caller's span: the one our context provider captured on the caller's thread, else this thread's. */
  private static LLMObsSpan parent(Object transportContext) {
    if (transportContext instanceof McpTransportContext) {
      Object span = ((McpTransportContext) transportContext).get(LLMObsMcp.CONTEXT_KEY);
      if (span instanceof LLMObsSpan) return (LLMObsSpan) span;
    }
    return LLMObs.currentSpan();
  }

  private void endAll(String why) {
    for (Object id : List.copyOf(calls.keySet())) {
      ClientCall c = calls.remove(id);
      if (c != null) unanswered(c, why);
    }
  }

  /**
   * Ends a call no answer came for. Past the client's request timeout, the timeout is the reason, whichever noticed
   * first: our timer, the invocation's end or the client's close (on a busy machine the caller's own timeout, its
   * close and the invocation's end can all come before our timer runs).
   */
  private void unanswered(ClientCall call, String otherwise) {
    boolean late = System.nanoTime() - call.sentNanos >= timeout.toNanos();
    call.endWithoutAnswer(late ? timedOut() : otherwise);
  }

  private String timedOut() {
    return "no answer from the MCP server within " + timeout.toMillis() + " ms (the client's request timeout)";
  }

  @Override public Mono<Void> closeGracefully() {
    return delegate.closeGracefully().doFinally(s -> endAll("the MCP client closed before the server answered"));
  }

  @Override public void close() {
    try {
      delegate.close();
    } finally {
      endAll("the MCP client closed before the server answered");
    }
  }

  @Override public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}
