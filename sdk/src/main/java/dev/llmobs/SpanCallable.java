package dev.llmobs;

/**
 * A body of work that returns a value: any {@code Callable} or {@code Supplier} lambda fits, and the checked
 * exception it throws, if any, is the one the traced call declares.
 */
@FunctionalInterface
public interface SpanCallable<T, E extends Throwable> {
  T call() throws E;
}
