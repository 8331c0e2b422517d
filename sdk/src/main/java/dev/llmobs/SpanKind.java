package dev.llmobs;

/** The kinds of span Datadog LLM Observability knows, with their wire names. */
public enum SpanKind {
  /** A fixed sequence of steps, including LLM calls: the root of a Lambda invocation. */
  WORKFLOW("workflow"),
  /** A standalone step with no external call. */
  TASK("task"),
  /** A call to an external program or service with LLM-chosen arguments. */
  TOOL("tool"),
  /** The choices made by an autonomous agent. */
  AGENT("agent"),
  /** One call to a model. */
  LLM("llm"),
  /** A call that returns embeddings. */
  EMBEDDING("embedding"),
  /** A read from a knowledge base. */
  RETRIEVAL("retrieval");

  final String wireName;

  SpanKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name sent on the wire, e.g. {@code "llm"}. */
  public String wireName() {
    return wireName;
  }
}
