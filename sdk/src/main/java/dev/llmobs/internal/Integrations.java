package dev.llmobs.internal;

/** Switches for automatic instrumentation, set from the configuration when it is installed. */
public final class Integrations {
  /** Amazon Bedrock calls through the AWS SDK v2 become spans ({@code LLMOBS_BEDROCK_ENABLED}). */
  public static volatile boolean bedrock = true;
  /**
   * LangChain4j AI Services traced without code, through LangChain4j's service loader
   * ({@code LLMOBS_LANGCHAIN4J_ENABLED}); listeners the user registers trace regardless.
   */
  public static volatile boolean langchain4j = true;

  private Integrations() {}
}
