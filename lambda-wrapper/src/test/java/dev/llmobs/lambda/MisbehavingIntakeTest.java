package dev.llmobs.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.llmobs.testing.Lateness;
import dev.llmobs.testing.TestIntake.Answer;
import dev.llmobs.testing.TestIntake;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A traced handler against intakes that misbehave as real peers do: the handler's result and its exception reach
 * the runtime unchanged, and the invocation returns within what it had left (here 600 ms, of which the wrapper keeps
 * a 100 ms margin), however the intake behaves.
 */
class MisbehavingIntakeTest {
  /** How late this machine wakes threads now: added to every time bound (a busy machine is not our fault). */
  final Lateness late = Lateness.watch();
  static final long REMAINING_MS = 600, MARGIN_MS = 100, SLACK_MS = 150;
  TestIntake intake;

  @AfterEach void stop() {
    late.close();
    if (intake != null) intake.close();
  }

  static List<Object[]> peers() {
    return List.of(
        new Object[] {"a reply trickled a byte every 20 ms", (Supplier<Answer>) () -> Answer.trickle(202, 20)},
        new Object[] {"a header that never ends", (Supplier<Answer>) () -> Answer.trickleForever(5)},
        new Object[] {"a connection never read", (Supplier<Answer>) Answer::neverRead},
        new Object[] {"a request never answered", (Supplier<Answer>) Answer::neverAnswer},
        new Object[] {"a reset after the request", (Supplier<Answer>) Answer::reset},
        new Object[] {"a half-close after the request", (Supplier<Answer>) Answer::halfClose},
        new Object[] {"garbage instead of HTTP", (Supplier<Answer>) () -> Answer.raw("nonsense\r\n\r\n")},
        new Object[] {"the request echoed back", (Supplier<Answer>) Answer::echo},
        new Object[] {"a 503 trickled", (Supplier<Answer>) () -> Answer.trickle(503, 3)});
  }

  void start(Supplier<Answer> misbehaviour) throws Exception {
    intake = new TestIntake().always(misbehaviour.get());
    Map<String, String> env = new HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "9f3c1a7be2d84c0f95a6e1b7d3c2f480", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "LLMOBS_FLUSH_MARGIN_MS", Long.toString(MARGIN_MS), "AWS_LAMBDA_FUNCTION_NAME", "claims-assistant"));
    LLMObsLambda.configure(env);
  }

  /** The handler's own time: the context's remaining time does not shrink in tests, so the wrapper's part is judged. */
  final java.util.concurrent.atomic.AtomicLong handlerNanos = new java.util.concurrent.atomic.AtomicLong();

  void assertInTime(long startNanos) {
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos - handlerNanos.get());
    assertTrue(took <= REMAINING_MS - MARGIN_MS + SLACK_MS + late.worstMillis(), "the wrapper took " + took
        + " ms beyond the handler's own time, of " + REMAINING_MS + " ms left");
  }

  @ParameterizedTest(name = "{0}") @MethodSource("peers")
  void theResultIsUnchangedAndInTime(String peer, Supplier<Answer> misbehaviour) throws Exception {
    start(misbehaviour);
    Object result = new Object() {
      @Override public String toString() {
        return "the handler's own result";
      }
    };
    RequestHandler<String, Object> traced = LLMObsLambda.wrap((event, ctx) -> {
      long t0 = System.nanoTime();
      dev.llmobs.LLMObs.task("work", () -> "x".repeat(200_000)); // a sizeable trace
      handlerNanos.set(System.nanoTime() - t0);
      return result;
    });
    long start = System.nanoTime();
    Object returned = traced.handleRequest("event", new TestContext("r-" + peer.hashCode(), REMAINING_MS));
    assertInTime(start);
    assertSame(result, returned);
  }

  @ParameterizedTest(name = "{0}") @MethodSource("peers")
  void theExceptionIsUnchangedAndInTime(String peer, Supplier<Answer> misbehaviour) throws Exception {
    start(misbehaviour);
    IllegalStateException thrown = new IllegalStateException("the handler's own failure");
    RequestHandler<String, Object> traced = LLMObsLambda.wrap((event, ctx) -> {
      throw thrown;
    });
    long start = System.nanoTime();
    IllegalStateException caught = assertThrows(IllegalStateException.class,
        () -> traced.handleRequest("event", new TestContext("r-" + peer.hashCode(), REMAINING_MS)));
    assertInTime(start);
    assertSame(thrown, caught);
    assertEquals(0, thrown.getSuppressed().length, "nothing was added to the user's exception");
  }
}
