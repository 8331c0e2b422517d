package dev.llmobs.bedrock;

import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;

/**
 * The Bedrock-typed half of the interceptor, loaded only once a call is known to be a Bedrock Runtime call. Uses only
 * getters present in bedrockruntime 2.31; newer fields (cache tokens) are read by name, so they are found where the
 * model has them and skipped where it does not.
 */
final class BedrockCalls {
  private BedrockCalls() {}

  static String modelId(SdkRequest request) {
    if (request instanceof ConverseRequest) return ((ConverseRequest) request).modelId();
    if (request instanceof ConverseStreamRequest) return ((ConverseStreamRequest) request).modelId();
    if (request instanceof InvokeModelRequest) return ((InvokeModelRequest) request).modelId();
    if (request instanceof InvokeModelWithResponseStreamRequest) return ((InvokeModelWithResponseStreamRequest) request).modelId();
    return null;
  }

  /** Records the request: messages, parameters, tools. */
  static void onRequest(CallRecord r, SdkRequest request) {
    if (request instanceof ConverseRequest) {
      ConverseRequest c = (ConverseRequest) request;
      converseRequest(r, c.system(), c.messages(), c.inferenceConfig(), c.toolConfig());
      if (c.guardrailConfig() != null) Guardrails.converseRequest(r, Pojos.toJava(c.guardrailConfig()));
    } else if (request instanceof ConverseStreamRequest) {
      ConverseStreamRequest c = (ConverseStreamRequest) request;
      converseRequest(r, c.system(), c.messages(), c.inferenceConfig(), c.toolConfig());
      if (c.guardrailConfig() != null) Guardrails.converseRequest(r, Pojos.toJava(c.guardrailConfig()));
    } else if (request instanceof InvokeModelRequest) {
      InvokeModelRequest i = (InvokeModelRequest) request;
      invokeRequest(r, i.body() == null ? null : i.body().asByteArrayUnsafe());
    } else if (request instanceof InvokeModelWithResponseStreamRequest) {
      InvokeModelWithResponseStreamRequest i = (InvokeModelWithResponseStreamRequest) request;
      invokeRequest(r, i.body() == null ? null : i.body().asByteArrayUnsafe());
    }
  }

  private static void invokeRequest(CallRecord r, byte[] body) {
    if (body == null) return;
    Object parsed = Json.parse(body);
    if (r.family == ModelFamily.UNKNOWN) r.family = ModelFamily.sniff(parsed);
    synchronized (r) {
      if (parsed == null) r.inputText = ModelCall.clip(new String(body, java.nio.charset.StandardCharsets.UTF_8));
      else r.family.request(parsed, r);
    }
  }

  private static void converseRequest(CallRecord r, List<SystemContentBlock> system,
      List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages, InferenceConfiguration config,
      ToolConfiguration tools) {
    synchronized (r) {
      if (system != null) {
        for (SystemContentBlock b : system) if (b.text() != null) r.input.add(Message.system(b.text()));
      }
      if (messages != null) {
        // Tool results carry only the call's id: name them after the call that asked for them.
        Map<String, String> toolNames = new java.util.HashMap<>();
        for (var m : messages) {
          if (m.content() == null) continue;
          for (ContentBlock b : m.content()) {
            if (b.toolUse() != null) toolNames.put(b.toolUse().toolUseId(), b.toolUse().name());
          }
        }
        for (var m : messages) r.input.addAll(messages(m, toolNames));
      }
      if (config != null) {
        r.meta("max_tokens", config.maxTokens());
        r.meta("temperature", decimal(config.temperature()));
        r.meta("top_p", decimal(config.topP()));
        if (config.hasStopSequences()) r.meta("stop_sequences", config.stopSequences());
      }
      if (tools != null && tools.hasTools()) {
        for (Tool t : tools.tools()) {
          if (t.toolSpec() == null) continue;
          Object schema = t.toolSpec().inputSchema() == null ? null : Pojos.toJava(t.toolSpec().inputSchema().json());
          r.toolDefinitions.add(dev.llmobs.ToolDefinition.of(t.toolSpec().name(), t.toolSpec().description(),
              schema instanceof Map ? castMap(schema) : null));
        }
      }
    }
  }

