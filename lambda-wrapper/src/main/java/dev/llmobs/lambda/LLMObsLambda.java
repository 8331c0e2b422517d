package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.llmobs.LLMObs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Traces Lambda handlers: each invocation becomes a root {@code workflow} span, flushed before the invocation
 * returns. Three ways to adopt: extend {@link TracedRequestHandler} or {@link TracedRequestStreamHandler}; wrap a
 * handler with {@link #wrap(RequestHandler)}; or, with no code, set the function's handler to
 * {@link RedirectHandler} and name yours in {@code DD_LAMBDA_HANDLER}.
 *
 * <pre>{@code
 * public class Handler implements RequestHandler<Map<String, Object>, String> {
 *   private final RequestHandler<Map<String, Object>, String> traced = LLMObsLambda.wrap(this::answer);
 *
 *   public String handleRequest(Map<String, Object> event, Context context) {
 *     return traced.handleRequest(event, context);
 *   }
 *
 *   private String answer(Map<String, Object> event, Context context) { ... }
 * }
 * }</pre>
 */
public final class LLMObsLambda {
  static {
    Invocation.atInit();
  }

  private LLMObsLambda() {}

  /** A traced copy of {@code handler}: same result, same exception, plus the invocation's trace. */
  public static <I, O> RequestHandler<I, O> wrap(RequestHandler<I, O> handler) {
    return new TracedHandler<>(handler);
  }

  /** A traced copy of a stream handler; the event and response bytes are recorded as the span's input and output. */
  public static RequestStreamHandler wrap(RequestStreamHandler handler) {
    return new TracedStreamHandler(handler);
  }

  /**
   * Replaces the configuration of the SDK and of this wrapper, normally read from the environment, with one read
   * from {@code settings} (same variable names). For tests and programmatic set-up.
   */
  public static void configure(Map<String, String> settings) {
    LLMObs.configure(settings);
    Invocation.settings = new LambdaSettings(settings);
  }

  static final class TracedHandler<I, O> implements RequestHandler<I, O> {
    private final RequestHandler<I, O> delegate;

    TracedHandler(RequestHandler<I, O> delegate) {
      this.delegate = delegate;
    }

    @Override public O handleRequest(I input, Context context) {
      try {
        return Invocation.trace(input, null, context, new Invocation.Body<O>() {
          @Override public O run() {
            return delegate.handleRequest(input, context);
          }
        }, Invocation.asIs());
      } catch (Throwable t) {
        throw Sneaky.<RuntimeException>rethrow(t);
      }
    }
  }

  static final class TracedStreamHandler implements RequestStreamHandler {
    private final RequestStreamHandler delegate;

    TracedStreamHandler(RequestStreamHandler delegate) {
      this.delegate = delegate;
    }

    @Override public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
      traceStream(input, output, context, new StreamBody() {
        @Override public void run(InputStream in, OutputStream out) throws IOException {
          delegate.handleRequest(in, out, context);
        }
      });
    }
  }

  /** A stream handler's body, given the replayable input and the recording output. */
  interface StreamBody {
    void run(InputStream in, OutputStream out) throws Throwable;
  }

  /**
   * Reads the whole event (the runtime hands it over in memory anyway), runs {@code body} on a copy, and passes the
   * handler's bytes through to {@code output} while keeping them for the span.
   */
  static void traceStream(InputStream input, OutputStream output, Context context, StreamBody body)
      throws IOException {
    byte[] event = input.readAllBytes();
    String raw = new String(event, StandardCharsets.UTF_8);
    Recording out = new Recording(output);
    try {
      Invocation.trace(null, raw, context, new Invocation.Body<Object>() {
        @Override public Object run() throws Throwable {
          body.run(new ByteArrayInputStream(event), out);
          return null;
        }
      }, out);
    } catch (Throwable t) {
      throw Sneaky.<IOException>rethrow(t);
    }
  }

  /** Writes through to the runtime's stream and keeps a copy of what was written: the span's output. */
  static final class Recording extends OutputStream implements Invocation.OutputView<Object> {
    private final OutputStream target;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream(256);

    Recording(OutputStream target) {
      this.target = target;
    }

    @Override public void write(int b) throws IOException {
      target.write(b);
      copy.write(b);
    }

    @Override public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      copy.write(b, off, len);
    }

    @Override public void flush() throws IOException {
      target.flush();
    }

    @Override public void close() throws IOException {
      target.close();
    }

    String text() {
      return copy.size() == 0 ? null : new String(copy.toByteArray(), StandardCharsets.UTF_8);
    }

    /** The span's output, whatever the body returned: what the handler wrote. */
    @Override public Object of(Object result) {
      return text();
    }
  }

  /** Rethrows any throwable, checked or not, without wrapping: the runtime reports its exact type. */
  static final class Sneaky {
    private Sneaky() {}

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable t) throws E {
      throw (E) t;
    }
  }
}
