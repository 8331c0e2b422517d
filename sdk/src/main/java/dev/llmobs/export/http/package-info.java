/**
 * A minimal HTTP/1.1 client bounded by one deadline: codec, plain and TLS channels, connection pool. <b>Not for you:</b> public only because another package of this project needs it; it may change or vanish
 * in any release without notice.
 */
package dev.llmobs.export.http;
