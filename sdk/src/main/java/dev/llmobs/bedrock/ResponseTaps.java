package dev.llmobs.bedrock;

import dev.llmobs.internal.Throwables;
import dev.llmobs.integrations.internal.ModelCall;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** The publishers the interceptor puts between an async response body and its caller: each passes every signal on. */
final class ResponseTaps {
  private ResponseTaps() {}

  /** What reads an event stream's frames as they pass: a model's output ({@link FrameSink}), an agent's steps. */
  interface Sink {
    /** A copy of the next bytes (the caller's buffer never moves); never throws. */
    void feed(ByteBuffer bytes);

    /** The error the stream ended with, from an exception frame, or null. */
    Throwable streamError();

    /** The stream ended without an error (or the caller cancelled it): write what it carried into the record. */
    void assemble(boolean cancelled);

    /** The attempt whose response this is. */
    int attempt();
  }

  /**
   * Passes a JSON response body through unchanged and keeps a copy of its bytes for the span (bounded): async Converse
   * on an AWS SDK that does not model cache tokens.
   */
  static final class Collect implements Publisher<ByteBuffer> {
    private final Publisher<ByteBuffer> upstream;
    private final CallRecord record;

    Collect(Publisher<ByteBuffer> upstream, CallRecord record) {
      this.upstream = upstream;
      this.record = record;
    }

    @Override public void subscribe(Subscriber<? super ByteBuffer> down) {
      java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream(1024);
      upstream.subscribe(new Subscriber<ByteBuffer>() {
        @Override public void onSubscribe(Subscription s) {
          down.onSubscribe(s);
        }

        @Override public void onNext(ByteBuffer b) {
          try {
            if (copy.size() + b.remaining() <= LlmObsBedrockInterceptor.MAX_CAPTURED_BYTES) {
              ByteBuffer d = b.duplicate();
              byte[] chunk = new byte[d.remaining()];
              d.get(chunk);
              copy.write(chunk, 0, chunk.length);
            }
          } catch (Throwable t) {
            Throwables.propagateIfFatal(t);
          }
          down.onNext(b);
        }

        @Override public void onError(Throwable t) {
          down.onError(t);
        }

        @Override public void onComplete() {
          if (copy.size() < LlmObsBedrockInterceptor.MAX_CAPTURED_BYTES) record.rawResponse = copy.toByteArray();
          down.onComplete();
        }
      });
    }
  }

  /**
   * Passes every signal of one attempt's response body through unchanged, feeding a copy of each buffer (a duplicate:
   * the caller's position never moves) to the frame decoder. A stream that completes without an exception frame
   * ends the span: that is the call's success. One that fails (an exception frame, a reset) ends only the attempt:
   * the SDK then retries, which starts another tap, or gives up, which {@link LlmObsBedrockInterceptor#onExecutionFailure} hears with the
   * caller's exception. Two ends are decided here, as no hook follows them: the caller cancelling (its choice, not an
   * error) and the SDK's API call timeout.
   */
  static final class Frames implements Publisher<ByteBuffer> {
    private final Publisher<ByteBuffer> upstream;
    private final CallRecord record;
    private final Sink sink;

    Frames(Publisher<ByteBuffer> upstream, CallRecord record, Sink sink) {
      this.upstream = upstream;
      this.record = record;
      this.sink = sink;
    }

    @Override public void subscribe(Subscriber<? super ByteBuffer> down) {
      upstream.subscribe(new Subscriber<ByteBuffer>() {
        @Override public void onSubscribe(Subscription s) {
          down.onSubscribe(new Subscription() {
            @Override public void request(long n) {
              s.request(n);
            }

            @Override public void cancel() {
              finish(null, true);
              s.cancel();
            }
          });
        }

        @Override public void onNext(ByteBuffer b) {
          try {
            sink.feed(b.duplicate());
          } catch (Throwable t) {
            Throwables.propagateIfFatal(t);
          }
          down.onNext(b);
        }

        @Override public void onError(Throwable t) {
          finish(t, false);
          down.onError(t);
        }

        @Override public void onComplete() {
          finish(null, false); // the span ends before the caller hears of completion
          down.onComplete();
        }
      });
    }

    private void finish(Throwable error, boolean cancelled) {
      try {
        Throwable frame = sink.streamError();
        // Past the API call timeout the caller has ApiCallTimeoutException, whatever reaches this tap after it.
        if (record.pastApiCallTimeout()) {
          record.end(software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(record.timeoutMillis));
        } else if (frame != null || error != null) {
          record.attemptFailed(sink.attempt(), describe(frame != null ? frame : error), frame != null ? frame : error);
        } else {
          sink.assemble(cancelled);
          record.end(null);
        }
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
      }
    }

    static String describe(Throwable t) {
      String type = t instanceof ModelCall.StreamError ? ((ModelCall.StreamError) t).type : t.getClass().getName();
      String message = t.getMessage();
      if (message == null) return type;
      return type + ": " + (message.length() <= 200 ? message : message.substring(0, 200) + "...");
    }
  }
}
