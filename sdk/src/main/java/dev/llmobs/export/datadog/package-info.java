/**
 * Datadog LLM Observability's wire shapes: span events and evaluation metrics. <b>Not for you:</b> public only because another package of this project needs it; it may change or vanish
 * in any release without notice.
 */
package dev.llmobs.export.datadog;
