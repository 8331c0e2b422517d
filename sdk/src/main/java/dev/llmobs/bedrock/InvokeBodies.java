package dev.llmobs.bedrock;

import dev.llmobs.Document;
import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * InvokeModel request and response bodies, per model family: Anthropic Claude (Messages API and legacy text),
 * Amazon Nova, Titan text and embeddings, Meta Llama, Cohere Command, Command R and Embed, Mistral (text and chat),
 * AI21 (Jurassic and Jamba). Unknown families keep the raw text, cut to a bounded length.
 */
final class InvokeBodies {
  private InvokeBodies() {}

  /** The family from the body, for opaque model ids (application profiles, provisioned models). */
  static ModelId sniff(Object req) {
    if (Json.has(req, "anthropic_version")) return ModelId.ANTHROPIC;
    if (Json.has(req, "inferenceConfig") || Json.has(req, "schemaVersion")) return ModelId.AMAZON_NOVA;
    if (Json.has(req, "textGenerationConfig")) return ModelId.AMAZON_TITAN_TEXT;
    if (Json.has(req, "inputText")) return ModelId.AMAZON_TITAN_EMBED;
    if (Json.has(req, "texts")) return ModelId.COHERE_EMBED;
    if (Json.has(req, "max_gen_len")) return ModelId.META_LLAMA;
    if (Json.has(req, "message") || Json.has(req, "chat_history")) return ModelId.COHERE_COMMAND_R;
    return ModelId.UNKNOWN;
  }

