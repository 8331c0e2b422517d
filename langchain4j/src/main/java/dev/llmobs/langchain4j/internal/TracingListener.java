package dev.llmobs.langchain4j.internal;

/**
 * Marks the AI Service listeners {@code LLMObsLangChain4j} hands out, so that the registrar our service-loader entry
 * installs can tell them from the user's. Not for use outside llmobs-lambda.
 */
public interface TracingListener {}
