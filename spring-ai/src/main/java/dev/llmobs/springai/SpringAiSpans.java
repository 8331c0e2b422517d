package dev.llmobs.springai;

import dev.llmobs.Document;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import dev.llmobs.SpanBuilder;
import dev.llmobs.SpanKind;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolDefinition;
import dev.llmobs.ToolResult;
import dev.llmobs.integrations.internal.FinishReasons;
import dev.llmobs.internal.TracerHandle;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * What each Spring AI observation becomes: the chat client's call a {@code workflow} (an {@code agent} when it offers
 * tools), an advisor that does work a {@code task}, the chat model's call an {@code llm} span (messages, tool
 * definitions, parameters, tokens, finish reason), a tool call a {@code tool}, an embedding call an {@code embedding},
 * a vector store query a {@code retrieval} with its documents and scores. A Bedrock model call that our interceptor
 * records underneath is that {@code llm} span; Spring AI's observation of it becomes its parent {@code workflow},
 * without tokens, so each call is one {@code llm} span and its tokens are counted once.
 */
final class SpringAiSpans {
  private SpringAiSpans() {}

  static LLMObsSpan start(Observation.Context context, LLMObsSpan parent) {
    SpanBuilder b;
    if (context instanceof ChatModelObservationContext) {
      ChatModelObservationContext c = (ChatModelObservationContext) context;
      String provider = c.getOperationMetadata().provider();
      String name = provider + ".chat";
      if (provider != null && provider.startsWith("bedrock") && TracerHandle.current().bedrock()) {
        b = LLMObs.span(SpanKind.WORKFLOW, name); // our Bedrock interceptor's llm span nests in it
      } else {
        ChatOptions options = c.getRequest().getOptions();
        b = LLMObs.span(SpanKind.LLM, name).modelProvider(provider(provider))
            .modelName(options == null ? null : options.getModel());
      }
    } else if (context instanceof ChatClientObservationContext) {
      ChatClientObservationContext c = (ChatClientObservationContext) context;
      b = LLMObs.span(tools(c.getRequest().prompt()).isEmpty() ? SpanKind.WORKFLOW : SpanKind.AGENT, "spring_ai.chat_client");
    } else if (context instanceof AdvisorObservationContext) {
      String advisor = ((AdvisorObservationContext) context).getAdvisorName();
      if (!doesWork(advisor)) return null;
      b = LLMObs.span(SpanKind.TASK, advisor);
    } else if (context instanceof ToolCallingObservationContext) {
      b = LLMObs.span(SpanKind.TOOL, ((ToolCallingObservationContext) context).getToolDefinition().name());
    } else if (context instanceof EmbeddingModelObservationContext) {
      EmbeddingModelObservationContext c = (EmbeddingModelObservationContext) context;
      String provider = c.getOperationMetadata().provider();
      b = LLMObs.span(SpanKind.EMBEDDING, provider + ".embedding").modelProvider(provider(provider))
          .modelName(c.getRequest().getOptions() == null ? null : c.getRequest().getOptions().getModel());
    } else if (context instanceof VectorStoreObservationContext) {
      VectorStoreObservationContext c = (VectorStoreObservationContext) context;
      boolean query = "query".equals(c.getOperationName());
      b = LLMObs.span(query ? SpanKind.RETRIEVAL : SpanKind.TASK, c.getDatabaseSystem() + "." + c.getOperationName());
    } else {
      return null;
    }
    if (parent != null) b.parent(parent);
    LLMObsSpan span = b.startDetached();
    span.tag("integration", "spring_ai");
    return span;
  }

  /** Whether the observation is of a stream, which stops on another thread once the stream completes. */
  static boolean streaming(Observation.Context context) {
    if (context instanceof ChatModelObservationContext) return ((ChatModelObservationContext) context).isStreaming();
    if (context instanceof ChatClientObservationContext) return ((ChatClientObservationContext) context).isStream();
    return false;
  }

  /**
   * Advisors that only hand the request on are left out: Spring AI's own terminal advisors (they wrap the model
   * call, which is its own span) and its logger.
   */
  static boolean doesWork(String advisor) {
    if (advisor == null) return false;
    String a = advisor.toLowerCase(java.util.Locale.ROOT);
    return !(a.equals("call") || a.equals("stream") || a.contains("chatmodelcalladvisor")
        || a.contains("chatmodelstreamadvisor") || a.contains("simplelogger"));
  }

