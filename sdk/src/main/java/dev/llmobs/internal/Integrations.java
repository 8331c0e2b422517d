package dev.llmobs.internal;

/** Switches for automatic instrumentation, set from the configuration when it is installed, and what they share. */
public final class Integrations {
  /** Amazon Bedrock calls through the AWS SDK v2 become spans ({@code LLMOBS_BEDROCK_ENABLED}). */
  public static volatile boolean bedrock = true;
  /**
   * LangChain4j AI Services traced without code, through LangChain4j's service loader
   * ({@code LLMOBS_LANGCHAIN4J_ENABLED}); listeners the user registers trace regardless.
   */
  public static volatile boolean langchain4j = true;

  private Integrations() {}

  /**
   * An embedding call's output as Datadog's integrations write it, {@code [n embedding(s) returned with size d]}: the
   * vectors themselves are not sent.
   */
  public static String embeddingsOutput(int count, int dimensions) {
    return "[" + count + " embedding(s) returned with size " + dimensions + "]";
  }
}
