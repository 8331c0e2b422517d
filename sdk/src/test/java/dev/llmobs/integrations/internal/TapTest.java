package dev.llmobs.integrations.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.SpanKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A synchronous call meets its attempts through its thread, and only its model requests are attempts. */
class TapTest {
  static final Operation CHAT = new Operation("chat", SpanKind.LLM) {
    @Override public String provider(String url) { return "test"; }
    @Override public void request(Object body, TappedCall call) {}
    @Override public void response(Object body, TappedCall call) {}
    @Override public void event(String name, Object data, TappedCall call) {}
    @Override public String toolCallType() { return "function"; }
  };

  static final Protocol PROTOCOL = new Protocol() {
    @Override public String sdk() { return "test-sdk"; }
    @Override public Operation ofMethod(Class<?> service, String method) { return null; }
    @Override public Operation ofRequest(String method, String url) {
      return "POST".equals(method) && url.endsWith("/v1/chat") ? CHAT : null;
    }
    @Override public boolean navigates(Class<?> type) { return false; }
  };

  @Test void onlyTheCallsOwnModelRequestsOnItsThreadAreItsAttempts() {
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "stdout", "LLMOBS_LOG_LEVEL", "warn"));
    TappedCall call = Tap.open(CHAT, true, false, false);
    TappedCall before = Tap.enter(call);
    try {
      assertNull(Tap.attempt(PROTOCOL, null, "GET", "https://api.example/v1/models"), "not a model request");
      assertNull(Tap.attempt(PROTOCOL, null, "POST", "https://login.example/oauth/token"), "a token fetched meanwhile");
      assertEquals(0, call.attempt());
      Exchange first = Tap.attempt(PROTOCOL, null, "POST", "https://api.example/v1/chat");
      assertNotNull(first);
      assertEquals(1, call.attempt(), "the model request is the call's first attempt");
      assertNotNull(Tap.attempt(PROTOCOL, null, "POST", "https://api.example/v1/chat"));
      assertEquals(2, call.attempt(), "and its retry the second");
    } finally {
      Tap.leave(before);
      call.end(null);
    }
    Exchange after = Tap.attempt(PROTOCOL, null, "POST", "https://api.example/v1/chat");
    assertNotNull(after, "after the call, a model request on the thread is a call of its own");
    assertEquals(2, call.attempt(), "not the ended call's");
    try { // its answer ends it, as a transport's would
      after.response(200, "application/json", new java.io.ByteArrayInputStream("{}".getBytes())).close();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test void aCallInASampledOutTraceReadsNothing() {
    LLMObs.configure(Map.of("LLMOBS_EXPORTER", "stdout", "LLMOBS_LOG_LEVEL", "warn", "DD_LLMOBS_SAMPLE_RATE", "0"));
    try {
      LLMObsSpan root = LLMObs.workflow("sampled-out");
      try {
        TappedCall call = Tap.open(CHAT, true, false, false);
        TappedCall before = Tap.enter(call);
        try {
          assertNull(Tap.attempt(PROTOCOL, null, "POST", "https://api.example/v1/chat"), "the proxy's call keeps nothing");
        } finally {
          Tap.leave(before);
          call.end(null);
        }
        assertNull(Tap.attempt(PROTOCOL, null, "POST", "https://api.example/v1/chat"), "nor does a transport's own call");
      } finally {
        root.finish();
      }
    } finally {
      LLMObs.configure(Map.of("LLMOBS_EXPORTER", "stdout", "LLMOBS_LOG_LEVEL", "warn"));
    }
  }
}
