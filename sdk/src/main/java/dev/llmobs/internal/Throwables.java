package dev.llmobs.internal;

/**
 * Rethrows the errors that no library should swallow. Everything else, {@code LinkageError}s included (an older
 * AWS SDK on the user's class path must not break the call), is the caller's to log and survive.
 */
public final class Throwables {
  private Throwables() {}

  @SuppressWarnings("removal")
  public static void propagateIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) throw (VirtualMachineError) t;
    if (t instanceof ThreadDeath) throw (ThreadDeath) t;
  }
}
