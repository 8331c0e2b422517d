package dev.llmobs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PreloadTest {
  static final AtomicBoolean FIRST = new AtomicBoolean(), SECOND = new AtomicBoolean();

  static final class First {
    static {
      FIRST.set(true);
    }
  }

  static final class Second {
    static {
      SECOND.set(true);
    }
  }

  @Test void loadsAndInitializesTheNamedClassesAndSkipsOneThatIsGone() {
    int loaded = Preload.classes(PreloadTest.class, System.nanoTime() + 10_000_000_000L,
        "dev.llmobs.internal.NoSuchClass", First.class.getName());
    assertEquals(1, loaded);
    assertTrue(FIRST.get(), "initialized, not only loaded");
  }

  @Test void loadsNothingOnceItsDeadlineHasPassed() {
    assertEquals(0, Preload.classes(PreloadTest.class, System.nanoTime() - 1, PreloadTest.class.getName() + "$Second"));
    assertFalse(SECOND.get());
  }
}