  /**
   * A Converse request message in Datadog's shape: its text and tool calls, and its tool results as a message of
   * their own named after their calls (the wire format's Bedrock example). Blocks we do not render leave a marker.
   */
  static List<Message> messages(software.amazon.awssdk.services.bedrockruntime.model.Message m,
      Map<String, String> toolNames) {
    Message all = message(m);
    if (all.toolResults().isEmpty()) return List.of(all);
    List<ToolResult> named = new ArrayList<>();
    for (ToolResult tr : all.toolResults()) {
      named.add(ToolResult.of(toolNames.getOrDefault(tr.toolId(), ""), tr.result(), tr.toolId(), tr.type()));
    }
    Message results = ModelCall.message(m.roleAsString(), "", null, named);
    if (all.content().isEmpty() && all.toolCalls().isEmpty()) return List.of(results);
    return List.of(ModelCall.message(m.roleAsString(), all.content(), all.toolCalls(), null), results);
  }

  /** A Converse message, in Datadog's shape: text, tool calls, tool results; other blocks become markers. */
  static Message message(software.amazon.awssdk.services.bedrockruntime.model.Message m) {
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    if (m.content() != null) {
      for (ContentBlock b : m.content()) {
        if (b.text() != null) text.append(b.text());
        if (b.toolUse() != null) {
          Object input = Pojos.toJava(b.toolUse().input());
          calls.add(ToolCall.of(b.toolUse().name(), input instanceof Map ? castMap(input) : Map.of("input", input),
              b.toolUse().toolUseId(), "toolUse"));
        }
        if (b.toolResult() != null) {
          StringBuilder result = new StringBuilder();
          if (b.toolResult().content() != null) {
            for (ToolResultContentBlock c : b.toolResult().content()) {
              if (c.text() != null) result.append(c.text());
              if (c.json() != null) result.append(new dev.llmobs.internal.json.JsonWriter(64).value(Pojos.toJava(c.json())));
            }
          }
          results.add(ToolResult.of("", result.toString(), b.toolResult().toolUseId(), "toolResult"));
        }
        if (b.image() != null) text.append("([IMAGE DETECTED])");
        if (b.document() != null) text.append("([DOCUMENT DETECTED: ").append(b.document().name()).append("])");
        if (b.video() != null) text.append("([VIDEO DETECTED])");
        if (b.guardContent() != null) text.append("([GUARDRAIL CONTENT])");
        if (b.reasoningContent() != null) text.append("([REASONING])");
      }
    }
    return ModelCall.message(m.roleAsString(), text.toString(), calls, results);
  }

  /** Records the response of a non-streaming call. */
  static void onResponse(CallRecord r, SdkResponse response, SdkHttpResponse http) {
    if (response instanceof ConverseResponse) {
      ConverseResponse c = (ConverseResponse) response;
      // The typed response has everything but, in SDKs before cache tokens were modelled, those tokens: the JSON is
      // captured on those SDKs only, and parsed only when it holds cache fields the typed usage lost (parsing costs
      // more than the rest).
      if (r.rawResponse != null && c.usage() != null
          && contains(r.rawResponse, "\"cache") && converseFromJson(r, r.rawResponse)) {
        return;
      }
      if (c.trace() != null || "guardrail_intervened".equals(c.stopReasonAsString())) {
        Guardrails.converseResponse(r, c.stopReasonAsString(), c.trace() == null ? null : Pojos.toJava(c.trace()));
      }
      synchronized (r) {
        if (c.output() != null && c.output().message() != null) r.output.add(message(c.output().message()));
        r.meta("stop_reason", c.stopReasonAsString());
        if (c.metrics() != null) r.meta("latency_ms", c.metrics().latencyMs());
        usage(r, c.usage());
      }
    } else if (response instanceof InvokeModelResponse) {
      InvokeModelResponse i = (InvokeModelResponse) response;
      if (i.body() != null) invokeResponse(r, i.body().asByteArrayUnsafe());
      tokenHeaders(r, http);
    }
  }

