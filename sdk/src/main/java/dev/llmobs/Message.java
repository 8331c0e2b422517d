package dev.llmobs;

import java.util.List;

/**
 * One chat message of an {@code llm} span's input or output. Immutable; the {@code with*} methods return copies.
 * A null argument is taken as absent, never as an error.
 */
public final class Message {
  final String role;
  final String content;
  final List<ToolCall> toolCalls;
  final List<ToolResult> toolResults;

  private Message(String role, String content, List<ToolCall> toolCalls, List<ToolResult> toolResults) {
    this.role = role == null ? "" : role;
    this.content = content;
    this.toolCalls = toolCalls;
    this.toolResults = toolResults;
  }

  public static Message of(String role, String content) {
    return new Message(role, content, List.of(), List.of());
  }

  public static Message system(String content) {
    return of("system", content);
  }

  public static Message user(String content) {
    return of("user", content);
  }

  public static Message assistant(String content) {
    return of("assistant", content);
  }

  public Message withToolCalls(List<ToolCall> calls) {
    return new Message(role, content, copy(calls), toolResults);
  }

  public Message withToolResults(List<ToolResult> results) {
    return new Message(role, content, toolCalls, copy(results));
  }

  public String role() {
    return role;
  }

  public String content() {
    return content;
  }

  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  public List<ToolResult> toolResults() {
    return toolResults;
  }

  private static <T> List<T> copy(List<T> in) {
    List<T> copy = Copies.list(in, "a message's tool calls or results");
    return copy == null ? List.of() : copy;
  }

  @Override public String toString() {
    return "Message{role=" + role + ", content=" + content + ", toolCalls=" + toolCalls.size()
        + ", toolResults=" + toolResults.size() + "}";
  }
}
