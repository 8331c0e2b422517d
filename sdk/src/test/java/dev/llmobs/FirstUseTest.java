package dev.llmobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmobs.testing.ClassPaths;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a function's first span and flush load is loaded at Init, when the wrapper prepares the SDK. */
class FirstUseTest {
  /** A fresh copy of the SDK's class path, noting every class asked of it. */
  static final class Watching extends URLClassLoader {
    final Set<String> asked = ConcurrentHashMap.newKeySet();

    Watching() throws Exception {
      super(ClassPaths.without(entry -> entry.contains("/test-classes")), ClassLoader.getPlatformClassLoader());
    }

    @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      asked.add(name);
      return super.loadClass(name, resolve);
    }
  }

  @Test void preparingAtInitLoadsWhatTheFirstSpanAndFlushNeed(@TempDir Path dir) throws Exception {
    try (Watching loader = new Watching()) {
      loader.loadClass("dev.llmobs.LLMObs").getMethod("configure", Map.class).invoke(null, Map.of(
          "LLMOBS_EXPORTER", "file", "LLMOBS_EXPORT_FILE", dir.resolve("first-use.jsonl").toString(),
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
