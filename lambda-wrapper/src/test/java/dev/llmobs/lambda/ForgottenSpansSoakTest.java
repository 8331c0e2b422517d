package dev.llmobs.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A handler that never closes a span, invoked 100,000 times in one warm JVM with a 256 MB heap (the module's tests run
 * with {@code -Xmx256m}): nothing of an invocation outlives it. The
 * heap is measured after a collection (retained objects, not time): before, each invocation chained its root to the
 * span left current by the one before, about 1.2 KB a call for as long as the function lived.
 */
class ForgottenSpansSoakTest {
  static long retainedBytes() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test void aHandlerThatLeavesASpanOpenEveryTimeDoesNotGrowTheHeap() {
    LLMObsLambda.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null",
        "LLMOBS_LOG_LEVEL", "warn", "AWS_LAMBDA_FUNCTION_NAME", "leaky"));
    RequestHandler<String, String> traced = LLMObsLambda.wrap((String event, Context c) -> {
      LLMObsSpan left = LLMObs.task("forgotten").input(event); // never finished
      left.metadata("k", "v");
      return "ok";
    });
    int warmUp = 5_000, total = 100_000;
    for (int i = 0; i < warmUp; i++) traced.handleRequest("question " + i, new TestContext("w" + i));
    long before = retainedBytes();
    for (int i = warmUp; i < total; i++) traced.handleRequest("question " + i, new TestContext("r" + i));
    long grown = retainedBytes() - before;
    System.out.println("forgotten spans soak: " + (total - warmUp) + " invocations, heap retained after collection grew "
        + (grown >> 10) + " KiB");
    // 95,000 leaked chains would hold about 110 MB; the bound leaves room for the JIT and the collector's own noise.
    assertTrue(grown < 8L << 20, "the heap grew " + (grown >> 10) + " KiB over " + (total - warmUp) + " invocations");
    assertEquals("NoopSpan", LLMObs.currentSpan().getClass().getSimpleName(), "nothing current after an invocation");
  }
}
