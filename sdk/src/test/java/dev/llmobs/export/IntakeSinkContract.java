package dev.llmobs.export;

import dev.llmobs.testing.TestIntake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract for a sink that posts to a loopback intake: broken means the intake has gone away. */
abstract class IntakeSinkContract extends SinkContract {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  /** The sink under test, posting to {@code origin}. */
  abstract HttpSink sinkFor(String origin);

  @Override Sink sink() {
    return sinkFor(intake.origin());
  }

  @Override Sink brokenSink() {
    String origin = intake.origin();
    intake.close();
    return sinkFor(origin);
  }
}
