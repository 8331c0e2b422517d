/**
 * OTLP/HTTP JSON with OpenTelemetry's GenAI conventions: spans and evaluation log records. <b>Not for you:</b> public only because another package of this project needs it; it may change or vanish
 * in any release without notice.
 */
package dev.llmobs.export.otlp;
