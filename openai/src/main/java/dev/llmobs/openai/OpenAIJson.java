package dev.llmobs.openai;

import dev.llmobs.ToolDefinition;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.StreamOutput;
import dev.llmobs.integrations.internal.TappedCall;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What OpenAI's three APIs share: parameters as metadata, tool definitions, usage in OpenAI's names. */
final class OpenAIJson {
  private OpenAIJson() {}

  /** Every request parameter but the model, the input and the tools, as metadata (as dd-trace-py records them). */
  static void parameters(Object req, TappedCall call, Set<String> not) {
    if (!(req instanceof Map)) return;
    for (Map.Entry<?, ?> e : ((Map<?, ?>) req).entrySet()) {
      String k = String.valueOf(e.getKey());
      if (!not.contains(k) && e.getValue() != null) call.meta(k, e.getValue());
    }
  }

  /** The model asked for; the answer's own model, when it comes, names the span instead. */
  static void model(Object req, TappedCall call) {
    String model = Json.str(req, "model");
    if (model != null) call.span.modelName(model);
  }

  /** Tool definitions, nested ({@code {type, function: {name, ...}}}, chat) or flat ({@code {type, name, ...}}). */
  static void tools(Object req, TappedCall call) {
    List<?> tools = Json.list(req, "tools");
    if (tools == null) return;
    for (Object t : tools) {
      Map<String, Object> f = Json.obj(t, "function");
      Object def = f != null ? f : t;
      String name = Json.str(def, "name");
      if (name == null) name = Json.str(t, "type"); // a built-in tool: web_search, file_search...
      if (name != null) call.toolDefinitions.add(ToolDefinition.of(name, Json.str(def, "description"), Json.obj(def, "parameters")));
    }
  }

  /**
   * Usage, in either API's names ({@code prompt_tokens} or {@code input_tokens}...): OpenAI counts cached tokens in
   * the input, as Datadog does, and reasoning tokens in the output.
   */
  static void usage(Map<String, Object> u, TappedCall call) {
    if (u == null) return;
    call.inputIncludesCached = true;
    Long in = Json.num(u, "prompt_tokens"), out = Json.num(u, "completion_tokens");
    if (in == null) in = Json.num(u, "input_tokens");
    if (out == null) out = Json.num(u, "output_tokens");
    if (in != null) call.inputTokens = in;
    if (out != null) call.outputTokens = out;
    if (Json.num(u, "total_tokens") != null) call.totalTokens = Json.num(u, "total_tokens");
    Map<String, Object> inDetails = Json.obj(u, "prompt_tokens_details");
    if (inDetails == null) inDetails = Json.obj(u, "input_tokens_details");
    Map<String, Object> outDetails = Json.obj(u, "completion_tokens_details");
    if (outDetails == null) outDetails = Json.obj(u, "output_tokens_details");
    if (Json.num(inDetails, "cached_tokens") != null) call.cacheRead = Json.num(inDetails, "cached_tokens");
    if (Json.num(outDetails, "reasoning_tokens") != null) call.reasoningTokens = Json.num(outDetails, "reasoning_tokens");
  }

  /** A tool call's arguments, sent as JSON text: an object, or the raw text. */
  static Map<String, Object> arguments(Object json) {
    return json instanceof String ? StreamOutput.arguments((String) json) : Json.asObj(json);
  }

  /** A content that is a string or a list of parts: the text parts joined, other parts as markers. */
  static String text(Object content) {
    if (content == null) return "";
    if (content instanceof String) return (String) content;
    StringBuilder b = new StringBuilder();
    if (content instanceof List) {
      for (Object part : (List<?>) content) {
        String type = Json.str(part, "type");
        if (type == null) continue;
        switch (type) {
          case "text": case "input_text": case "output_text": b.append(Json.str(part, "text")); break;
          case "refusal": b.append(Json.str(part, "refusal")); break;
          case "image_url": case "input_image": b.append("([IMAGE DETECTED])"); break;
          case "input_audio": b.append("([AUDIO DETECTED])"); break;
          case "file": case "input_file": b.append("([DOCUMENT DETECTED])"); break;
          default:
        }
      }
    }
    return b.toString();
  }
}
