package dev.llmobs;

/** What a tool returned, sent back to the model inside a {@link Message}. Immutable. */
public final class ToolResult {
  final String name;
  final String result;
  final String toolId;
  final String type;

  private ToolResult(String name, String result, String toolId, String type) {
    this.name = name == null ? "" : name;
    this.result = result == null ? "" : result;
    this.toolId = toolId;
    this.type = type;
  }

  public static ToolResult of(String name, String result, String toolId) {
    return new ToolResult(name, result, toolId, null);
  }

  /** @param type e.g. {@code "function"} or Bedrock's {@code "toolResult"} */
  public static ToolResult of(String name, String result, String toolId, String type) {
    return new ToolResult(name, result, toolId, type);
  }

  public String name() {
    return name;
  }

  public String result() {
    return result;
  }

  public String toolId() {
    return toolId;
  }

  public String type() {
    return type;
  }
}
