package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.observability.api.AiServiceListenerRegistrar;
import dev.langchain4j.observability.api.DefaultAiServiceListenerRegistrar;
import dev.langchain4j.observability.api.event.AiServiceEvent;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.spi.observability.AiServiceListenerRegistrarFactory;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.langchain4j.AiServiceTracingTest.Assistant;
import dev.llmobs.langchain4j.AiServiceTracingTest.Claims;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AI Services traced with no code, through LangChain4j's service-loader hook for listener registrars: our jar on the
 * class path is enough; a user's own registration of our listeners wins without doubling spans; the switch turns it
 * off; another library's registrar is kept.
 */
class AutomaticAiServiceTracingTest extends OpenAiStubTest {
  Assistant assistant(List<AiServiceListener<?>> registered) {
    Claims.lookupUrl = baseUrl() + "/embeddings";
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .maxRetries(0).listeners(List.of(LLMObsLangChain4j.listener())).build();
    AiServices<Assistant> builder = AiServices.builder(Assistant.class).chatModel(model).tools(new Claims())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10));
    if (registered != null) builder.registerListeners(registered);
    return builder.build();
  }

  List<String> kinds(String root) {
    LLMObs.flush(Duration.ofSeconds(2));
    Object traceId = intake.span(root).get("trace_id");
    return intake.spans().stream().filter(s -> traceId.equals(s.get("trace_id"))).map(AiServiceTracingTest::kind)
        .sorted().collect(Collectors.toList());
  }

  String ask(Assistant assistant) {
    try (LLMObsSpan root = LLMObs.workflow("handler")) {
      return assistant.answer("88412", "Is claim 88412 covered?");
    }
  }

  @Test void anAiServiceBuiltWithNoTracingCodeIsTracedAsAnAgent() {
    assertEquals("Covered: sudden water damage.", ask(assistant(null)));
    assertEquals(List.of("agent", "llm", "llm", "tool", "workflow"), kinds("handler"));
    Map<String, Object> agent = intake.span("AiServiceTracingTest.Assistant.answer");
    assertEquals(null, agent.get("session_id"), "no session unless asked for");
  }

  @Test void listenersTheUserRegistersReplaceTheAutomaticOnesWithoutDoublingSpans() {
    ask(assistant(LLMObsLangChain4j.aiServiceListenersWithMemoryIdAsSession()));
    assertEquals(List.of("agent", "llm", "llm", "tool", "workflow"), kinds("handler"), "one agent, one tool");
    assertEquals("88412", intake.span("AiServiceTracingTest.Assistant.answer").get("session_id"), "the user's choice");
  }

  @Test void theSwitchTurnsAutomaticTracingOffButNotWhatTheUserRegistered() {
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "test-api-key-0123456789abcdef",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "DD_LLMOBS_ML_APP", "claims", "LLMOBS_LANGCHAIN4J_ENABLED", "false"));
    ask(assistant(null));
    assertEquals(List.of("llm", "llm", "workflow"), kinds("handler"), "the model's listener still traces");
    ask(assistant(LLMObsLangChain4j.aiServiceListeners()));
    LLMObs.flush(Duration.ofSeconds(2));
    assertTrue(intake.spans().stream().anyMatch(s -> "agent".equals(AiServiceTracingTest.kind(s))));
  }

  /** Another library's registrar factory, found by LangChain4j's service loader beside ours. */
  public static final class OtherLibraryFactory implements AiServiceListenerRegistrarFactory {
    static final List<String> fired = new CopyOnWriteArrayList<>();

    @Override public AiServiceListenerRegistrar get() {
      return new DefaultAiServiceListenerRegistrar() {
        @Override public <T extends AiServiceEvent> void fireEvent(T event) {
          fired.add(event.eventClass().getSimpleName());
          super.fireEvent(event);
        }
      };
    }
  }

  @Test void anotherLibrarysRegistrarIsKeptWithOursAddedToIt(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/" + AiServiceListenerRegistrarFactory.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, OtherLibraryFactory.class.getName() + "\n");
    Thread me = Thread.currentThread();
    ClassLoader before = me.getContextClassLoader();
    OtherLibraryFactory.fired.clear();
    try (URLClassLoader withOther = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
      me.setContextClassLoader(withOther); // LangChain4j's service loader reads the context class loader
      ask(assistant(null));
    } finally {
      me.setContextClassLoader(before);
    }
    assertTrue(OtherLibraryFactory.fired.contains("AiServiceStartedEvent"), "their registrar fired the events: "
        + OtherLibraryFactory.fired);
    assertEquals(List.of("agent", "llm", "llm", "tool", "workflow"), kinds("handler"), "and ours heard them");
  }
}