  static void finish(Observation.Context context, LLMObsSpan span) {
    if (context instanceof ChatModelObservationContext) {
      chatModel((ChatModelObservationContext) context, span);
    } else if (context instanceof ChatClientObservationContext) {
      ChatClientObservationContext c = (ChatClientObservationContext) context;
      span.input(lastUserText(c.getRequest().prompt()));
      ChatClientResponse r = c.getResponse();
      if (r != null && r.chatResponse() != null) span.output(text(r.chatResponse()));
      if (c.isStream()) span.metadata("stream", true);
    } else if (context instanceof AdvisorObservationContext) {
      AdvisorObservationContext c = (AdvisorObservationContext) context;
      ChatClientRequest request = c.getChatClientRequest();
      if (request != null) span.input(lastUserText(request.prompt()));
      ChatClientResponse r = c.getChatClientResponse();
      if (r != null && r.chatResponse() != null) span.output(text(r.chatResponse()));
      span.metadata("order", c.getOrder());
    } else if (context instanceof ToolCallingObservationContext) {
      ToolCallingObservationContext c = (ToolCallingObservationContext) context;
      span.input(c.getToolCallArguments());
      if (c.getToolCallResult() != null) span.output(c.getToolCallResult());
      if (c.getToolCallId() != null) span.tag("tool_call_id", c.getToolCallId());
    } else if (context instanceof EmbeddingModelObservationContext) {
      embedding((EmbeddingModelObservationContext) context, span);
    } else if (context instanceof VectorStoreObservationContext) {
      vectorStore((VectorStoreObservationContext) context, span);
    }
  }

  private static void chatModel(ChatModelObservationContext c, LLMObsSpan span) {
    Prompt prompt = c.getRequest();
    ChatOptions options = prompt.getOptions();
    if (options != null) span.metadata(parameters(options));
    if (c.isStreaming()) span.metadata("stream", true);
    ChatResponse response = c.getResponse();
    String finish = null;
    if (response != null && response.getResult() != null && response.getResult().getMetadata() != null) {
      finish = response.getResult().getMetadata().getFinishReason();
    }
    if (finish != null) {
      span.metadata("finish_reason", FinishReasons.of(provider(c.getOperationMetadata().provider()), finish));
    }
    if (span.kind() == SpanKind.WORKFLOW) { // the interceptor's llm span inside has the messages and the tokens
      span.input(lastUserText(prompt));
      if (response != null) span.output(text(response));
      return;
    }
    span.inputMessages(messages(prompt.getInstructions()));
    List<ToolDefinition> tools = tools(prompt);
    if (!tools.isEmpty()) span.toolDefinitions(tools);
    if (response == null) return;
    List<Message> out = new ArrayList<>();
    for (Generation g : response.getResults()) out.add(message(g.getOutput()));
    span.outputMessages(out);
    if (response.getMetadata() != null) {
      if (response.getMetadata().getModel() != null && !response.getMetadata().getModel().isEmpty()) {
        span.modelName(response.getMetadata().getModel());
      }
      org.springframework.ai.chat.metadata.Usage usage = response.getMetadata().getUsage();
      if (usage != null) {
        if (usage.getPromptTokens() != null) span.metric("input_tokens", usage.getPromptTokens());
        if (usage.getCompletionTokens() != null) span.metric("output_tokens", usage.getCompletionTokens());
        if (usage.getTotalTokens() != null) span.metric("total_tokens", usage.getTotalTokens());
        if (usage.getCacheReadInputTokens() != null) span.metric("cache_read_input_tokens", usage.getCacheReadInputTokens());
        if (usage.getCacheWriteInputTokens() != null) span.metric("cache_write_input_tokens", usage.getCacheWriteInputTokens());
      }
    }
  }

  private static void embedding(EmbeddingModelObservationContext c, LLMObsSpan span) {
    List<Document> in = new ArrayList<>();
    for (String text : c.getRequest().getInstructions()) in.add(Document.of(text));
    span.inputDocuments(in);
    EmbeddingResponse r = c.getResponse();
    if (r == null) return;
    int size = r.getResults().isEmpty() ? 0 : r.getResults().get(0).getOutput().length;
    span.output("[" + r.getResults().size() + " embedding(s) returned with size " + size + "]");
    if (r.getMetadata() != null && r.getMetadata().getUsage() != null
        && r.getMetadata().getUsage().getPromptTokens() != null) {
      span.metric("input_tokens", r.getMetadata().getUsage().getPromptTokens());
    }
  }

