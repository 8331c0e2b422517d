package dev.llmobs.testing;

import dev.llmobs.LLMObs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of a vendor SDK traced by us: a loopback stand-in of the vendor's API ({@link ModelApiStub}) and the loopback
 * intake the spans are read at, the SDK configured for it (agentless, ml_app {@code claims}).
 */
public abstract class ModelApiTest {
  protected TestIntake intake;
  protected ModelApiStub api;

  @BeforeEach void startStandIns() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims"));
    api = new ModelApiStub();
  }

  @AfterEach void stopStandIns() {
    api.close();
    intake.close();
  }

  /** The span of that name, after a flush. */
  protected Map<String, Object> span(String name) {
    LLMObs.flush(Duration.ofSeconds(5));
    return intake.span(name);
  }

  @SuppressWarnings("unchecked")
  protected static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

  /** The value at a path of keys in a span ({@code "meta", "metadata", "stop_reason"}), or null. */
  @SuppressWarnings("unchecked")
  protected static Object at(Map<String, Object> span, String... path) {
    Object o = span;
    for (String p : path) o = o instanceof Map ? ((Map<String, Object>) o).get(p) : null;
    return o;
  }
}
