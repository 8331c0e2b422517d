package dev.llmobs.langchain4j;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolDefinition;
import dev.llmobs.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** LangChain4j's request and response types in our wire shapes. */
final class ChatMapping {
  private static final AtomicBoolean REPORTED = new AtomicBoolean();

  private ChatMapping() {}

  /** Datadog's provider names where they exist ({@code openai}, {@code anthropic}...), else LangChain4j's, lower-cased. */
  static String provider(ModelProvider p) {
    if (p == null) return "custom";
    switch (p) {
      case OPEN_AI: return "openai";
      case AZURE_OPEN_AI: return "azure_openai";
      case AMAZON_BEDROCK: return "amazon_bedrock";
      case GOOGLE_AI_GEMINI: case GOOGLE_VERTEX_AI_GEMINI: return "google";
      default: return p.name().toLowerCase(Locale.ROOT);
    }
  }

  static List<Message> messages(List<ChatMessage> messages) {
    List<Message> out = new ArrayList<>();
    if (messages != null) for (ChatMessage m : messages) if (m != null) out.add(message(m));
    return out;
  }

  static Message message(ChatMessage m) {
    if (m instanceof SystemMessage) return Message.system(((SystemMessage) m).text());
    if (m instanceof UserMessage) return Message.user(userText((UserMessage) m));
    if (m instanceof AiMessage) {
      AiMessage ai = (AiMessage) m;
      Message out = Message.assistant(ai.text() == null ? "" : ai.text());
      List<ToolExecutionRequest> requests = ai.toolExecutionRequests();
      if (requests == null || requests.isEmpty()) return out;
      List<ToolCall> calls = new ArrayList<>();
      for (ToolExecutionRequest r : requests) calls.add(ToolCall.of(r.name(), arguments(r.arguments()), r.id(), "function"));
      return out.withToolCalls(calls);
    }
    if (m instanceof ToolExecutionResultMessage) {
      ToolExecutionResultMessage r = (ToolExecutionResultMessage) m;
      return Message.of("tool", "").withToolResults(List.of(ToolResult.of(r.toolName(), r.text(), r.id(), "tool_result")));
    }
    return Message.of(m.type() == null ? "unknown" : m.type().name().toLowerCase(Locale.ROOT), String.valueOf(m));
  }

  /** The text of the conversation's last user message, or null. */
  static String lastUserText(List<ChatMessage> messages) {
    if (messages == null) return null;
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof UserMessage) return userText((UserMessage) messages.get(i));
    }
    return null;
  }

  /** A user message's text; images, audio, video and files leave a marker. */
  private static String userText(UserMessage m) {
    if (m.hasSingleText()) return m.singleText();
    StringBuilder b = new StringBuilder();
    for (Content c : m.contents()) {
      if (c instanceof TextContent) b.append(((TextContent) c).text());
      else b.append("([").append(c.type().name()).append(" DETECTED])");
    }
    return b.toString();
  }

  /** Tool arguments arrive as JSON text; the wire wants an object. Text that is not one is kept under {@code value}. */
  private static Map<String, Object> arguments(String json) {
    if (json == null || json.isBlank()) return Map.of();
    try {
      return JSON.std.mapFrom(json);
    } catch (java.io.IOException | RuntimeException e) {
      return Map.of("value", json);
    }
  }

  static List<ToolDefinition> toolDefinitions(List<ToolSpecification> specs) {
    List<ToolDefinition> out = new ArrayList<>();
    if (specs == null) return out;
    for (ToolSpecification s : specs) {
      Map<String, Object> schema = null;
      if (s.parameters() != null) {
        try {
          schema = JsonSchemaElementUtils.toMap(s.parameters());
        } catch (RuntimeException | LinkageError e) { // an internal helper: a later LangChain4j may move it
          report(e);
        }
      }
      out.add(ToolDefinition.of(s.name(), s.description(), schema));
    }
    return out;
  }

  /** The request's parameters under the names the other integrations use. */
  static Map<String, Object> parameters(ChatRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.temperature() != null) m.put("temperature", r.temperature());
    if (r.maxOutputTokens() != null) m.put("max_tokens", r.maxOutputTokens());
    if (r.topP() != null) m.put("top_p", r.topP());
    if (r.topK() != null) m.put("top_k", r.topK());
    if (r.frequencyPenalty() != null) m.put("frequency_penalty", r.frequencyPenalty());
    if (r.presencePenalty() != null) m.put("presence_penalty", r.presencePenalty());
    if (r.stopSequences() != null && !r.stopSequences().isEmpty()) m.put("stop_sequences", r.stopSequences());
    return m;
  }

  /** Once per JVM: the mapping met something it does not know; spans still end. */
  static void report(Throwable e) {
    if (REPORTED.compareAndSet(false, true)) {
      dev.llmobs.internal.Log.warn("LangChain4j listener: could not read a request or response (" + e
          + "); the span is sent with what was read");
    }
  }
}
