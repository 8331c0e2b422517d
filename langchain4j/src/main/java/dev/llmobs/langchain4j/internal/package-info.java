/**
 * What LangChain4j's service loader and our listeners need public and users must not touch: the registrar factory
 * named in {@code META-INF/services}, and the marker of our listeners.
 */
package dev.llmobs.langchain4j.internal;