  private static void vectorStore(VectorStoreObservationContext c, LLMObsSpan span) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (c.getCollectionName() != null) metadata.put("collection", c.getCollectionName());
    if (c.getSimilarityMetric() != null) metadata.put("similarity_metric", c.getSimilarityMetric());
    if (c.getQueryRequest() != null) {
      span.input(c.getQueryRequest().getQuery());
      metadata.put("top_k", c.getQueryRequest().getTopK());
      metadata.put("similarity_threshold", c.getQueryRequest().getSimilarityThreshold());
      if (c.getQueryRequest().hasFilterExpression()) metadata.put("filter", String.valueOf(c.getQueryRequest().getFilterExpression()));
    }
    span.metadata(metadata);
    if (c.getQueryResponse() == null) return;
    List<Document> docs = new ArrayList<>();
    for (org.springframework.ai.document.Document d : c.getQueryResponse()) {
      Document doc = Document.of(d.getText() == null ? "" : d.getText()).withId(d.getId());
      Object source = d.getMetadata().get("source");
      if (source != null) doc = doc.withName(source.toString());
      if (d.getScore() != null) doc = doc.withScore(d.getScore());
      docs.add(doc);
    }
    span.outputDocuments(docs);
  }

  static Map<String, Object> parameters(ChatOptions o) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (o.getTemperature() != null) m.put("temperature", o.getTemperature());
    if (o.getMaxTokens() != null) m.put("max_tokens", o.getMaxTokens());
    if (o.getTopP() != null) m.put("top_p", o.getTopP());
    if (o.getTopK() != null) m.put("top_k", o.getTopK());
    if (o.getFrequencyPenalty() != null) m.put("frequency_penalty", o.getFrequencyPenalty());
    if (o.getPresencePenalty() != null) m.put("presence_penalty", o.getPresencePenalty());
    if (o.getStopSequences() != null && !o.getStopSequences().isEmpty()) m.put("stop", o.getStopSequences());
    return m;
  }

  static List<ToolDefinition> tools(Prompt prompt) {
    List<ToolDefinition> out = new ArrayList<>();
    if (prompt == null || !(prompt.getOptions() instanceof ToolCallingChatOptions)) return out;
    List<ToolCallback> callbacks = ((ToolCallingChatOptions) prompt.getOptions()).getToolCallbacks();
    if (callbacks == null) return out;
    for (ToolCallback cb : callbacks) {
      org.springframework.ai.tool.definition.ToolDefinition d = cb.getToolDefinition();
      out.add(ToolDefinition.of(d.name(), d.description(), schema(d.inputSchema())));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema(String json) {
    if (json == null || json.isBlank()) return null;
    try {
      Object parsed = com.fasterxml.jackson.jr.ob.JSON.std.anyFrom(json);
      return parsed instanceof Map ? (Map<String, Object>) parsed : null;
    } catch (Exception | LinkageError e) {
      return null; // no JSON reader: the definition goes without its schema
    }
  }

  static List<Message> messages(List<org.springframework.ai.chat.messages.Message> in) {
    List<Message> out = new ArrayList<>();
    for (org.springframework.ai.chat.messages.Message m : in) out.add(message(m));
    return out;
  }

  static Message message(org.springframework.ai.chat.messages.Message m) {
    String role = m.getMessageType().getValue();
    Message out = Message.of(role, m.getText() == null ? "" : m.getText());
    if (m instanceof AssistantMessage && ((AssistantMessage) m).hasToolCalls()) {
      List<ToolCall> calls = new ArrayList<>();
      for (AssistantMessage.ToolCall c : ((AssistantMessage) m).getToolCalls()) {
        calls.add(ToolCall.of(c.name(), arguments(c.arguments()), c.id(), c.type()));
      }
      out = out.withToolCalls(calls);
    }
    if (m instanceof ToolResponseMessage) {
      List<ToolResult> results = new ArrayList<>();
      for (ToolResponseMessage.ToolResponse r : ((ToolResponseMessage) m).getResponses()) {
        results.add(ToolResult.of(r.name(), r.responseData(), r.id()));
      }
      out = out.withToolResults(results);
    }
    return out;
  }

  private static Map<String, Object> arguments(String json) {
    Map<String, Object> parsed = schema(json);
    return parsed != null ? parsed : json == null ? Map.of() : Map.of("value", json);
  }

  static String lastUserText(Prompt prompt) {
    if (prompt == null) return null;
    org.springframework.ai.chat.messages.UserMessage u = prompt.getUserMessage();
    return u == null ? null : u.getText();
  }

  static String text(ChatResponse response) {
    StringBuilder b = new StringBuilder();
    for (Generation g : response.getResults()) {
      if (g.getOutput() != null && g.getOutput().getText() != null) b.append(g.getOutput().getText());
    }
    return b.toString();
  }

  /** Spring AI's provider names as Datadog's. */
  static String provider(String springAi) {
    if (springAi == null) return null;
    if (springAi.startsWith("bedrock")) return "amazon_bedrock";
    if (springAi.equals("azure-openai")) return "azure_openai";
    if (springAi.equals("vertex_ai") || springAi.startsWith("google")) return "vertexai";
    return springAi;
  }
}
