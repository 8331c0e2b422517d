package dev.llmobs.internal;

/** What the integrations write alike. */
public final class Integrations {
  private Integrations() {}

  /**
   * An embedding call's output as Datadog's integrations write it, {@code [n embedding(s) returned with size d]}: the
   * vectors themselves are not sent.
   */
  public static String embeddingsOutput(int count, int dimensions) {
    return "[" + count + " embedding(s) returned with size " + dimensions + "]";
  }
}
