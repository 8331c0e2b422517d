package dev.llmobs;

import java.util.Collections;
import java.util.LinkedHashMap;
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
    Map<String, Object> copy = null;
    if (schema != null) {
      try {
        copy = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
      } catch (RuntimeException e) { // a concurrently modified or broken map
        Usage.rejected("bad-map", "could not read the schema of tool '" + name + "': " + e + "; sent without it");
      }
    }
    return new ToolDefinition(name, description, copy, null);
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
