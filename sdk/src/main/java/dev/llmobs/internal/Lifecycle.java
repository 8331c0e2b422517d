package dev.llmobs.internal;

/**
 * What the Lambda wrapper's SnapStart (CRaC) hooks call: before the snapshot, close pooled connections (they would
 * be dead in every restored copy); after a restore, reseed id generation and drop connections again.
 */
public final class Lifecycle {
  private static volatile Runnable closeConnections = new Runnable() {
    @Override public void run() {}
  };

  private Lifecycle() {}

  /** Set by the SDK's entry point; not for users. */
  public static void onCloseConnections(Runnable r) {
    closeConnections = r;
  }

  public static void beforeCheckpoint() {
    closeConnections.run();
  }

  public static void afterRestore() {
    Ids.reseed();
    closeConnections.run();
  }
}
