/**
 * The export half of the data path: destinations, sinks, the breaker for a sick destination. <b>Not for you:</b> public only because another package of this project needs it; it may change or vanish
 * in any release without notice.
 */
package dev.llmobs.export;
