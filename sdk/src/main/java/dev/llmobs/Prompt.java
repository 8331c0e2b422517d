package dev.llmobs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt template an {@code llm} call was made from ({@code meta.input.prompt}): a text template or a chat
 * template, its variables, and which variables hold the context and the question (Datadog reads those for its
 * hallucination checks; by default {@code context} and {@code question}). Immutable; set on a span
 * ({@code span.prompt(...)}) or on every llm span in an annotation context. Without an id, it is sent as
 * {@code <ml_app>_unnamed-prompt}.
 */
public final class Prompt {
  final String id, version, template;
  final List<Message> chatTemplate;
  final Map<String, String> variables, tags;
  final List<String> contextKeys, queryKeys;

  private Prompt(String id, String version, String template, List<Message> chatTemplate, Map<String, String> variables,
      Map<String, String> tags, List<String> contextKeys, List<String> queryKeys) {
    this.id = id;
    this.version = version;
    this.template = template;
    this.chatTemplate = chatTemplate;
    this.variables = variables;
    this.tags = tags;
    this.contextKeys = contextKeys;
    this.queryKeys = queryKeys;
  }

  /** A text template, e.g. {@code "Answer {question} from {context}"}. */
  public static Prompt of(String template) {
    return new Prompt(null, null, template, null, Map.of(), Map.of(), List.of("context"), List.of("question"));
  }

  /** A chat template: messages whose contents hold the variables. */
  public static Prompt chat(List<Message> chatTemplate) {
    List<Message> copy = Copies.list(chatTemplate, "a chat template");
    return new Prompt(null, null, null, copy == null ? List.of() : copy, Map.of(), Map.of(), List.of("context"),
        List.of("question"));
  }

  public Prompt id(String id) {
    return new Prompt(id, version, template, chatTemplate, variables, tags, contextKeys, queryKeys);
  }

  public Prompt version(String version) {
    return new Prompt(id, version, template, chatTemplate, variables, tags, contextKeys, queryKeys);
  }

  /** The values the template was filled with. */
  public Prompt variables(Map<String, String> variables) {
    return new Prompt(id, version, template, chatTemplate, copy(variables), tags, contextKeys, queryKeys);
  }

  public Prompt tags(Map<String, String> tags) {
    return new Prompt(id, version, template, chatTemplate, variables, copy(tags), contextKeys, queryKeys);
  }

  /** Which variables hold the context (default {@code context}). */
  public Prompt contextVariables(String... keys) {
    return new Prompt(id, version, template, chatTemplate, variables, tags, keys(keys), queryKeys);
  }

  /** Which variables hold the question (default {@code question}). */
  public Prompt queryVariables(String... keys) {
    return new Prompt(id, version, template, chatTemplate, variables, tags, contextKeys, keys(keys));
  }

  /** The keys given, nulls left out. */
  private static List<String> keys(String... keys) {
    if (keys == null) return List.of();
    List<String> out = new java.util.ArrayList<>(keys.length);
    for (String k : keys) if (k != null) out.add(k);
    return List.copyOf(out);
  }

  private static Map<String, String> copy(Map<String, String> m) {
    try {
      if (m == null) return Map.of();
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : m.entrySet()) {
        if (e.getKey() != null) out.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
      }
      return Collections.unmodifiableMap(out);
    } catch (RuntimeException e) { // a concurrently modified or broken map
      Usage.rejected("bad-map", "could not read a prompt's variables or tags: " + e + "; sent without them");
      return Map.of();
    }
  }

  /** Null when none was given: sent as {@code <ml_app>_unnamed-prompt}. */
  public String id() { return id; }

  public String version() { return version; }

  /** The text template, or null for a chat template. */
  public String template() { return template; }

  /** The chat template, or null for a text template. */
  public List<Message> chatTemplate() { return chatTemplate; }

  public Map<String, String> variables() { return variables; }

  public Map<String, String> tags() { return tags; }

  public List<String> contextVariableKeys() { return contextKeys; }

  public List<String> queryVariableKeys() { return queryKeys; }

  /** About how many bytes this adds to a span, for the size limit. */
  long approxBytes() {
    long n = 128 + len(id) + len(version) + len(template);
    if (chatTemplate != null) for (Message m : chatTemplate) n += 32 + len(m.role()) + len(m.content());
    for (Map.Entry<String, String> e : variables.entrySet()) n += 8 + len(e.getKey()) + len(e.getValue());
    for (Map.Entry<String, String> e : tags.entrySet()) n += 8 + len(e.getKey()) + len(e.getValue());
    return n;
  }

  private static long len(String s) {
    return s == null ? 0 : s.length();
  }

  @Override public String toString() {
    return "Prompt{" + id + " " + version + "}";
  }
}
