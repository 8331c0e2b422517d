package dev.llmobs.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.guardrail.GuardrailResult;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.observability.api.event.AiServiceCompletedEvent;
import dev.langchain4j.observability.api.event.AiServiceErrorEvent;
import dev.langchain4j.observability.api.event.AiServiceEvent;
import dev.langchain4j.observability.api.event.AiServiceRequestIssuedEvent;
import dev.langchain4j.observability.api.event.AiServiceResponseReceivedEvent;
import dev.langchain4j.observability.api.event.AiServiceStartedEvent;
import dev.langchain4j.observability.api.event.GuardrailExecutedEvent;
import dev.langchain4j.observability.api.event.ToolExecutedEvent;
import dev.langchain4j.observability.api.listener.AiServiceCompletedListener;
import dev.langchain4j.observability.api.listener.AiServiceErrorListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.observability.api.listener.AiServiceRequestIssuedListener;
import dev.langchain4j.observability.api.listener.AiServiceResponseReceivedListener;
import dev.langchain4j.observability.api.listener.AiServiceStartedListener;
import dev.langchain4j.observability.api.listener.InputGuardrailExecutedListener;
import dev.langchain4j.observability.api.listener.OutputGuardrailExecutedListener;
import dev.langchain4j.observability.api.listener.ToolExecutedEventListener;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.TracerHandle;
import dev.llmobs.langchain4j.internal.TracingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * An AI Service invocation as an {@code agent} span, from LangChain4j's AI Service events: started current on the
 * caller's thread, so that the model calls the service makes nest inside it; each tool execution a {@code tool} span
 * in it; guardrail outcomes as its tags. Invocations are told apart by LangChain4j's invocation id, so parallel calls
 * on several threads, and services that complete on another thread, keep their own spans.
 *
 * <p>A tool's span must last as long as the tool ran, but LangChain4j reports a tool only once it has run. So the
 * span of the first tool the model asked for starts when the model's response arrives (the tools run right after),
 * and each next one when the one before it ends: LangChain4j runs them in turn unless told to run them concurrently,
 * in which case the later ones are shown shorter than they were. Whether a tool failed LangChain4j says only in the next
 * model request (by default a tool's exception goes back to the model as its result, marked as an error): so a tool's
 * span notes its end when the tool returns, and finishes, with the error if any, at the next request or when the
 * invocation ends.
 */
final class AiServiceTracing {
  /** Invocations open at once, at most: one whose end never comes (a TokenStream never started) must not pile up. */
  static final int MAX_OPEN = 1024;

  private final boolean sessionFromMemoryId;
  private final Map<UUID, Invocation> open = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
    @Override protected boolean removeEldestEntry(Map.Entry<UUID, Invocation> eldest) {
      if (size() <= MAX_OPEN) return false;
      eldest.getValue().tracer.callEnded(eldest.getValue());
      eldest.getValue().abandon("more than " + MAX_OPEN + " AI Service invocations open");
      return true;
    }
  });

  /** One invocation: its agent span, and its tools, the running one and those the model asked for after it. */
  private static final class Invocation {
    final LLMObsSpan agent;
    final String name;
    /** The tracer it was opened with, told when it ends. */
    final TracerHandle tracer = TracerHandle.current();
    // Guarded by this.
    private final java.util.ArrayDeque<ToolExecutionRequest> waiting = new java.util.ArrayDeque<>();
    private ToolExecutionRequest runningRequest;
    private LLMObsSpan running;
    /**
     * Tools that returned, with their requests, waiting for the next request to say whether they failed. A list: two
     * calls of one tool with the same arguments and no ids are equal requests, and each has its span.
     */
    private final List<Map.Entry<ToolExecutionRequest, LLMObsSpan>> returned = new ArrayList<>();

    Invocation(LLMObsSpan agent, String name) {
      this.agent = agent;
      this.name = name;
    }

    synchronized void asked(List<ToolExecutionRequest> requests) {
      waiting.addAll(requests);
      startNext();
    }

    /** A tool returned: its span notes the end now and waits for the verdict. */
    synchronized void returned(ToolExecutionRequest request, LLMObsSpan span) {
      tracer.markEnd(span);
      returned.add(new java.util.AbstractMap.SimpleImmutableEntry<>(request, span));
    }

    /**
     * The model is asked again: the tool results it is sent say which tools failed. Every tool that returned
     * finishes, in error if its result is one.
     */
    synchronized void verdicts(List<ChatMessage> messages) {
      if (returned.isEmpty()) return;
      for (ChatMessage m : messages) {
        if (!(m instanceof ToolExecutionResultMessage)) continue;
        ToolExecutionResultMessage result = (ToolExecutionResultMessage) m;
        if (!Boolean.TRUE.equals(result.isError())) continue;
        for (Map.Entry<ToolExecutionRequest, LLMObsSpan> e : returned) {
          ToolExecutionRequest r = e.getKey();
          boolean match = r.id() != null ? r.id().equals(result.id()) : java.util.Objects.equals(r.name(), result.toolName());
          if (match) e.getValue().error("ToolExecutionError", result.text());
        }
      }
      finishReturned();
    }

    private void finishReturned() {
      for (Map.Entry<ToolExecutionRequest, LLMObsSpan> e : returned) e.getValue().finish();
      returned.clear();
    }

    /** The span of a tool that has run: the one started for it, else one started now. */
    synchronized LLMObsSpan ran(ToolExecutionRequest request) {
      LLMObsSpan span;
      if (running != null && same(runningRequest, request)) {
        span = running;
        running = null;
        runningRequest = null;
      } else {
        waiting.removeIf(w -> same(w, request));
        span = LLMObs.span(SpanKind.TOOL, request.name()).parent(agent).startDetached();
      }
      startNext();
      return span;
    }

    private void startNext() {
      if (running != null || waiting.isEmpty()) return;
      runningRequest = waiting.poll();
      running = LLMObs.span(SpanKind.TOOL, runningRequest.name()).parent(agent).startDetached();
    }

    /** The invocation ended: tools that returned finish; a tool span still open (asked for, never reported) ends, said so. */
    synchronized void end(Throwable error) {
      finishReturned();
      if (running != null) {
        running.metadata("not_reported", true);
        SpanAttributes.fail(running, error);
        running = null;
      }
      waiting.clear();
    }

    /** Its end will never be heard (its token stream was never started, say): its spans end now, marked so. */
    void abandon(String why) {
      dev.llmobs.internal.Log.warn("LangChain4j: AI Service invocation " + name + " never completed (" + why
          + "); its span is ended as abandoned");
      end(null);
      agent.metadata("abandoned", true);
      agent.finish();
    }

    private static boolean same(ToolExecutionRequest a, ToolExecutionRequest b) {
      if (a == b) return true;
      if (a == null || b == null) return false;
      if (a.id() != null && b.id() != null) return a.id().equals(b.id());
      return java.util.Objects.equals(a.name(), b.name()) && java.util.Objects.equals(a.arguments(), b.arguments());
    }
  }

  AiServiceTracing(boolean sessionFromMemoryId) {
    this.sessionFromMemoryId = sessionFromMemoryId;
  }

  /** Marked as ours, so that a registrar can tell them from the user's own listeners. */
  List<AiServiceListener<?>> listeners() {
    AiServiceStartedListener started = (AiServiceStartedListener & TracingListener) this::started;
    AiServiceRequestIssuedListener request = (AiServiceRequestIssuedListener & TracingListener) this::requestIssued;
    AiServiceResponseReceivedListener response = (AiServiceResponseReceivedListener & TracingListener) this::responseReceived;
    ToolExecutedEventListener tool = (ToolExecutedEventListener & TracingListener) this::toolExecuted;
    AiServiceCompletedListener completed = (AiServiceCompletedListener & TracingListener) this::completed;
    AiServiceErrorListener failed = (AiServiceErrorListener & TracingListener) this::failed;
    InputGuardrailExecutedListener input = (InputGuardrailExecutedListener & TracingListener) this::guardrail;
    OutputGuardrailExecutedListener output = (OutputGuardrailExecutedListener & TracingListener) this::guardrail;
    return List.of(started, request, response, tool, completed, failed, input, output);
  }

  private void started(AiServiceStartedEvent e) {
    try {
      InvocationContext ctx = e.invocationContext();
      String name = name(ctx);
      LLMObsSpan agent = LLMObs.span(SpanKind.AGENT, name).start();
      Invocation inv = new Invocation(agent, name);
      UUID id = ctx.invocationId();
      open.put(id, inv);
      // Freed when its Lambda invocation ends, if LangChain4j never says it ended (a token stream never started).
      inv.tracer.callOpened(inv, agent.context().traceId(), false, () -> {
        if (open.remove(id, inv)) inv.abandon("its Lambda invocation ended first");
      });
      if (e.userMessage() != null) agent.input(ChatMapping.message(e.userMessage()).content());
      if (sessionFromMemoryId && ctx.chatMemoryId() != null && !"default".equals(ctx.chatMemoryId())) {
        agent.sessionId(String.valueOf(ctx.chatMemoryId()));
      }
    } catch (RuntimeException | LinkageError x) {
      ChatMapping.report(x);
    }
  }

  /** Runs {@code action} on the event's open invocation, if there is one; what it cannot read is reported once. */
  private void onOpen(AiServiceEvent e, java.util.function.Consumer<Invocation> action) {
    Invocation inv = open.get(e.invocationContext().invocationId());
    if (inv == null) return;
    try {
      action.accept(inv);
    } catch (RuntimeException | LinkageError x) {
      ChatMapping.report(x);
    }
  }

  /** The model is asked (again): the tools that returned before learn whether they failed. */
  private void requestIssued(AiServiceRequestIssuedEvent e) {
    onOpen(e, inv -> {
      if (e.request() != null) inv.verdicts(e.request().messages());
    });
  }

  /** The model answered; if it asked for tools, the first one's span starts now. */
  private void responseReceived(AiServiceResponseReceivedEvent e) {
    onOpen(e, inv -> {
      AiMessage message = e.response() == null ? null : e.response().aiMessage();
      if (message != null && message.hasToolExecutionRequests()) inv.asked(message.toolExecutionRequests());
    });
  }

  private void toolExecuted(ToolExecutedEvent e) {
    Invocation inv = open.get(e.invocationContext().invocationId());
    LLMObsSpan tool = null;
    try {
      ToolExecutionRequest r = e.request();
      tool = inv != null ? inv.ran(r) : LLMObs.span(SpanKind.TOOL, r.name()).startDetached();
      tool.input(r.arguments()).output(e.resultText());
      if (r.id() != null) tool.tag("tool_id", r.id());
      if (inv != null) inv.returned(r, tool);
      else tool.finish();
    } catch (RuntimeException | LinkageError x) { // a LangChain4j, or an SDK, we do not know: the span still lands
      ChatMapping.report(x);
      if (tool != null) tool.finish();
    }
  }

  /**
   * A guardrail's outcome as a tag on the agent span ({@code guardrail.<Class>:success|success_with_result|failure|
   * fatal}), and the failures' messages as metadata: a rejected request is then findable by tag.
   */
  private void guardrail(GuardrailExecutedEvent<?, ?, ?> e) {
    onOpen(e, inv -> {
      String name = "guardrail." + e.guardrailClass().getSimpleName();
      GuardrailResult<?> result = e.result();
      inv.agent.tag(name, result.result().name().toLowerCase(Locale.ROOT));
      List<String> messages = new ArrayList<>();
      for (GuardrailResult.Failure f : result.failures()) messages.add(f.message());
      if (!messages.isEmpty()) inv.agent.metadata(name + ".failures", messages);
    });
  }

  private void completed(AiServiceCompletedEvent e) {
    Invocation inv = open.remove(e.invocationContext().invocationId());
    if (inv == null) return;
    inv.tracer.callEnded(inv);
    LLMObsSpan agent = inv.agent;
    try {
      inv.end(null);
      e.result().ifPresent(result -> agent.output(answer(result)));
    } catch (RuntimeException | LinkageError x) {
      ChatMapping.report(x);
    } finally {
      agent.finish();
    }
  }

  private void failed(AiServiceErrorEvent e) {
    Invocation inv = open.remove(e.invocationContext().invocationId());
    if (inv == null) return;
    inv.tracer.callEnded(inv);
    try {
      inv.end(e.error());
    } finally { // the agent span ends whatever its tools' did
      SpanAttributes.fail(inv.agent, e.error());
    }
  }

  /**
   * What an invocation answered: a streaming service completes with LangChain4j's {@code ChatResponse}, a service
   * returning {@code Result<T>} with that; their text, or the content, is the answer. Anything else (a String, a
   * POJO of structured output) is given as is: text, or its JSON.
   */
  static Object answer(Object result) {
    if (result instanceof dev.langchain4j.model.chat.response.ChatResponse) {
      AiMessage message = ((dev.langchain4j.model.chat.response.ChatResponse) result).aiMessage();
      return message == null ? "" : ChatMapping.message(message).content();
    }
    if (result instanceof AiMessage) return ChatMapping.message((AiMessage) result).content();
    if (result instanceof dev.langchain4j.service.Result) {
      Object content = ((dev.langchain4j.service.Result<?>) result).content();
      return content == null ? "" : answer(content);
    }
    return result;
  }

  /** {@code Assistant.chat}: the service's interface and method. */
  private static String name(InvocationContext ctx) {
    String type = ctx.interfaceName() == null ? "ai-service" : ctx.interfaceName();
    return type.substring(type.lastIndexOf('.') + 1).replace('$', '.') + "." + ctx.methodName();
  }
}
