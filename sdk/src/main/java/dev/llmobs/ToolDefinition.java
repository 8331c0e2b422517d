package dev.llmobs;

import java.util.Map;

/**
 * A tool a model was offered ({@code meta.tool_definitions} of an {@code llm} span): its name, description, the JSON
 * Schema of its arguments and an optional version. Immutable.
 */
public final class ToolDefinition {
  final String name, description, version;
  final Map<String, Object> schema;

  private ToolDefinition(String name, String description, Map<String, Object> schema, String version) {
    this.name = name == null ? "" : name;
    this.description = description;
    this.schema = schema;
    this.version = version;
  }

  /** @param schema the arguments' JSON Schema as a JSON-like map; may be null */
  public static ToolDefinition of(String name, String description, Map<String, ?> schema) {
    return new ToolDefinition(name, description, Copies.map(schema, "the schema of tool '" + name + "'"), null);
  }

  public ToolDefinition withVersion(String version) {
    return new ToolDefinition(name, description, schema, version);
  }

  public String name() { return name; }

  /** Null when none was given. */
  public String description() { return description; }

  /** The arguments' JSON Schema, or null. */
  public Map<String, Object> schema() { return schema; }

  /** Null when none was given. */
  public String version() { return version; }

  @Override public String toString() {
    return "ToolDefinition{" + name + "}";
  }
}
