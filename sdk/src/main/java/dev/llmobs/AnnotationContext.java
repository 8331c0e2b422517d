package dev.llmobs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scope that annotates every span started inside it, on this thread and in work carried by {@link LLMObs#wrap}:
 * a prompt (on {@code llm} spans; other kinds leave it out), tags, and a name. Inner scopes win over outer ones for
 * the prompt and the name; tags add up.
 * <pre>{@code
 * try (AnnotationContext ctx = AnnotationContext.builder().prompt(prompt).tag("experiment", "b").open()) {
 *   answer(question); // every span started here, Bedrock's included, gets them
 * }
 * }</pre>
 * Closing it out of order does nothing but log once.
 */
public final class AnnotationContext implements AutoCloseable {
  private final Annotations scope;
  private final Tracer tracer; // null when tracing is off
  private boolean closed;

  private AnnotationContext(Annotations scope, Tracer tracer) {
    this.scope = scope;
    this.tracer = tracer;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sets up a scope; {@link #open()} starts it on this thread. Not thread-safe. */
  public static final class Builder {
    private Prompt prompt;
    private String name;
    private final Map<String, String> tags = new LinkedHashMap<>();

    private Builder() {}

    public Builder prompt(Prompt prompt) {
      this.prompt = prompt;
      return this;
    }

    /** The name every span started inside gets. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder tag(String key, String value) {
      if (key != null) tags.put(key, value == null ? "" : value);
      return this;
    }

    /** Starts the scope on this thread; close it (try-with-resources) to end it. */
    public AnnotationContext open() {
      Tracer t = LLMObs.tracerIfEnabled();
      if (t == null) return new AnnotationContext(null, null);
      Annotations scope = new Annotations(t.annotations.get(), prompt, name, tags);
      t.annotations.set(scope);
      return new AnnotationContext(scope, t);
    }
  }

  @Override public void close() {
    if (tracer == null || closed) return;
    closed = true;
    if (tracer.annotations.get() == scope) {
      tracer.annotations.set(scope.outer);
    } else {
      Usage.report("annotation-order", "an annotation context was closed out of order (or on another thread); ignored");
    }
  }
}
