package dev.llmobs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration read from a map: route choice, defaults and limits, and the API key kept out of sight. */
class ConfigTest {
  @Test void withNothingConfiguredSpansGoToStdout() {
    Config c = Config.fromEnv(Map.of(), false);
    assertTrue(c.enabled);
    assertEquals(DatadogRoute.Route.STDOUT, c.datadog.route);
    assertEquals("unnamed-ml-app", c.mlApp);
  }

  @Test void anApiKeyAloneMeansAgentless() {
    Config c = Config.fromEnv(Map.of("DD_API_KEY", "abc", "DD_SITE", "datadoghq.eu"), false);
    assertEquals(DatadogRoute.Route.AGENTLESS, c.datadog.route);
    assertEquals("https://llmobs-intake.datadoghq.eu/api/v2/llmobs", c.datadog.spansUrl());
    assertEquals("https://api.datadoghq.eu/api/intake/llm-obs/v2/eval-metric", c.datadog.evaluationsUrl());
    assertEquals(5_242_880, c.datadog.payloadBytes);
  }

  @Test void theLambdaExtensionWinsOverAnApiKey() {
    Config c = Config.fromEnv(Map.of("DD_API_KEY", "abc"), true);
    assertEquals(DatadogRoute.Route.AGENT, c.datadog.route);
    assertEquals("http://localhost:8126/evp_proxy/v2/api/v2/llmobs", c.datadog.spansUrl());
    assertEquals(2_097_152, c.datadog.payloadBytes, "the extension's proxy cap");
  }

  @Test void agentlessFlagDecides() {
    assertEquals(DatadogRoute.Route.AGENT, Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "false",
        "DD_API_KEY", "test-api-key-0123456789abcdef"), false).datadog.route);
    assertEquals(DatadogRoute.Route.AGENTLESS, Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "test-api-key-0123456789abcdef"), true).datadog.route);
  }

  @Test void agentlessWithoutAKeyFallsBackToStdoutAndSaysSo() {
    List<String> lines = new java.util.ArrayList<>();
    java.util.function.Consumer<String> prev = Log.redirect(lines::add);
    try {
      assertEquals(DatadogRoute.Route.STDOUT, Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true"), false).datadog.route);
      assertTrue(lines.get(0).contains("needs DD_API_KEY"));
    } finally {
      Log.redirect(prev);
    }
  }

  @Test void agentAddressFromHostAndPort() {
    Config c = Config.fromEnv(Map.of("DD_AGENT_HOST", "10.0.0.5", "DD_TRACE_AGENT_PORT", "9126"), false);
    assertEquals("http://10.0.0.5:9126/evp_proxy/v2/api/intake/llm-obs/v2/eval-metric", c.datadog.evaluationsUrl());
  }

  @Test void explicitExporterAndFile() {
    assertEquals(DatadogRoute.Route.FILE,
        Config.fromEnv(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/tmp/x"), false).datadog.route);
    assertEquals(DatadogRoute.Route.STDOUT, Config.fromEnv(Map.of("LLMOBS_EXPORTER", "stdout", "DD_API_KEY", "test-api-key-0123456789abcdef"), true).datadog.route);
  }

  @Test void mlAppFallsBackToServiceThenFunctionNameAndIsNormalized() {
    assertEquals("claims-api", Config.fromEnv(Map.of("DD_SERVICE", "claims-api"), false).mlApp);
    assertEquals("my-fn", Config.fromEnv(Map.of("AWS_LAMBDA_FUNCTION_NAME", "my-fn"), false).mlApp);
    assertEquals("claims_bot/v2", Config.normalizeMlApp("Claims  Bot/v2__"));
    assertEquals(193, Config.normalizeMlApp("a".repeat(300)).length());
  }

  @Test void disabledAndBadNumbersUseDefaults() {
    Config c = Config.fromEnv(Map.of("DD_LLMOBS_ENABLED", "false", "LLMOBS_FLUSH_TIMEOUT_MS", "soon"), false);
    assertFalse(c.enabled);
    assertEquals(2000, c.flushTimeoutMillis);
  }

  @Test void theApiKeyNeverAppearsInDescriptions() {
    Config c = Config.fromEnv(Map.of("DD_API_KEY", "super-secret-key"), false);
    assertFalse(c.toString().contains("super-secret-key"));
    assertFalse(c.describeRoute().contains("super-secret-key"));
    assertEquals("super-secret-key", c.datadog.apiKey());
  }

  @Test void ddTagsAreParsed() {
    assertEquals(List.of("team:llm", "region:eu", "bare:"),
        Config.fromEnv(Map.of("DD_TAGS", "team:llm, region:eu bare"), false).globalTags);
  }

  @Test void datadogsOtlpRouteKeepsItsKeySecretButNotTheWordLlmobs() {
    List<String> secrets = Config.fromEnv(Map.of("LLMOBS_EXPORTER", "datadog-otlp",
        "DD_API_KEY", "test-api-key-0123456789abcdef", "OTEL_EXPORTER_OTLP_HEADERS", "x-team=team-secret-42"), false)
        .secrets();
    assertTrue(secrets.contains("test-api-key-0123456789abcdef"), secrets.toString());
    assertTrue(secrets.contains("team-secret-42"), secrets.toString());
    assertFalse(secrets.contains("llmobs"), "the dd-otlp-source header's value hid every log line's 'llmobs'");
  }

  @Test void theFlushWaitsForItsAnswerUnlessToldToReadItAtTheNextFlush() {
    assertFalse(Config.fromEnv(Map.of(), false).carryAnswers);
    assertTrue(Config.fromEnv(Map.of("LLMOBS_FLUSH_ACK", "next"), false).carryAnswers);
    try (dev.llmobs.testing.LogCapture logs = new dev.llmobs.testing.LogCapture()) {
      assertFalse(Config.fromEnv(Map.of("LLMOBS_FLUSH_ACK", "later"), false).carryAnswers);
      assertTrue(logs.all().contains("LLMOBS_FLUSH_ACK=later is not wait or next"), logs.all());
    }
  }
}
