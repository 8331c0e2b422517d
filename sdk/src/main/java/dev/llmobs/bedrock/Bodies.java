package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import dev.llmobs.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading shared by several families' InvokeModel bodies. */
final class Bodies {
  private Bodies() {}

  /** A {@code system} field: a string, or blocks with {@code text}. */
  static void system(List<Message> into, Object system) {
    if (system instanceof String) {
      into.add(Message.system((String) system));
    } else if (system instanceof List) {
      for (Object b : (List<?>) system) {
        String t = Json.str(b, "text");
        if (t != null) into.add(Message.system(t));
      }
    }
  }

  /**
   * A Converse-shaped usage object (Converse, ConverseStream's metadata event, Nova's bodies): tokens, and cache tokens
   * under either name Bedrock uses; an absent field leaves what the record has. The caller holds the record's lock.
   */
  static void converseUsage(Object u, CallRecord r) {
    r.inputTokens = first(Json.num(u, "inputTokens"), r.inputTokens);
    r.outputTokens = first(Json.num(u, "outputTokens"), r.outputTokens);
    r.totalTokens = first(Json.num(u, "totalTokens"), r.totalTokens);
    r.cacheRead = first(Json.num(u, "cacheReadInputTokens"), Json.num(u, "cacheReadInputTokenCount"), r.cacheRead);
    r.cacheWrite = first(Json.num(u, "cacheWriteInputTokens"), Json.num(u, "cacheWriteInputTokenCount"), r.cacheWrite);
  }

  /** OpenAI-style {@code messages} of a role and a text content (Mistral chat, AI21 Jamba). */
  static void chatMessages(Object req, List<Message> into) {
    for (Object m : listOf(Json.list(req, "messages"))) into.add(Message.of(Json.str(m, "role"), Json.str(m, "content")));
  }

  /** OpenAI-style {@code choices} of messages (Mistral chat, AI21 Jamba). */
  static void choices(Object res, CallRecord r) {
    for (Object c : listOf(Json.list(res, "choices"))) {
      Map<String, Object> m = Json.obj(c, "message");
      r.output.add(Message.of(first(Json.str(m, "role"), "assistant"), Json.str(m, "content")));
      r.meta("stop_reason", first(Json.str(c, "stop_reason"), Json.str(c, "finish_reason")));
    }
  }

  /** A stream chunk of OpenAI-style {@code choices}, with a {@code delta} or a whole {@code message}. */
  static boolean choicesChunk(Object c, FrameSink out) {
    if (!Json.has(c, "choices")) return false;
    for (Object o : listOf(Json.list(c, "choices"))) {
      Map<String, Object> d = Json.obj(o, "delta") != null ? Json.obj(o, "delta") : Json.obj(o, "message");
      out.appendText(0, Json.str(d, "content"));
      out.record.meta("stop_reason", first(Json.str(o, "stop_reason"), Json.str(o, "finish_reason")));
    }
    return true;
  }

  static List<Object> toolNames(List<?> tools, String key) {
    if (tools == null) return null;
    List<Object> names = new ArrayList<>();
    for (Object t : tools) {
      String n = Json.str(t, key);
      if (n == null) n = Json.str(Json.obj(t, "function"), "name");
      if (n == null) n = Json.str(Json.obj(t, "toolSpec"), "name");
      if (n != null) names.add(n);
    }
    return names;
  }

  static List<?> listOf(List<?> l) {
    return l == null ? List.of() : l;
  }

  @SafeVarargs
  static <T> T first(T... values) {
    for (T v : values) if (v != null) return v;
    return null;
  }
}
