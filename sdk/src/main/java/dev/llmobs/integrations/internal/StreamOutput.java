package dev.llmobs.integrations.internal;

import dev.llmobs.Message;
import dev.llmobs.ToolCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streamed answer under construction: text, reasoning and tool calls by content block (or choice) index, put
 * together into one assistant message when the stream ends. Fed by one reader at a time; {@link #assemble} once.
 */
public final class StreamOutput {
  private final ModelCall call;
  private final String toolCallType;
  private String role = "assistant";
  private final TreeMap<Integer, StringBuilder> text = new TreeMap<>();
  private final StringBuilder reasoning = new StringBuilder();
  private final TreeMap<Integer, String[]> tools = new TreeMap<>(); // index -> {name, id}
  private final TreeMap<Integer, StringBuilder> toolInput = new TreeMap<>();
  private boolean assembled;

  /** @param toolCallType the {@code type} the tool calls of this provider carry ({@code tool_use}, {@code function}) */
  public StreamOutput(ModelCall call, String toolCallType) {
    this.call = call;
    this.toolCallType = toolCallType;
  }

  public ModelCall call() {
    return call;
  }

  public synchronized void role(String role) {
    if (role != null) this.role = role;
  }

  /** A tool call starts at an index; a later start at the same index only fills what the first left out. */
  public synchronized void startTool(int index, String name, String id) {
    String[] t = tools.get(index);
    if (t == null) tools.put(index, new String[] {name, id});
    else {
      if (t[0] == null) t[0] = name;
      if (t[1] == null) t[1] = id;
    }
  }

  /** A piece of a tool call's JSON arguments; null or empty is nothing. */
  public synchronized void appendToolInput(int index, String json) {
    if (json == null || json.isEmpty()) return;
    call.firstToken();
    toolInput.computeIfAbsent(index, k -> new StringBuilder()).append(json);
  }

  /** A piece of text at an index; null or empty is nothing. */
  public synchronized void appendText(int index, String s) {
    if (s == null || s.isEmpty()) return;
    call.firstToken();
    text.computeIfAbsent(index, k -> new StringBuilder()).append(s);
  }

  /** A piece of the model's reasoning (thinking) text. */
  public synchronized void appendReasoning(String s) {
    if (s == null || s.isEmpty()) return;
    call.firstToken();
    reasoning.append(s);
  }

  /** Writes the assembled messages into the call; later calls do nothing. */
  public void assemble() {
    List<Message> messages = new ArrayList<>(2);
    synchronized (this) {
      if (assembled) return;
      assembled = true;
      if (reasoning.length() > 0) messages.add(Message.of("reasoning", reasoning.toString()));
      StringBuilder all = new StringBuilder();
      for (StringBuilder b : text.values()) all.append(b);
      List<ToolCall> calls = new ArrayList<>();
      for (Map.Entry<Integer, String[]> t : tools.entrySet()) {
        StringBuilder raw = toolInput.get(t.getKey());
        calls.add(ToolCall.of(t.getValue()[0], arguments(raw == null ? null : raw.toString()), t.getValue()[1], toolCallType));
      }
      if (all.length() > 0 || !calls.isEmpty()) messages.add(ModelCall.message(role, all.toString(), calls, null));
    }
    synchronized (call) {
      call.output.addAll(messages);
    }
  }

  /** A tool call's arguments as sent (JSON text): an object, or the raw text under {@code raw} when not one. */
  public static Map<String, Object> arguments(String json) {
    if (json == null || json.isEmpty()) return null;
    Map<String, Object> map = Json.asObj(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
    return map != null ? map : Map.of("raw", json);
  }
}
