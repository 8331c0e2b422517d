package dev.llmobs;

/**
 * Sees each finished span just before it is encoded, and may redact or rewrite it, or drop it: for example, remove
 * e-mail addresses from inputs. Registered with {@link LLMObs#registerProcessor}; one at a time.
 *
 * <p>It runs on the flushing thread (the invocation's, under the Lambda wrapper), only while the flush's budget
 * lasts: spans it had no time for wait, unprocessed, for the next flush. A processor that throws leaves that span as
 * it was, and is reported once. Keep it fast: it cannot be interrupted.
 */
@FunctionalInterface
public interface SpanProcessor {
  /**
   * Returns the span to send: {@code span} itself, a copy made with its {@code with...} methods, or null to drop it
   * (counted among the flush's dropped spans).
   */
  FinishedSpan process(FinishedSpan span);
}
