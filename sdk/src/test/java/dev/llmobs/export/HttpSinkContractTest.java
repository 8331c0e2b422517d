package dev.llmobs.export;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.TestIntake;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The HTTP sink, agentless route, against the loopback intake. */
class HttpSinkContractTest extends SinkContract {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
  }

  @AfterEach void stop() {
    intake.close();
  }

  static HttpSink sinkFor(String origin) {
    Config config = Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", origin), false);
    return HttpSink.datadog(config, new HttpPoster("contract-test"));
  }

  @Override Sink sink() {
    return sinkFor(intake.origin());
  }

  @Override Sink brokenSink() throws Exception {
    String origin = intake.origin();
    intake.close();
    return sinkFor(origin);
  }

  @Override List<Map<String, Object>> receivedSpans() {
    return intake.spans();
  }

  @Override List<Map<String, Object>> receivedEvaluations() {
    return intake.evaluations();
  }
}