  private static void invokeResponse(CallRecord r, byte[] body) {
    Object parsed = Json.parse(body);
    synchronized (r) {
      if (parsed == null) r.outputText = ModelCall.clip(new String(body, java.nio.charset.StandardCharsets.UTF_8));
      else r.family.response(parsed, r);
    }
  }

  /** Converse's response from its JSON: the same for every SDK version, cache tokens included. */
  private static boolean converseFromJson(CallRecord r, byte[] raw) {
    Object res = Json.parse(raw);
    Map<String, Object> message = Json.obj(Json.obj(res, "output"), "message");
    if (message == null) return false;
    Guardrails.converseResponse(r, Json.str(res, "stopReason"), Json.obj(res, "trace"));
    synchronized (r) {
      AmazonNova.converseResponse(res, r);
      r.meta("latency_ms", Json.num(Json.obj(res, "metrics"), "latencyMs"));
    }
    return true;
  }

  static boolean contains(byte[] haystack, String ascii) {
    byte first = (byte) ascii.charAt(0);
    outer:
    for (int i = 0, last = haystack.length - ascii.length(); i <= last; i++) {
      if (haystack[i] != first) continue; // the common case, with no call: this runs interpreted in early invocations
      for (int j = 1; j < ascii.length(); j++) if (haystack[i + j] != ascii.charAt(j)) continue outer;
      return true;
    }
    return false;
  }

  /**
   * Whether this AWS SDK models Converse's cache tokens. Then the typed usage is the whole answer (no cache tokens
   * there means none were used) and the raw JSON is never searched; an older SDK loses them, and the JSON is read.
   */
  static final boolean CACHE_TOKENS_MODELLED = modelsCacheTokens();

  private static boolean modelsCacheTokens() {
    try {
      for (software.amazon.awssdk.core.SdkField<?> f : TokenUsage.builder().build().sdkFields()) {
        if ("cacheReadInputTokens".equals(f.locationName())) return true;
      }
    } catch (RuntimeException | LinkageError e) {
      // read the JSON, as for an SDK that does not model them
    }
    return false;
  }

  static void usage(CallRecord r, TokenUsage u) {
    if (u == null) return;
    r.inputTokens = longOf(u.inputTokens());
    r.outputTokens = longOf(u.outputTokens());
    r.totalTokens = longOf(u.totalTokens());
    // Not modelled in older SDKs: read by field name, empty where unknown.
    r.cacheRead = longOf(u.getValueForField("cacheReadInputTokens", Integer.class).orElse(null));
    r.cacheWrite = longOf(u.getValueForField("cacheWriteInputTokens", Integer.class).orElse(null));
  }

  /** InvokeModel's token headers: the fallback for every model family. */
  static void tokenHeaders(CallRecord r, SdkHttpResponse http) {
    if (http == null) return;
    synchronized (r) {
      if (r.inputTokens == null) r.inputTokens = header(http, "X-Amzn-Bedrock-Input-Token-Count");
      if (r.outputTokens == null) r.outputTokens = header(http, "X-Amzn-Bedrock-Output-Token-Count");
      if (r.cacheRead == null) r.cacheRead = header(http, "X-Amzn-Bedrock-Cache-Read-Input-Token-Count");
      if (r.cacheWrite == null) r.cacheWrite = header(http, "X-Amzn-Bedrock-Cache-Write-Input-Token-Count");
      Long latency = header(http, "X-Amzn-Bedrock-Invocation-Latency");
      if (latency != null) r.meta("latency_ms", latency);
    }
  }

  private static Long header(SdkHttpResponse http, String name) {
    Optional<String> v = http.firstMatchingHeader(name);
    if (!v.isPresent()) return null;
    try {
      return Long.parseLong(v.get().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A float as the decimal the user wrote (0.2f is 0.2, not 0.20000000298023224). */
  private static Double decimal(Float f) {
    return f == null ? null : Double.valueOf(Float.toString(f));
  }

  private static Long longOf(Integer i) {
    return i == null ? null : i.longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

}
