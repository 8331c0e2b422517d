package dev.llmobs.export;

import java.util.List;
import java.util.Map;

class InMemorySinkContractTest extends SinkContract {
  final InMemorySink sink = new InMemorySink();

  @Override Sink sink() {
    return sink;
  }

  @Override Sink brokenSink() {
    return sink.fail(true);
  }

  @Override List<Map<String, Object>> receivedSpans() {
    return sink.spans();
  }

  @Override List<Map<String, Object>> receivedEvaluations() {
    return sink.evaluations();
  }
}
