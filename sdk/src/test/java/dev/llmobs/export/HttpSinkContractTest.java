package dev.llmobs.export;

import dev.llmobs.export.http.HttpPoster;
import dev.llmobs.internal.Config;
import java.util.List;
import java.util.Map;

/** The HTTP sink, agentless route, against the loopback intake. */
class HttpSinkContractTest extends IntakeSinkContract {
  @Override HttpSink sinkFor(String origin) {
    Config config = Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", origin), false);
    return HttpSink.datadog(config, new HttpPoster("contract-test"));
  }

  @Override List<Map<String, Object>> receivedSpans() {
    return intake.spans();
  }

  @Override List<Map<String, Object>> receivedEvaluations() {
    return intake.evaluations();
  }
}
