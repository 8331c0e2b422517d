package dev.llmobs.bedrock;

import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.model.Json;
import dev.llmobs.internal.model.ModelCall;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * Reads an agent's event stream (InvokeAgent, InvokeInlineAgent) as it passes to the caller: {@code chunk} events are
 * the answer, {@code trace} events the agent's steps ({@link AgentSteps}), {@code returnControl} the actions it hands
 * back to the caller. Runs on the HTTP client's event loop and only decodes and records; any failure switches it off
 * and the caller's stream is never touched.
 */
final class AgentSink implements ResponseTaps.Sink {
  private final CallRecord record;
  private final int attempt;
  private final MessageDecoder decoder = new MessageDecoder(this::onFrame);
  private final StringBuilder answer = new StringBuilder();
  private final AgentSteps steps;
  private boolean broken;
  private Throwable streamError;
  private boolean assembled;

  AgentSink(CallRecord record) {
    this.record = record;
    this.attempt = record.attempt();
    this.steps = new AgentSteps(record.span, Json.str(record.requestFields, "foundationModel"));
  }

  @Override public int attempt() {
    return attempt;
  }

  @Override public synchronized void feed(ByteBuffer bytes) {
    if (broken) return;
    try {
      decoder.feed(bytes);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      broken = true;
      Log.debug("Bedrock agent stream capture stopped: " + t);
    }
  }

  private void onFrame(Message frame) {
    ModelCall.StreamError error = FrameSink.errorOf(frame);
    if (error != null) {
      streamError = error; // the caller gets it as an exception, and the agent span with it
      return;
    }
    Object payload = Json.parse(frame.getPayload());
    String type = FrameSink.header(frame.getHeaders(), ":event-type");
    if ("chunk".equals(type)) {
      String b64 = Json.str(payload, "bytes");
      if (b64 != null) answer.append(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
    } else if ("trace".equals(type)) {
      steps.trace(payload);
    } else if ("returnControl".equals(type)) {
      steps.returnControl(payload, record);
    } else if ("files".equals(type)) {
      steps.files(payload, record);
    }
  }

  @Override public synchronized Throwable streamError() {
    return streamError;
  }

  /** The answer and the steps as they stand; steps still open end here, marked. */
  @Override public synchronized void assemble(boolean cancelled) {
    if (assembled) return;
    assembled = true;
    steps.close(cancelled);
    synchronized (record) {
      if (answer.length() > 0) record.outputText = ModelCall.clip(answer.toString());
      if (cancelled) record.meta("cancelled", true);
      if (steps.count() > 0) record.meta("steps", steps.count());
    }
  }
}
