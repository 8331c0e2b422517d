package dev.llmobs.export.otlp;

import dev.llmobs.Document;
import dev.llmobs.FinishedSpan;
import dev.llmobs.Message;
import dev.llmobs.SpanKind;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolResult;
import dev.llmobs.export.datadog.DatadogJson;
import dev.llmobs.internal.json.JsonWriter;
import java.util.List;

/**
 * A span's content as the GenAI conventions carry it: input and output messages in their JSON schema's shape,
 * system instructions, tool definitions, retrieved documents, and the finish reason.
 */
final class OtlpContent {
  private OtlpContent() {}

  /** Inputs and outputs, as the conventions' opt-in content attributes: present only when I/O was captured. */
  static void write(FinishedSpan s, OtlpAttributes a) {
    switch (s.kind()) {
      case LLM:
        List<Message> in = s.inputMessages();
        if (in != null) {
          String system = systemInstructions(in);
          if (system != null) a.string("gen_ai.system_instructions", system);
          a.string("gen_ai.input.messages", messages(in, null));
        } else if (s.inputText() != null) {
          a.string("gen_ai.input.messages", messages(List.of(Message.user(s.inputText())), null));
        }
        if (!s.toolDefinitions().isEmpty()) {
          a.string("gen_ai.tool.definitions", toolDefinitions(s.toolDefinitions()));
        }
        if (s.prompt() != null) { // the conventions have no prompt template: ours, as Datadog shapes it
          a.string("llmobs.prompt", DatadogJson.prompt(new JsonWriter(256), s.prompt(), s.mlApp()).toString());
        }
        String finish = finishReason(s);
        List<Message> out = s.outputMessages();
        if (failedWithoutOutput(s, out)) return; // a failed call generated nothing: no output message
        if (out != null) a.string("gen_ai.output.messages", messages(out, finish));
        else if (s.outputText() != null) {
          a.string("gen_ai.output.messages", messages(List.of(Message.assistant(s.outputText())), finish));
        }
        return;
      case TOOL:
        if (s.inputText() != null) a.string("gen_ai.tool.call.arguments", s.inputText());
        if (s.outputText() != null) a.string("gen_ai.tool.call.result", s.outputText());
        return;
      case RETRIEVAL:
        if (s.inputText() != null) a.string("gen_ai.retrieval.query.text", s.inputText());
        if (s.outputDocuments() != null) a.string("gen_ai.retrieval.documents", retrievalDocuments(s.outputDocuments()));
        // falls through: the whole documents (text included) under ours, as before
      default:
        if (s.inputText() != null) a.string("llmobs.input", s.inputText());
        if (s.inputDocuments() != null) a.string("llmobs.input.documents", documents(s.inputDocuments()));
        if (s.outputText() != null) a.string("llmobs.output", s.outputText());
        if (s.outputDocuments() != null) a.string("llmobs.output.documents", documents(s.outputDocuments()));
    }
  }

  private static String finishReason(FinishedSpan s) {
    Object v = s.metadata().get("stop_reason");
    if (v == null) v = s.metadata().get("finish_reason");
    if (v instanceof String) return finishReason((String) v);
    return s.errorType() != null ? "error" : "stop";
  }

  /**
   * A provider's finish reason in the conventions' values ({@code stop}, {@code length}, {@code content_filter},
   * {@code tool_call}, {@code error}); one they do not name is kept as the provider said it (the schema allows it).
   */
  static String finishReason(String provider) {
    switch (provider) {
      case "stop": case "end_turn": case "stop_sequence": case "STOP": case "COMPLETE": case "FINISH": case "completed":
        return "stop";
      case "length": case "max_tokens": case "MAX_TOKENS": case "LENGTH": case "model_context_window_exceeded":
        return "length";
      case "tool_use": case "tool_calls": case "function_call": case "TOOL_EXECUTION": case "tool_execution":
        return "tool_call";
      case "content_filter": case "content_filtered": case "guardrail_intervened": case "refusal": case "SAFETY":
      case "CONTENT_FILTER":
        return "content_filter";
      default:
        return provider;
    }
  }

