package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.testing.WatchingClassLoader;
import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a function's first span and flush load is loaded at Init, when the wrapper prepares the SDK. */
class FirstUseTest {
  @Test void preparingAtInitLoadsWhatTheFirstSpanAndFlushNeed() throws Exception {
    try (WatchingClassLoader loader = new WatchingClassLoader(false)) {
      loader.loadClass("dev.llmobs.LLMObs").getMethod("configure", Map.class).invoke(null, Map.of(
          "LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", File.createTempFile("first-use", ".jsonl").getPath(),
          "LLMOBS_LOG_LEVEL", "warn"));
      Class<?> handle = loader.loadClass("dev.llmobs.internal.TracerHandle");
      Object tracer = handle.getMethod("current").invoke(null);
      handle.getMethod("prepare", long.class).invoke(tracer, System.nanoTime() + 10_000_000_000L);
      for (String name : Tracer.FIRST_USE) assertTrue(loader.asked.contains(name), name + " loaded at Init");
    }
  }

  @Test void everyClassTheTracerLoadsAtInitExists() {
    for (String name : Tracer.FIRST_USE) {
      assertDoesNotThrow(() -> Class.forName(name, false, Tracer.class.getClassLoader()), name);
    }
  }
}
