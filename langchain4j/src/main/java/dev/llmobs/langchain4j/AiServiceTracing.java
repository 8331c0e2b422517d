package dev.llmobs.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.observability.api.event.AiServiceCompletedEvent;
import dev.langchain4j.observability.api.event.AiServiceErrorEvent;
import dev.langchain4j.observability.api.event.AiServiceStartedEvent;
import dev.langchain4j.observability.api.event.GuardrailExecutedEvent;
import dev.langchain4j.guardrail.GuardrailResult;
import dev.langchain4j.observability.api.event.ToolExecutedEvent;
import dev.langchain4j.observability.api.listener.AiServiceCompletedListener;
import dev.langchain4j.observability.api.listener.AiServiceErrorListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.observability.api.listener.AiServiceStartedListener;
import dev.langchain4j.observability.api.listener.InputGuardrailExecutedListener;
import dev.langchain4j.observability.api.listener.OutputGuardrailExecutedListener;
import dev.langchain4j.observability.api.listener.ToolExecutedEventListener;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An AI Service invocation as an {@code agent} span, from LangChain4j's AI Service events: started current on the
 * caller's thread, so that the model calls the service makes nest inside it; each tool execution a {@code tool} span
 * in it; guardrail outcomes as its tags. Invocations are told apart by LangChain4j's invocation id, so parallel calls on several threads, and
 * services that complete on another thread, keep their own spans.
 */
final class AiServiceTracing {
  private final boolean sessionFromMemoryId;
  private final Map<UUID, LLMObsSpan> open = new ConcurrentHashMap<>();

  AiServiceTracing(boolean sessionFromMemoryId) {
    this.sessionFromMemoryId = sessionFromMemoryId;
  }

  List<AiServiceListener<?>> listeners() {
    AiServiceStartedListener started = this::started;
    ToolExecutedEventListener tool = this::toolExecuted;
    AiServiceCompletedListener completed = this::completed;
    AiServiceErrorListener failed = this::failed;
    InputGuardrailExecutedListener input = this::guardrail;
    OutputGuardrailExecutedListener output = this::guardrail;
    return List.of(started, tool, completed, failed, input, output);
  }

  private void started(AiServiceStartedEvent e) {
    try {
      InvocationContext ctx = e.invocationContext();
      LLMObsSpan agent = LLMObs.span(SpanKind.AGENT, name(ctx)).start();
      open.put(ctx.invocationId(), agent);
      if (e.userMessage() != null) agent.input(ChatMapping.message(e.userMessage()).content());
      if (sessionFromMemoryId && ctx.chatMemoryId() != null && !"default".equals(ctx.chatMemoryId())) {
        agent.sessionId(String.valueOf(ctx.chatMemoryId()));
      }
    } catch (RuntimeException | LinkageError x) {
      ChatMapping.report(x);
    }
  }

  private void toolExecuted(ToolExecutedEvent e) {
    LLMObsSpan agent = open.get(e.invocationContext().invocationId());
    try {
      ToolExecutionRequest r = e.request();
      LLMObsSpan tool = LLMObs.span(SpanKind.TOOL, r.name()).parent(agent).startDetached();
      tool.input(r.arguments()).output(e.resultText());
      if (r.id() != null) tool.tag("tool_id", r.id());
      tool.finish();
    } catch (RuntimeException | LinkageError x) {
      ChatMapping.report(x);
    }
  }

  /**
   * A guardrail's outcome as a tag on the agent span ({@code guardrail.<Class>:success|success_with_result|failure|
   * fatal}), and the failures' messages as metadata: a rejected request is then findable by tag.
   */
  private void guardrail(GuardrailExecutedEvent<?, ?, ?> e) {
    LLMObsSpan agent = open.get(e.invocationContext().invocationId());
    if (agent == null) return;
    try {
      String name = "guardrail." + e.guardrailClass().getSimpleName();
      GuardrailResult<?> result = e.result();
      agent.tag(name, result.result().name().toLowerCase(Locale.ROOT));
      List<String> messages = new ArrayList<>();
      for (GuardrailResult.Failure f : result.failures()) messages.add(f.message());
      if (!messages.isEmpty()) agent.metadata(name + ".failures", messages);
    } catch (RuntimeException | LinkageError x) {
      ChatMapping.report(x);
    }
  }

  private void completed(AiServiceCompletedEvent e) {
    LLMObsSpan agent = open.remove(e.invocationContext().invocationId());
    if (agent == null) return;
    try {
      e.result().ifPresent(agent::output); // a String as text, anything else as its JSON
    } catch (RuntimeException | LinkageError x) {
      ChatMapping.report(x);
    } finally {
      agent.finish();
    }
  }

  private void failed(AiServiceErrorEvent e) {
    SpanAttributes.fail(open.remove(e.invocationContext().invocationId()), e.error());
  }

  /** {@code Assistant.chat}: the service's interface and method. */
  private static String name(InvocationContext ctx) {
    String type = ctx.interfaceName() == null ? "ai-service" : ctx.interfaceName();
    return type.substring(type.lastIndexOf('.') + 1).replace('$', '.') + "." + ctx.methodName();
  }
}
