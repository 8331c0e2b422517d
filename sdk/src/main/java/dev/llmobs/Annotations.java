package dev.llmobs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an open annotation context applies to spans started inside it, merged with the scopes around it: the
 * thread-local value the recorder keeps and {@code LLMObs.wrap} carries. Immutable.
 */
final class Annotations {
  final Annotations outer;
  final Prompt prompt;
  final String name;
  final Map<String, String> tags;

  /** Inner scopes win over {@code outer} for the prompt and the name; tags add up. */
  Annotations(Annotations outer, Prompt prompt, String name, Map<String, String> tags) {
    this.outer = outer;
    this.prompt = prompt != null ? prompt : outer != null ? outer.prompt : null;
    this.name = name != null ? name : outer != null ? outer.name : null;
    Map<String, String> all = new LinkedHashMap<>();
    if (outer != null) all.putAll(outer.tags);
    all.putAll(tags);
    this.tags = java.util.Collections.unmodifiableMap(all);
  }

  /** Applies this scope to a span that starts inside it; the prompt only to {@code llm} spans. */
  void applyTo(LLMObsSpan span) {
    if (name != null) span.name(name);
    for (Map.Entry<String, String> e : tags.entrySet()) span.tag(e.getKey(), e.getValue());
    if (prompt != null && span.kind() == SpanKind.LLM) span.prompt(prompt);
  }
}
