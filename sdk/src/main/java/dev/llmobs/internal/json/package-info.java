/**
 * A UTF-8 JSON writer that knows nothing of Datadog or OTLP. <b>Not for you:</b> public only because another package of this project needs it; it may change or vanish
 * in any release without notice.
 */
package dev.llmobs.internal.json;
