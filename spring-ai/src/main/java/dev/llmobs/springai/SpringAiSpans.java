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
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.internal.TracerHandle;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * The observations we trace. Spring AI ships them in three modules (the model, the chat client, the vector store)
   * that an application may not all have: each is known by name, and only the classes of the ones present are ever
   * touched (ClientSpans and VectorStoreSpans hold the others' types).
   */
  enum Kind {
    CHAT_MODEL("org.springframework.ai.chat.observation.ChatModelObservationContext"),
    TOOL("org.springframework.ai.tool.observation.ToolCallingObservationContext"),
    EMBEDDING("org.springframework.ai.embedding.observation.EmbeddingModelObservationContext"),
    CHAT_CLIENT("org.springframework.ai.chat.client.observation.ChatClientObservationContext"),
    ADVISOR("org.springframework.ai.chat.client.advisor.observation.AdvisorObservationContext"),
    VECTOR_STORE("org.springframework.ai.vectorstore.observation.VectorStoreObservationContext");

    final Class<?> type; // null: not on this application's class path

    Kind(String className) {
      Class<?> t;
      try {
        t = Class.forName(className, false, Kind.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        t = null;
      }
      type = t;
    }

    static Kind of(Observation.Context context) {
      for (Kind k : values()) if (k.type != null && k.type.isInstance(context)) return k;
      return null;
    }
  }

  static LLMObsSpan start(Observation.Context context, Kind kind, LLMObsSpan parent) {
    SpanBuilder b;
    switch (kind) {
      case CHAT_MODEL: {
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
        break;
      }
      case TOOL:
        b = LLMObs.span(SpanKind.TOOL, ((ToolCallingObservationContext) context).getToolDefinition().name());
        break;
      case EMBEDDING: {
        EmbeddingModelObservationContext c = (EmbeddingModelObservationContext) context;
        String provider = c.getOperationMetadata().provider();
        b = LLMObs.span(SpanKind.EMBEDDING, provider + ".embedding").modelProvider(provider(provider))
            .modelName(c.getRequest().getOptions() == null ? null : c.getRequest().getOptions().getModel());
        break;
      }
      case CHAT_CLIENT: case ADVISOR:
        b = ClientSpans.builder(context, kind);
        break;
      case VECTOR_STORE:
        b = VectorStoreSpans.builder(context);
        break;
      default:
        b = null;
    }
    if (b == null) return null;
    if (parent != null) b.parent(parent);
    LLMObsSpan span = b.startDetached();
    span.tag("integration", "spring_ai");
    return span;
  }

  /** Whether the observation is of a stream, which stops on another thread once the stream completes. */
  static boolean streaming(Observation.Context context, Kind kind) {
    if (kind == Kind.CHAT_MODEL) return ((ChatModelObservationContext) context).isStreaming();
    if (kind == Kind.CHAT_CLIENT) return ClientSpans.streaming(context);
    return false;
  }

  static void finish(Observation.Context context, Kind kind, LLMObsSpan span) {
    switch (kind) {
      case CHAT_MODEL: chatModel((ChatModelObservationContext) context, span); break;
      case TOOL: {
        ToolCallingObservationContext c = (ToolCallingObservationContext) context;
        span.input(c.getToolCallArguments());
        if (c.getToolCallResult() != null) span.output(c.getToolCallResult());
        if (c.getToolCallId() != null) span.tag("tool_call_id", c.getToolCallId());
        break;
      }
      case EMBEDDING: embedding((EmbeddingModelObservationContext) context, span); break;
      case CHAT_CLIENT: case ADVISOR: ClientSpans.finish(context, kind, span); break;
      case VECTOR_STORE: VectorStoreSpans.finish(context, span); break;
      default:
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

  /** The tool's JSON schema, or null when it is not an object (the definition then goes without it). */
  private static Map<String, Object> schema(String json) {
    if (json == null || json.isBlank()) return null;
    return Json.asObj(Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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
