package dev.llmobs;

/** A body of work with no result: any {@code Runnable} lambda fits, and so does one that throws. */
@FunctionalInterface
public interface SpanRunnable<E extends Throwable> {
  void run() throws E;
}
