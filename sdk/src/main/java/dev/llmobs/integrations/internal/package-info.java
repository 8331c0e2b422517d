/**
 * What our integrations share for model calls (Bedrock, the OpenAI and Anthropic SDKs, LangChain4j): the call record
 * that knows the token and finish-reason names, the transport tap and client proxy of the vendors' SDKs, their JSON
 * readers. Public only for our modules in other jars; not for use outside llmobs-lambda.
 */
package dev.llmobs.integrations.internal;
