package dev.llmobs.bedrock;

import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.integrations.internal.Json;
import dev.llmobs.integrations.internal.ModelCall;
import java.nio.ByteBuffer;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * Decodes the {@code application/vnd.amazon.eventstream} frames of one attempt's response as they pass to the
 * caller, and hands each event to its subclass (a model's output, an agent's steps, a generation's citations). Runs
 * on the HTTP client's event loop: it only parses and records. Any failure switches it off; the caller's stream is
 * never affected.
 */
abstract class EventStreamSink implements ResponseTaps.Sink {
  final CallRecord record;
  private final int attempt;
  private final MessageDecoder decoder = new MessageDecoder(this::onFrame);
  private boolean broken;
  private Throwable streamError;

  EventStreamSink(CallRecord record) {
    this.record = record;
    this.attempt = record.attempt();
  }

  /** One event: its {@code :event-type} and its JSON payload, parsed (null if it is not JSON). */
  abstract void event(String type, Object payload);

  @Override public final int attempt() {
    return attempt;
  }

  @Override public final synchronized void feed(ByteBuffer bytes) {
    if (broken) return;
    try {
      decoder.feed(bytes);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      broken = true;
      Log.debug("Bedrock stream capture stopped: " + t);
    }
  }

  private void onFrame(Message frame) {
    Map<String, HeaderValue> h = frame.getHeaders();
    String messageType = header(h, ":message-type");
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type = header(h, ":exception-type");
      if (type == null) type = header(h, ":error-code");
      Object payload = Json.parse(frame.getPayload());
      String msg = Json.str(payload, "message");
      if (msg == null) msg = header(h, ":error-message");
      streamError = new ModelCall.StreamError(type, msg); // the caller gets it as an exception
      // Recorded before the frame reaches the SDK: whether the SDK retries or the invocation ends first, this
      // attempt's failure is already known.
      record.attemptFailed(attempt, ResponseTaps.Frames.describe(streamError), streamError);
      return;
    }
    event(header(h, ":event-type"), Json.parse(frame.getPayload()));
  }

  private static String header(Map<String, HeaderValue> h, String name) {
    HeaderValue v = h.get(name);
    return v == null ? null : v.getString();
  }

  /** The error a stream ended with, from an exception frame, or null. */
  @Override public final synchronized Throwable streamError() {
    return streamError;
  }
}
