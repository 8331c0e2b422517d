package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmobs.internal.Config;
import dev.llmobs.testing.LogCapture;
import dev.llmobs.testing.ManualClock;
import dev.llmobs.testing.OtlpBodies;
import dev.llmobs.testing.TestIntake;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Prompt templates on llm spans ({@code meta.input.prompt}) and the annotation contexts that set them. */
class PromptTest {
  TestIntake intake;

  @BeforeEach void start() throws Exception {
    intake = new TestIntake();
    LLMObs.configure(Config.fromEnv(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY",
        "test-api-key-0123456789abcdef", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims"),
        false), new ManualClock());
  }

  @AfterEach void stop() {
    intake.close();
  }

  Map<String, Object> span(String name) {
    LLMObs.flush(Duration.ofSeconds(2));
    return intake.span(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> input(Map<String, Object> span) {
    return (Map<String, Object>) meta(span).get("input");
  }

  @Test void aPromptTemplateTravelsBesideTheInputMessages() {
    try (LLMObsSpan llm = LLMObs.llm("answer", "claude", "bedrock")) {
      llm.inputMessages(List.of(Message.user("Is water damage covered?")));
      llm.prompt(Prompt.of("Answer {question} from {context}").id("claims-answer").version("3")
          .variables(Map.of("question", "Is water damage covered?", "context", "Policy 88412"))
          .tags(Map.of("team", "claims")).contextVariables("context", "policy"));
    }
    Map<String, Object> input = input(span("answer"));
    assertEquals(List.of(Map.of("role", "user", "content", "Is water damage covered?")), input.get("messages"));
    assertEquals(Map.of("id", "claims-answer", "version", "3", "template", "Answer {question} from {context}",
        "variables", Map.of("question", "Is water damage covered?", "context", "Policy 88412"),
        "tags", Map.of("team", "claims"), "_dd_context_variable_keys", List.of("context", "policy"),
        "_dd_query_variable_keys", List.of("question")), input.get("prompt"));
  }

  @SuppressWarnings("unchecked")
  @Test void aPromptWithoutAnIdIsNamedAfterTheMlAppAndStandsAloneWithoutInput() {
    try (LLMObsSpan llm = LLMObs.llm("answer", "claude", "bedrock")) {
      llm.prompt(Prompt.chat(List.of(Message.system("You handle claims"), Message.user("{question}"))));
    }
    Map<String, Object> prompt = (Map<String, Object>) input(span("answer")).get("prompt");
    assertEquals("claims_unnamed-prompt", prompt.get("id"));
    assertEquals(List.of(Map.of("role", "system", "content", "You handle claims"),
        Map.of("role", "user", "content", "{question}")), prompt.get("chat_template"));
    assertNull(prompt.get("template"));
  }

  @Test void aPromptOnAnotherKindIsDroppedWithAWarning() {
    try (LogCapture logs = new LogCapture()) {
      try (LLMObsSpan task = LLMObs.task("prepare")) {
        task.input("x");
        task.prompt(Prompt.of("{question}"));
      }
      assertTrue(logs.contains("a prompt is for llm spans; dropped from task span 'prepare'"), logs.all());
    }
    assertEquals(Map.of("value", "x"), input(span("prepare")));
  }

  @SuppressWarnings("unchecked")
  @Test void anAnnotationContextAnnotatesEverySpanStartedInsideIt() {
    Prompt prompt = Prompt.of("Answer {question}").id("p1");
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      try (AnnotationContext ctx = AnnotationContext.builder().prompt(prompt).tag("experiment", "b").open()) {
        try (LLMObsSpan llm = LLMObs.llm("answer", "m", "p")) {
          llm.input("q");
        }
        try (LLMObsSpan tool = LLMObs.tool("lookup")) {
          tool.input("88412");
        }
      }
      try (LLMObsSpan after = LLMObs.llm("after", "m", "p")) {
        after.input("q");
      }
    }
    Map<String, Object> llm = span("answer");
    assertEquals("p1", ((Map<String, Object>) input(llm).get("prompt")).get("id"));
    assertTrue(((List<String>) llm.get("tags")).contains("experiment:b"), llm.get("tags").toString());
    Map<String, Object> tool = span("lookup");
    assertNull(input(tool).get("prompt"));
    assertTrue(((List<String>) tool.get("tags")).contains("experiment:b"));
    Map<String, Object> after = span("after");
    assertNull(input(after).get("prompt"));
    assertTrue(!((List<String>) after.get("tags")).contains("experiment:b"));
    assertTrue(!((List<String>) span("handler").get("tags")).contains("experiment:b"), "started before the context");
  }

  @SuppressWarnings("unchecked")
  @Test void innerContextsWinForTheNameAndPromptAndAddTags() {
    try (AnnotationContext outer = AnnotationContext.builder().name("outer-name").prompt(Prompt.of("a").id("outer"))
        .tag("a", "1").open();
        AnnotationContext inner = AnnotationContext.builder().prompt(Prompt.of("b").id("inner")).tag("b", "2").open();
        LLMObsSpan llm = LLMObs.llm("given", "m", "p")) {
      llm.input("q");
    }
    Map<String, Object> llm = span("outer-name");
    assertEquals("inner", ((Map<String, Object>) input(llm).get("prompt")).get("id"));
    List<String> tags = (List<String>) llm.get("tags");
    assertTrue(tags.contains("a:1") && tags.contains("b:2"), tags.toString());
  }

  @SuppressWarnings("unchecked")
  @Test void anAnnotationContextTravelsWithWrappedWork() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      try (AnnotationContext ctx = AnnotationContext.builder().prompt(Prompt.of("{q}").id("carried")).open()) {
        pool.submit(LLMObs.wrap(() -> {
          try (LLMObsSpan llm = LLMObs.llm("elsewhere", "m", "p")) {
            llm.input("q");
          }
        })).get();
      }
      pool.submit(() -> {
        try (LLMObsSpan llm = LLMObs.llm("later", "m", "p")) {
          llm.input("q");
        }
      }).get();
    } finally {
      pool.shutdownNow();
    }
    assertEquals("carried", ((Map<String, Object>) input(span("elsewhere")).get("prompt")).get("id"));
    assertNull(input(span("later")).get("prompt"), "the pool thread was given back clean");
  }

  @Test void closingOutOfOrderIsLoggedAndLeavesTheInnerScopeInPlace() {
    try (LogCapture logs = new LogCapture()) {
      AnnotationContext outer = AnnotationContext.builder().tag("a", "1").open();
      AnnotationContext inner = AnnotationContext.builder().tag("b", "2").open();
      outer.close();
      assertTrue(logs.contains("closed out of order"), logs.all());
      inner.close();
      outer.close(); // already closed: nothing
    }
    try (LLMObsSpan task = LLMObs.task("t")) {
      task.input("x");
    }
    assertTrue(!span("t").get("tags").toString().contains("b:2"));
  }

  @Test void overOtlpThePromptIsAJsonAttribute() throws Exception {
    LLMObs.configure(Config.fromEnv(Map.of("LLMOBS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", intake.origin(),
        "DD_LLMOBS_ML_APP", "claims"), false), new ManualClock());
    try (LLMObsSpan llm = LLMObs.llm("answer", "m", "p")) {
      llm.prompt(Prompt.of("Answer {question}"));
    }
    LLMObs.flush(Duration.ofSeconds(2));
    var span = OtlpBodies.traces(intake.requestsTo("/v1/traces").get(0).body).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    Map<String, Object> prompt = JSON.std.mapFrom(OtlpBodies.attributes(span.getAttributesList()).get("llmobs.prompt"));
    assertEquals("claims_unnamed-prompt", prompt.get("id"));
    assertEquals("Answer {question}", prompt.get("template"));
  }

  @SuppressWarnings("unchecked")
  @Test void aPromptBuiltFromBrokenValuesStillLandsAndSaysWhatItLeftOut() {
    Map<String, String> broken = new java.util.HashMap<>() {
      @Override public java.util.Set<Map.Entry<String, String>> entrySet() {
        throw new IllegalStateException("entrySet exploded");
      }
    };
    java.util.List<Message> throwing = new java.util.ArrayList<>(List.of(Message.user("{q}"))) {
      @Override public java.util.Iterator<Message> iterator() {
        throw new IllegalStateException("iterator exploded");
      }
    };
    try (LogCapture logs = new LogCapture()) {
      try (LLMObsSpan llm = LLMObs.llm("answer", "m", "p")) {
        llm.prompt(Prompt.chat(throwing).variables(broken).tags(null).contextVariables("ctx", null)
            .queryVariables((String[]) null));
      }
      Map<String, Object> prompt = (Map<String, Object>) input(span("answer")).get("prompt");
      assertEquals(Map.of(), prompt.get("variables"));
      assertEquals(List.of(), prompt.get("chat_template"));
      assertEquals(List.of("ctx"), prompt.get("_dd_context_variable_keys"));
      assertEquals(List.of(), prompt.get("_dd_query_variable_keys"));
      assertTrue(logs.contains("could not read a prompt's variables"), logs.all());
      assertTrue(logs.contains("could not read a chat template"), logs.all());
    }
  }
}
