package dev.llmobs;

import java.util.Map;

/** A model's request to call a tool, inside an assistant {@link Message}. Immutable. */
public final class ToolCall {
  final String name;
  final Map<String, Object> arguments;
  final String toolId;
  final String type;

  private ToolCall(String name, Map<String, ?> arguments, String toolId, String type) {
    this.name = name == null ? "" : name;
    this.arguments = copy(this.name, arguments);
    this.toolId = toolId;
    this.type = type;
  }

  private static Map<String, Object> copy(String name, Map<String, ?> arguments) {
    Map<String, Object> copy = Copies.map(arguments, "the arguments of tool call '" + name + "'");
    return copy == null ? Map.of() : copy;
  }

  /** @param arguments the arguments as a JSON-like map; may be null */
  public static ToolCall of(String name, Map<String, ?> arguments, String toolId) {
    return new ToolCall(name, arguments, toolId, null);
  }

  /** @param type e.g. {@code "function"} or Bedrock's {@code "toolUse"} */
  public static ToolCall of(String name, Map<String, ?> arguments, String toolId, String type) {
    return new ToolCall(name, arguments, toolId, type);
  }

  public String name() {
    return name;
  }

  public Map<String, Object> arguments() {
    return arguments;
  }

  public String toolId() {
    return toolId;
  }

  public String type() {
    return type;
  }
}