  static void request(CallRecord r, ModelId family, byte[] bytes) {
    Object req = Json.parse(bytes);
    if (req == null) {
      synchronized (r) {
        r.inputText = CallRecord.clip(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
      return;
    }
    synchronized (r) {
      switch (family) {
        case ANTHROPIC:
          if (Json.has(req, "messages")) {
            system(r.input, Json.raw(req, "system"));
            for (Object m : listOf(Json.list(req, "messages"))) r.input.add(anthropicMessage(m));
          } else {
            r.inputText = Json.str(req, "prompt");
          }
          r.meta("max_tokens", first(Json.num(req, "max_tokens"), Json.num(req, "max_tokens_to_sample")));
          r.meta("temperature", Json.raw(req, "temperature"));
          r.meta("top_p", Json.raw(req, "top_p"));
          r.meta("top_k", Json.raw(req, "top_k"));
          r.meta("stop_sequences", Json.raw(req, "stop_sequences"));
          r.meta("tools", toolNames(Json.list(req, "tools"), "name"));
          break;
        case AMAZON_NOVA: {
          system(r.input, Json.raw(req, "system"));
          for (Object m : listOf(Json.list(req, "messages"))) r.input.add(novaMessage(m));
          Map<String, Object> cfg = Json.obj(req, "inferenceConfig");
          r.meta("max_tokens", first(Json.num(cfg, "max_new_tokens"), Json.num(cfg, "maxTokens")));
          r.meta("temperature", Json.raw(cfg, "temperature"));
          r.meta("top_p", Json.raw(cfg, "topP"));
          r.meta("stop_sequences", Json.raw(cfg, "stopSequences"));
          break;
        }
        case AMAZON_TITAN_TEXT: {
          r.inputText = Json.str(req, "inputText");
          Map<String, Object> cfg = Json.obj(req, "textGenerationConfig");
          r.meta("max_tokens", Json.num(cfg, "maxTokenCount"));
          r.meta("temperature", Json.raw(cfg, "temperature"));
          r.meta("top_p", Json.raw(cfg, "topP"));
          r.meta("stop_sequences", Json.raw(cfg, "stopSequences"));
          break;
        }
        case AMAZON_TITAN_EMBED:
          r.inputDocuments.add(Document.of(Json.str(req, "inputText")));
          r.meta("dimensions", Json.raw(req, "dimensions"));
          r.meta("normalize", Json.raw(req, "normalize"));
          break;
        case COHERE_EMBED:
          for (Object t : listOf(Json.list(req, "texts"))) r.inputDocuments.add(Document.of(String.valueOf(t)));
          r.meta("input_type", Json.raw(req, "input_type"));
          r.meta("truncate", Json.raw(req, "truncate"));
          break;
        case META_LLAMA:
          r.inputText = Json.str(req, "prompt");
          r.meta("max_tokens", Json.num(req, "max_gen_len"));
          r.meta("temperature", Json.raw(req, "temperature"));
          r.meta("top_p", Json.raw(req, "top_p"));
          break;
        case COHERE_COMMAND_R:
          if (Json.str(req, "preamble") != null) r.input.add(Message.system(Json.str(req, "preamble")));
          for (Object h : listOf(Json.list(req, "chat_history"))) {
            String role = "CHATBOT".equalsIgnoreCase(Json.str(h, "role")) ? "assistant" : "user";
            r.input.add(Message.of(role, Json.str(h, "message")));
          }
          r.input.add(Message.user(Json.str(req, "message")));
          cohereParams(r, req);
          break;
        case COHERE_COMMAND:
          r.inputText = Json.str(req, "prompt");
          cohereParams(r, req);
          break;
        case MISTRAL:
          if (Json.has(req, "messages")) {
            for (Object m : listOf(Json.list(req, "messages"))) r.input.add(Message.of(Json.str(m, "role"), Json.str(m, "content")));
          } else {
            r.inputText = Json.str(req, "prompt");
          }
          r.meta("max_tokens", Json.num(req, "max_tokens"));
          r.meta("temperature", Json.raw(req, "temperature"));
          r.meta("top_p", Json.raw(req, "top_p"));
          r.meta("top_k", Json.raw(req, "top_k"));
          r.meta("stop_sequences", Json.raw(req, "stop"));
          break;
        case AI21:
          if (Json.has(req, "messages")) {
            for (Object m : listOf(Json.list(req, "messages"))) r.input.add(Message.of(Json.str(m, "role"), Json.str(m, "content")));
            r.meta("max_tokens", Json.num(req, "max_tokens"));
            r.meta("temperature", Json.raw(req, "temperature"));
            r.meta("top_p", Json.raw(req, "top_p"));
          } else {
            r.inputText = Json.str(req, "prompt");
            r.meta("max_tokens", Json.num(req, "maxTokens"));
            r.meta("temperature", Json.raw(req, "temperature"));
            r.meta("top_p", Json.raw(req, "topP"));
            r.meta("stop_sequences", Json.raw(req, "stopSequences"));
          }
          break;
        default:
          r.inputText = CallRecord.clip(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  private static void cohereParams(CallRecord r, Object req) {
    r.meta("max_tokens", Json.num(req, "max_tokens"));
    r.meta("temperature", Json.raw(req, "temperature"));
    r.meta("top_p", Json.raw(req, "p"));
    r.meta("top_k", Json.raw(req, "k"));
    r.meta("stop_sequences", Json.raw(req, "stop_sequences"));
  }

  static void response(CallRecord r, ModelId family, byte[] bytes) {
    Object res = Json.parse(bytes);
    if (res == null) {
      synchronized (r) {
        r.outputText = CallRecord.clip(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
      return;
    }
    synchronized (r) {
      switch (family) {
        case ANTHROPIC: {
          if (Json.has(res, "content")) {
            r.output.add(anthropicMessage(res));
          } else {
            r.output.add(Message.assistant(Json.str(res, "completion")));
          }
          r.meta("stop_reason", Json.str(res, "stop_reason"));
          Map<String, Object> usage = Json.obj(res, "usage");
          r.inputTokens = first(Json.num(usage, "input_tokens"), r.inputTokens);
          r.outputTokens = first(Json.num(usage, "output_tokens"), r.outputTokens);
          r.cacheRead = first(Json.num(usage, "cache_read_input_tokens"), r.cacheRead);
          r.cacheWrite = first(Json.num(usage, "cache_creation_input_tokens"), r.cacheWrite);
          break;
        }
        case AMAZON_NOVA: {
          Map<String, Object> message = Json.obj(Json.obj(res, "output"), "message");
          if (message != null) r.output.add(novaMessage(message));
          r.meta("stop_reason", Json.str(res, "stopReason"));
          Map<String, Object> usage = Json.obj(res, "usage");
          r.inputTokens = first(Json.num(usage, "inputTokens"), r.inputTokens);
          r.outputTokens = first(Json.num(usage, "outputTokens"), r.outputTokens);
          r.totalTokens = first(Json.num(usage, "totalTokens"), r.totalTokens);
          r.cacheRead = first(Json.num(usage, "cacheReadInputTokenCount"), r.cacheRead);
          r.cacheWrite = first(Json.num(usage, "cacheWriteInputTokenCount"), r.cacheWrite);
          break;
        }
        case AMAZON_TITAN_TEXT: {
          StringBuilder text = new StringBuilder();
          long out = 0;
          boolean counted = false;
          for (Object result : listOf(Json.list(res, "results"))) {
            if (Json.str(result, "outputText") != null) text.append(Json.str(result, "outputText"));
            r.meta("stop_reason", Json.str(result, "completionReason"));
            Long n = Json.num(result, "tokenCount");
            if (n != null) {
              out += n;
              counted = true;
            }
          }
          r.output.add(Message.assistant(text.toString()));
          r.inputTokens = first(Json.num(res, "inputTextTokenCount"), r.inputTokens);
          if (counted) r.outputTokens = out;
          break;
        }
        case AMAZON_TITAN_EMBED: {
          List<?> vector = Json.list(res, "embedding");
          r.outputText = "[1 embedding(s) returned with size " + (vector == null ? 0 : vector.size()) + "]";
          r.inputTokens = first(Json.num(res, "inputTextTokenCount"), r.inputTokens);
          break;
        }
        case COHERE_EMBED: {
          Object e = Json.raw(res, "embeddings");
          List<?> vectors = e instanceof List ? (List<?>) e : Json.list(e, "float");
          int n = vectors == null ? 0 : vectors.size();
          int size = n > 0 && vectors.get(0) instanceof List ? ((List<?>) vectors.get(0)).size() : 0;
          r.outputText = "[" + n + " embedding(s) returned with size " + size + "]";
          break;
        }
        case META_LLAMA:
          r.output.add(Message.assistant(Json.str(res, "generation")));
          r.meta("stop_reason", Json.str(res, "stop_reason"));
          r.inputTokens = first(Json.num(res, "prompt_token_count"), r.inputTokens);
          r.outputTokens = first(Json.num(res, "generation_token_count"), r.outputTokens);
          break;
        case COHERE_COMMAND_R:
          r.output.add(Message.assistant(Json.str(res, "text")));
          r.meta("stop_reason", Json.str(res, "finish_reason"));
          break;
        case COHERE_COMMAND: {
          StringBuilder text = new StringBuilder();
          for (Object g : listOf(Json.list(res, "generations"))) {
            if (Json.str(g, "text") != null) text.append(Json.str(g, "text"));
            r.meta("stop_reason", Json.str(g, "finish_reason"));
          }
          r.output.add(Message.assistant(text.toString()));
          break;
        }
        case MISTRAL:
          if (Json.has(res, "choices")) {
            for (Object c : listOf(Json.list(res, "choices"))) {
              Map<String, Object> m = Json.obj(c, "message");
              r.output.add(Message.of(first(Json.str(m, "role"), "assistant"), Json.str(m, "content")));
              r.meta("stop_reason", first(Json.str(c, "stop_reason"), Json.str(c, "finish_reason")));
            }
          } else {
            StringBuilder text = new StringBuilder();
            for (Object o : listOf(Json.list(res, "outputs"))) {
              if (Json.str(o, "text") != null) text.append(Json.str(o, "text"));
              r.meta("stop_reason", Json.str(o, "stop_reason"));
            }
            r.output.add(Message.assistant(text.toString()));
          }
          break;
        case AI21:
          if (Json.has(res, "choices")) {
            for (Object c : listOf(Json.list(res, "choices"))) {
              Map<String, Object> m = Json.obj(c, "message");
              r.output.add(Message.of(first(Json.str(m, "role"), "assistant"), Json.str(m, "content")));
              r.meta("stop_reason", Json.str(c, "finish_reason"));
            }
            Map<String, Object> usage = Json.obj(res, "usage");
            r.inputTokens = first(Json.num(usage, "prompt_tokens"), r.inputTokens);
            r.outputTokens = first(Json.num(usage, "completion_tokens"), r.outputTokens);
          } else {
            StringBuilder text = new StringBuilder();
            for (Object c : listOf(Json.list(res, "completions"))) {
              String t = Json.str(Json.obj(c, "data"), "text");
              if (t != null) text.append(t);
              r.meta("stop_reason", Json.str(Json.obj(c, "finishReason"), "reason"));
            }
            r.output.add(Message.assistant(text.toString()));
          }
          break;
        default:
          r.outputText = CallRecord.clip(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /** A Claude message: content is a string or blocks (text, tool_use, tool_result, image). */
  static Message anthropicMessage(Object m) {
    String role = first(Json.str(m, "role"), "assistant");
    Object content = Json.raw(m, "content");
    if (content instanceof String) return Message.of(role, (String) content);
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    for (Object b : listOf(content instanceof List ? (List<?>) content : null)) {
      String type = Json.str(b, "type");
      if ("text".equals(type)) text.append(Json.str(b, "text"));
      else if ("tool_use".equals(type)) calls.add(ToolCall.of(Json.str(b, "name"), Json.obj(b, "input"), Json.str(b, "id"), "tool_use"));
      else if ("tool_result".equals(type)) results.add(ToolResult.of("", contentText(Json.raw(b, "content")), Json.str(b, "tool_use_id"), "tool_result"));
      else if ("image".equals(type)) text.append("([IMAGE DETECTED])");
    }
    return CallRecord.message(role, text.toString(), calls, results);
  }

  /** A Nova (and Converse-shaped) message: content blocks of text, toolUse, toolResult, image. */
  static Message novaMessage(Object m) {
    String role = first(Json.str(m, "role"), "assistant");
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    for (Object b : listOf(Json.list(m, "content"))) {
      if (Json.str(b, "text") != null) text.append(Json.str(b, "text"));
      Map<String, Object> use = Json.obj(b, "toolUse");
      if (use != null) calls.add(ToolCall.of(Json.str(use, "name"), Json.obj(use, "input"), Json.str(use, "toolUseId"), "toolUse"));
      Map<String, Object> res = Json.obj(b, "toolResult");
      if (res != null) results.add(ToolResult.of("", contentText(Json.raw(res, "content")), Json.str(res, "toolUseId"), "toolResult"));
      if (Json.has(b, "image")) text.append("([IMAGE DETECTED])");
    }
    return CallRecord.message(role, text.toString(), calls, results);
  }

  private static void system(List<Message> into, Object system) {
    if (system instanceof String) {
      into.add(Message.system((String) system));
    } else if (system instanceof List) {
      for (Object b : (List<?>) system) {
        String t = Json.str(b, "text");
        if (t != null) into.add(Message.system(t));
      }
    }
  }

  /** A tool result's content as text: a string, or text/json blocks joined. */
  static String contentText(Object content) {
    if (content == null) return "";
    if (content instanceof String) return (String) content;
    StringBuilder b = new StringBuilder();
    for (Object block : listOf(content instanceof List ? (List<?>) content : null)) {
      if (Json.str(block, "text") != null) b.append(Json.str(block, "text"));
      else if (Json.raw(block, "json") != null) b.append(new dev.llmobs.export.JsonWriter(64).value(Json.raw(block, "json")));
    }
    return b.toString();
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
