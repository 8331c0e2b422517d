package dev.llmobs.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import dev.llmobs.internal.TracerHandle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AI Service invocations whose token stream is never started, each inside a Lambda invocation (the calls the
 * wrapper makes around a handler): each is ended when its invocation ends and its bookkeeping freed, so the heap
 * stays flat. Before, the agent span stayed current on the thread and in the open invocations until the 1,024 cap.
 */
class NeverStartedStreamsSoakTest {
  interface Streaming {
    TokenStream answer(String question);
  }

  static long retainedBytes() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test void aTokenStreamNeverStartedInEveryInvocationDoesNotGrowTheHeap() throws Exception {
    java.nio.file.Path sample = java.nio.file.Files.createTempFile("never-started", ".jsonl");
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", sample.toString(), "LLMOBS_LOG_LEVEL", "off"));
    Streaming assistant = AiServices.builder(Streaming.class).streamingChatModel(OpenAiStreamingChatModel.builder()
        .baseUrl("http://127.0.0.1:9/v1").apiKey("sk-test").modelName("gpt-4o-mini").build()).build();
    int warmUp = 2_000, total = 20_000;
    long before = 0;
    for (int i = 0; i < total; i++) {
      if (i == 10) { // the first ten are looked at; the rest go nowhere
        String sent = java.nio.file.Files.readString(sample);
        assertEquals(10, sent.split("\"abandoned\":true", -1).length - 1, "each agent span ended at its invocation's end");
        java.nio.file.Files.delete(sample);
        LLMObs.configure(Map.of("LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", "/dev/null", "LLMOBS_LOG_LEVEL", "off"));
      }
      if (i == warmUp) before = retainedBytes();
      Object mark = TracerHandle.current().enterInvocation();
      LLMObsSpan root = LLMObs.span(SpanKind.WORKFLOW, "handler").root().start();
      assistant.answer("question " + i); // never started: LangChain4j will never say it ended
      TracerHandle.current().endInvocation(mark, root, System.nanoTime());
      root.finish();
      LLMObs.flush(Duration.ofSeconds(1));
    }
    long grown = retainedBytes() - before;
    System.out.println("never-started token streams soak: " + (total - warmUp) + " invocations, heap retained after"
        + " collection grew " + (grown >> 10) + " KiB");
    assertTrue(grown < 8L << 20, "the heap grew " + (grown >> 10) + " KiB over " + (total - warmUp) + " invocations");
    assertEquals("NoopSpan", LLMObs.currentSpan().getClass().getSimpleName(), "nothing current after an invocation");
  }
}
