/**
 * Automatic {@code llm} and {@code embedding} spans for Amazon Bedrock Runtime calls made with the AWS SDK for Java
 * v2. Nothing to call: {@link dev.llmobs.bedrock.LlmObsBedrockInterceptor} is registered for every client through
 * the SDK's global interceptor resource; it can also be added to one client builder explicitly.
 */
package dev.llmobs.bedrock;
