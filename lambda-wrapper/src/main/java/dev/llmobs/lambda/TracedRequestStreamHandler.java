package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A {@code RequestStreamHandler} whose every invocation is traced; the event and response bytes become the root
 * span's input and output. Implement {@link #handle}.
 */
public abstract class TracedRequestStreamHandler implements RequestStreamHandler {
  static {
    Invocation.atInit();
  }

  /** Your handler's work. */
  protected abstract void handle(InputStream input, OutputStream output, Context context) throws IOException;

  @Override public final void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    LLMObsLambda.traceStream(input, output, context, new LLMObsLambda.StreamBody() {
      @Override public void run(InputStream in, OutputStream out) throws IOException {
        handle(in, out, context);
      }
    });
  }
}
