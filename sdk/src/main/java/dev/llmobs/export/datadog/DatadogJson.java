package dev.llmobs.export.datadog;

import dev.llmobs.Document;
import dev.llmobs.Message;
import dev.llmobs.Prompt;
import dev.llmobs.ToolCall;
import dev.llmobs.ToolDefinition;
import dev.llmobs.ToolResult;
import dev.llmobs.internal.json.JsonWriter;
import java.util.List;

/**
 * Datadog's shapes of the values a span carries (messages, tool definitions, a prompt, documents), written with the
 * plain {@link JsonWriter}: the one place that knows them, for the span encoder and for a value recorded as text on a
 * span of the wrong kind.
 */
public final class DatadogJson {
  private DatadogJson() {}

  /** Writes chat messages in the wire format's shape ({@code meta.input.messages}). */
  public static JsonWriter messages(JsonWriter w, List<Message> messages) {
    w.raw('[');
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (i > 0) w.raw(',');
      w.raw("{\"role\":").string(m.role());
      w.raw(",\"content\":").string(m.content() == null ? "" : m.content());
      List<ToolCall> calls = m.toolCalls();
      if (!calls.isEmpty()) {
        w.raw(",\"tool_calls\":[");
        for (int j = 0; j < calls.size(); j++) {
          ToolCall c = calls.get(j);
          if (j > 0) w.raw(',');
          // meta > input > messages > message > tool_calls > call > arguments: six levels down
          w.raw("{\"name\":").string(c.name()).raw(",\"arguments\":").valueBelow(c.arguments(), 6);
          if (c.toolId() != null) w.raw(",\"tool_id\":").string(c.toolId());
          if (c.type() != null) w.raw(",\"type\":").string(c.type());
          w.raw('}');
        }
        w.raw(']');
      }
      List<ToolResult> results = m.toolResults();
      if (!results.isEmpty()) {
        w.raw(",\"tool_results\":[");
        for (int j = 0; j < results.size(); j++) {
          ToolResult r = results.get(j);
          if (j > 0) w.raw(',');
          w.raw("{\"name\":").string(r.name()).raw(",\"result\":").string(r.result());
          if (r.toolId() != null) w.raw(",\"tool_id\":").string(r.toolId());
          if (r.type() != null) w.raw(",\"type\":").string(r.type());
          w.raw('}');
        }
        w.raw(']');
      }
      w.raw('}');
    }
    return w.raw(']');
  }

  /** Writes tool definitions in the wire format's shape ({@code meta.tool_definitions}). */
  public static JsonWriter toolDefinitions(JsonWriter w, List<ToolDefinition> tools) {
    w.raw('[');
    for (int i = 0; i < tools.size(); i++) {
      ToolDefinition t = tools.get(i);
      if (i > 0) w.raw(',');
      w.raw("{\"name\":").string(t.name());
      if (t.description() != null) w.raw(",\"description\":").string(t.description());
      // meta > tool_definitions > definition > schema: three levels down
      if (t.schema() != null) w.raw(",\"schema\":").valueBelow(t.schema(), 3);
      if (t.version() != null) w.raw(",\"version\":").string(t.version());
      w.raw('}');
    }
    return w.raw(']');
  }

  /**
   * Writes a prompt template in the wire format's shape ({@code meta.input.prompt}); without an id it is named
   * {@code <mlApp>_unnamed-prompt}, as the other SDKs name it.
   */
  public static JsonWriter prompt(JsonWriter w, Prompt p, String mlApp) {
    w.raw("{\"id\":").string(p.id() != null ? p.id() : mlApp + "_unnamed-prompt");
    if (p.version() != null) w.raw(",\"version\":").string(p.version());
    if (p.template() != null) w.raw(",\"template\":").string(p.template());
    if (p.chatTemplate() != null) {
      w.raw(",\"chat_template\":[");
      for (int i = 0; i < p.chatTemplate().size(); i++) {
        Message m = p.chatTemplate().get(i);
        if (i > 0) w.raw(',');
        w.raw("{\"role\":").string(m.role()).raw(",\"content\":").string(m.content() == null ? "" : m.content());
        w.raw('}');
      }
      w.raw(']');
    }
    // meta > input > prompt > variables: three levels down
    w.raw(",\"variables\":").valueBelow(p.variables(), 3);
    w.raw(",\"tags\":").valueBelow(p.tags(), 3);
    w.raw(",\"_dd_context_variable_keys\":").valueBelow(p.contextVariableKeys(), 3);
    w.raw(",\"_dd_query_variable_keys\":").valueBelow(p.queryVariableKeys(), 3);
    return w.raw('}');
  }

  /** Writes documents in the wire format's shape ({@code meta.output.documents}). */
  public static JsonWriter documents(JsonWriter w, List<Document> documents) {
    w.raw('[');
    for (int i = 0; i < documents.size(); i++) {
      Document d = documents.get(i);
      if (i > 0) w.raw(',');
      w.raw("{\"text\":").string(d.text());
      if (d.name() != null) w.raw(",\"name\":").string(d.name());
      if (d.id() != null) w.raw(",\"id\":").string(d.id());
      if (d.score() != null) w.raw(",\"score\":").number(d.score());
      w.raw('}');
    }
    return w.raw(']');
  }
}
