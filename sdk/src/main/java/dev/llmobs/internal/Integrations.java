package dev.llmobs.internal;

/** Switches for automatic instrumentation, set from the configuration when it is installed. */
public final class Integrations {
  /** Amazon Bedrock calls through the AWS SDK v2 become spans ({@code LLMOBS_BEDROCK_ENABLED}). */
  public static volatile boolean bedrock = true;

  private Integrations() {}
}
