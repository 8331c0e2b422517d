package dev.llmobs.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.TracerHandle;
import dev.llmobs.integrations.internal.FinishReasons;
import dev.llmobs.integrations.internal.RetryScope;
import java.util.List;

/**
 * A chat model call as an {@code llm} span. The span starts in {@code onRequest}, on the caller's thread (so it is a
 * child of the caller's current span), rides in the request's attributes, and ends in {@code onResponse} or
 * {@code onError}, on whatever thread the model calls back on. Every step is guarded: a listener that throws would
 * be logged by LangChain4j, but a span left open would be lost.
 */
final class ChatListener implements ChatModelListener {
  @Override public void onRequest(ChatModelRequestContext ctx) {
    try {
      ChatRequest request = ctx.chatRequest();
      FirstTokenTiming.adopt(ctx.attributes());
      if (ctx.modelProvider() == ModelProvider.AMAZON_BEDROCK && TracerHandle.current().bedrock()) {
        // Our Bedrock interceptor will see this very call and record it as the llm span, tokens included: this
        // one becomes its parent workflow, current so that the interceptor's span nests in it, without tokens.
        LLMObsSpan span = LLMObs.span(SpanKind.WORKFLOW, "langchain4j.chat").start();
        SpanAttributes.put(ctx.attributes(), span);
        // LangChain4j retries beneath us: each retry is another Bedrock call, which the scope counts as an attempt.
        ctx.attributes().put(RETRIES, RetryScope.enter());
        span.input(ChatMapping.lastUserText(request.messages()));
        span.metadata(ChatMapping.parameters(request));
        return;
      }
      LLMObsSpan span = LLMObs.span(SpanKind.LLM, "langchain4j.chat")
          .modelName(request.modelName()).modelProvider(ChatMapping.provider(ctx.modelProvider())).startDetached();
      SpanAttributes.put(ctx.attributes(), span);
      span.inputMessages(ChatMapping.messages(request.messages()));
      List<dev.llmobs.ToolDefinition> tools = ChatMapping.toolDefinitions(request.toolSpecifications());
      if (!tools.isEmpty()) span.toolDefinitions(tools);
      span.metadata(ChatMapping.parameters(request));
    } catch (RuntimeException | LinkageError e) { // a LangChain4j version we do not know; never the caller's problem
      ChatMapping.report(e);
    }
  }

  @Override public void onResponse(ChatModelResponseContext ctx) {
    LLMObsSpan span = SpanAttributes.take(ctx.attributes());
    if (span == null) return;
    try {
      retries(ctx.attributes(), span);
      ChatResponse response = ctx.chatResponse();
      if (response.finishReason() != null) {
        span.metadata("finish_reason",
            FinishReasons.of(ChatMapping.provider(ctx.modelProvider()), response.finishReason().name()));
      }
      if (span.kind() == SpanKind.WORKFLOW) { // the Bedrock llm span inside has the messages and the tokens
        if (response.aiMessage() != null) span.output(ChatMapping.message(response.aiMessage()).content());
        return;
      }
      if (response.modelName() != null) span.modelName(response.modelName());
      if (response.aiMessage() != null) span.outputMessages(List.of(ChatMapping.message(response.aiMessage())));
      TokenUsage usage = response.tokenUsage();
      if (usage != null) {
        if (usage.inputTokenCount() != null) span.metric("input_tokens", usage.inputTokenCount());
        if (usage.outputTokenCount() != null) span.metric("output_tokens", usage.outputTokenCount());
        if (usage.totalTokenCount() != null) span.metric("total_tokens", usage.totalTokenCount());
      }
      Double firstToken = FirstTokenTiming.seconds(ctx.attributes());
      if (firstToken != null) span.metric("time_to_first_token", firstToken);
    } catch (RuntimeException | LinkageError e) {
      ChatMapping.report(e);
    } finally {
      span.finish();
    }
  }

  @Override public void onError(ChatModelErrorContext ctx) {
    LLMObsSpan span = SpanAttributes.take(ctx.attributes());
    try {
      retries(ctx.attributes(), span);
    } catch (RuntimeException | LinkageError e) {
      ChatMapping.report(e);
    }
    SpanAttributes.fail(span, ctx.error());
  }

  /** The key of the call's retry scope in LangChain4j's attributes; private, so no user key collides with it. */
  private static final Object RETRIES = new Object();

  /** Closes the call's retry scope, if any: the span says how many model calls LangChain4j made and what failed. */
  private static void retries(java.util.Map<Object, Object> attributes, LLMObsSpan span) {
    Object scope = attributes == null ? null : attributes.remove(RETRIES);
    if (scope instanceof RetryScope) ((RetryScope) scope).close(span);
  }
}
