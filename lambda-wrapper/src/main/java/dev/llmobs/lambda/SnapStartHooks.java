package dev.llmobs.lambda;

import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.TracerHandle;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart (CRaC) hooks: what must not survive a snapshot is reset. Before the checkpoint, pooled connections are
 * closed (every restored copy would share dead sockets). After a restore, id generation is reseeded (copies must not
 * draw the same ids), connections are dropped again, and the next call counts as a cold start.
 *
 * <p>Design note: the hooks are registered only when the function is initialized for SnapStart
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}): the runtime takes no snapshot otherwise, and registering
 * through {@code org.crac} (reflection and a dynamic proxy bridging to the runtime's CRaC classes) costs about 20 ms
 * of a Java 17 cold start and 40 ms of a Java 25 one. The runtime keeps registered resources in a
 * {@code WeakHashMap}, so the instance is held here.
 */
final class SnapStartHooks implements Resource {
  static final SnapStartHooks INSTANCE = new SnapStartHooks();
  private static boolean registered;

  private SnapStartHooks() {}

  static void register() {
    register(Invocation.settings);
  }

  /** Registers the hooks if {@code settings} say the JVM may be snapshotted; returns whether they are registered. */
  static synchronized boolean register(LambdaSettings settings) {
    if (registered) return true;
    if (!settings.snapshotting) {
      Log.debug("init type " + settings.initType + ": no snapshot will be taken, no SnapStart hooks registered");
      return false;
    }
    registered = true;
    try {
      Core.getGlobalContext().register(INSTANCE);
      if (Log.isDebug()) {
        String probe;
        try {
          probe = Class.forName("com.amazonaws.services.lambda.crac.Resource").getName() + " visible";
        } catch (Throwable t) {
          probe = "runtime CRaC classes not visible: " + t;
        }
        Log.debug("SnapStart hooks registered with org.crac (" + System.getProperty("org.crac.Core.Compat") + "; " + probe + ")");
      }
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug("SnapStart hooks not registered: " + t);
    }
    return true;
  }

  @Override public void beforeCheckpoint(Context<? extends Resource> context) {
    TracerHandle.current().beforeCheckpoint();
    Log.info("SnapStart checkpoint: pooled connections closed");
  }

  @Override public void afterRestore(Context<? extends Resource> context) {
    TracerHandle.current().afterRestore();
    Invocation.resetColdStart();
    Log.info("SnapStart restore: ids reseeded, connections dropped, next call is a cold start");
  }
}
