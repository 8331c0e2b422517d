package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A detected agent or extension is asked {@code GET /info} once, lazily, before its EVP proxy is used; an extension
 * without the proxy must not silently eat batches (wire format §1.4).
 */
class RouteDiscoveryTest {
  static final String KEY = "9f3c1a7be2d84c0f95a6e1b7d3c2f480";
  static final String OLD_EXTENSION = "{\"version\":\"v60\",\"endpoints\":[\"/v0.4/traces\",\"/v0.6/stats\"]}";
  TestIntake agent, intake;
  LogCapture logs;

  @BeforeEach void start() throws Exception {
    agent = new TestIntake();
    intake = new TestIntake(); // the Datadog intake, for agentless
    logs = new LogCapture();
  }

  @AfterEach void stop() {
    logs.close();
    agent.close();
    intake.close();
  }

  void configure(String... extra) {
    Map<String, String> env = new HashMap<>(Map.of("DD_TRACE_AGENT_URL", agent.origin()));
    for (int i = 0; i + 1 < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
    LLMObs.configure(Config.fromEnv(env, false), new ManualClock());
  }

  static void trace() {
    try (LLMObsSpan wf = LLMObs.workflow("w")) {
      LLMObs.task("t").finish();
    }
  }

  @Test void anExtensionWithTheProxyIsAskedOnceThenUsed() {
    configure();
    for (int i = 0; i < 3; i++) {
      trace();
      assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    }
    assertEquals(1, agent.requestsTo("/info").size(), "asked once");
    assertEquals(3, agent.requestsTo("/evp_proxy/v2/api/v2/llmobs").size());
    assertEquals("GET", agent.requestsTo("/info").get(0).method);
  }

  @Test void anExtensionWithoutTheProxyAndAKeyMeansAgentless() {
    agent.info(OLD_EXTENSION);
    configure("DD_API_KEY", KEY, "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin());
    trace();
    FlushResult r = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(2, r.spansSent(), r.toString());
    assertEquals(0, agent.requestsTo("/evp_proxy/v2/api/v2/llmobs").size(), "not handed to an agent that would eat it");
    assertEquals(KEY, intake.requestsTo("/api/v2/llmobs").get(0).headers.get("dd-api-key"));
    assertTrue(logs.contains("offers no EVP proxy"), logs.all());
  }

  @Test void anExtensionWithoutTheProxyAndNoKeyKeepsTheSpansAndSaysSoOnce() {
    agent.info(OLD_EXTENSION);
    configure();
    trace();
    FlushResult first = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(2, first.spansKept(), first.toString());
    trace();
    FlushResult second = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(4, second.spansKept());
    assertEquals(0, agent.requestsTo("/evp_proxy/v2/api/v2/llmobs").size());
    assertEquals(1, logs.lines().stream().filter(l -> l.contains("WARN") && l.contains("spans are kept")).count(), logs.all());
    agent.info("{\"endpoints\":[\"/evp_proxy/v2/\"]}"); // the extension was upgraded
    FlushResult third = LLMObs.flush(Duration.ofSeconds(2));
    assertEquals(4, third.spansSent(), "what was kept goes once the proxy is there");
  }

  @Test void anAgentThatDoesNotAnswerInfoMeansAgentlessWithAKey() {
    agent.info(null); // 404
    configure("DD_API_KEY", KEY, "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin());
    trace();
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(1, intake.requestsTo("/api/v2/llmobs").size());
  }

  @Test void aForcedRouteIsNotAsked() {
    configure("DD_LLMOBS_AGENTLESS_ENABLED", "false");
    trace();
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(0, agent.requestsTo("/info").size());
  }

  @Test void atInitTheAgentIsAskedAndTheFirstFlushFindsTheRouteAndTheConnectionReady() {
    configure();
    java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    dev.llmobs.internal.TracerHandle.current().prepare(System.nanoTime() + 2_000_000_000L); // the wrapper, at Init
    assertEquals(1, agent.requestsTo("/info").size(), "the route was asked at Init");
    assertEquals(0, agent.requestsTo("/evp_proxy/v2/api/v2/llmobs").size(), "nothing was sent at Init");
    trace();
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(1, agent.requestsTo("/info").size(), "the first flush did not ask again");
    assertEquals(1, agent.connections(), "the first flush used the connection Init opened");
  }

  @Test void atInitAnAgentThatDoesNotListenYetIsLeftToTheFirstFlushSilently() throws Exception {
    int port = agent.port();
    agent.close(); // the extension starts beside the function: it may not listen yet
    configure("DD_TRACE_AGENT_URL", "http://127.0.0.1:" + port);
    dev.llmobs.internal.TracerHandle.current().prepare(System.nanoTime() + 50_000_000L);
    assertTrue(logs.lines().stream().noneMatch(l -> l.contains("WARN")), logs.all());
    agent = new TestIntake(port);
    trace();
    assertEquals(2, LLMObs.flush(Duration.ofSeconds(2)).spansSent());
    assertEquals(1, agent.requestsTo("/info").size(), "asked by the first flush instead");
  }
}
