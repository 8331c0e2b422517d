package dev.llmobs;

import java.util.Collections;
import java.util.LinkedHashMap;
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
    try {
      return arguments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    } catch (RuntimeException e) { // a concurrently modified or broken map
      Usage.rejected("bad-map", "could not read the arguments of tool call '" + name + "': " + e + "; none recorded");
      return Map.of();
    }
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