  /** A failed call whose only output is the empty answer Datadog's shape asks for. */
  private static boolean failedWithoutOutput(FinishedSpan s, List<Message> out) {
    if (s.errorType() == null) return false;
    if (out == null) return s.outputText() == null || s.outputText().isEmpty();
    for (Message m : out) {
      if ((m.content() != null && !m.content().isEmpty()) || !m.toolCalls().isEmpty()) return false;
    }
    return true;
  }

  private static String systemInstructions(List<Message> messages) {
    JsonWriter w = new JsonWriter(128).raw('[');
    boolean any = false;
    for (Message m : messages) {
      if (!"system".equals(m.role())) continue;
      if (any) w.raw(',');
      any = true;
      w.raw("{\"type\":\"text\",\"content\":").string(m.content() == null ? "" : m.content()).raw('}');
    }
    return any ? w.raw(']').toString() : null;
  }

  /** Messages in the conventions' JSON schema ({@code gen-ai-input-messages.json}), system messages left out. */
  private static String messages(List<Message> messages, String finishReason) {
    JsonWriter w = new JsonWriter(256).raw('[');
    boolean first = true;
    for (Message m : messages) {
      if ("system".equals(m.role())) continue;
      if (!first) w.raw(',');
      first = false;
      w.raw("{\"role\":").string(m.role()).raw(",\"parts\":[");
      boolean part = false;
      if (m.content() != null && !m.content().isEmpty()) {
        w.raw("{\"type\":\"text\",\"content\":").string(m.content()).raw('}');
        part = true;
      }
      for (ToolCall c : m.toolCalls()) {
        if (part) w.raw(',');
        part = true;
        w.raw("{\"type\":\"tool_call\",\"name\":").string(c.name());
        if (c.toolId() != null) w.raw(",\"id\":").string(c.toolId());
        w.raw(",\"arguments\":").value(c.arguments()).raw('}');
      }
      for (ToolResult r : m.toolResults()) {
        if (part) w.raw(',');
        part = true;
        w.raw("{\"type\":\"tool_call_response\"");
        if (r.toolId() != null) w.raw(",\"id\":").string(r.toolId());
        w.raw(",\"response\":").string(r.result()).raw('}'); // v1.41.0's ToolCallResponsePart
      }
      w.raw(']');
      if (finishReason != null) w.raw(",\"finish_reason\":").string(finishReason);
      w.raw('}');
    }
    return w.raw(']').toString();
  }

  /** The conventions' shape ({@code gen-ai-tool-definitions.json}): type, name, description, parameters. */
  private static String toolDefinitions(List<dev.llmobs.ToolDefinition> tools) {
    JsonWriter w = new JsonWriter(256).raw('[');
    for (int i = 0; i < tools.size(); i++) {
      dev.llmobs.ToolDefinition t = tools.get(i);
      if (i > 0) w.raw(',');
      w.raw("{\"type\":\"function\",\"name\":").string(t.name());
      if (t.description() != null) w.raw(",\"description\":").string(t.description());
      if (t.schema() != null) w.raw(",\"parameters\":").value(t.schema());
      w.raw('}');
    }
    return w.raw(']').toString();
  }

  /** The conventions' retrieved documents ({@code gen-ai-retrieval-documents.json}): id and score, where known. */
  private static String retrievalDocuments(List<Document> documents) {
    JsonWriter w = new JsonWriter(128).raw('[');
    boolean first = true;
    for (Document d : documents) {
      if (!first) w.raw(',');
      first = false;
      w.raw('{');
      boolean field = false;
      if (d.id() != null) {
        w.raw("\"id\":").string(d.id());
        field = true;
      }
      if (d.score() != null) {
        if (field) w.raw(',');
        w.raw("\"score\":").value(d.score());
      }
      w.raw('}');
    }
    return w.raw(']').toString();
  }

  /** Retrieved documents under attributes of ours (the conventions in our pin have none), as Datadog shapes them. */
  private static String documents(List<Document> documents) {
    return DatadogJson.documents(new JsonWriter(256), documents).toString();
  }
}
