/**
 * Implementation details of llmobs-lambda. <b>Not for you:</b> every type here is public only because another
 * package or module of this project needs it; it may change or vanish in any release without notice.
 */
package dev.llmobs.internal;
