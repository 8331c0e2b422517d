package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.llmobs.internal.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Zero-code adoption: set the function's handler to {@code dev.llmobs.lambda.RedirectHandler} (the layer's exec
 * wrapper does it for you) and name your own in {@code DD_LAMBDA_HANDLER} (or {@code LLMOBS_LAMBDA_HANDLER}). Your
 * handler is loaded once, at Init; a wrong name fails Init with a clear message, as it would without us. Events and
 * responses are converted with the runtime's own serialization library, so your handler sees exactly what it would
 * see if it were the function's handler.
 */
public final class RedirectHandler implements RequestStreamHandler {
  static {
    Invocation.atInit();
  }

  private final HandlerTarget target;

  public RedirectHandler() throws ReflectiveOperationException {
    String handler = Invocation.settings.userHandler;
    ClassLoader loader = RedirectHandler.class.getClassLoader();
    this.target = HandlerTarget.load(handler, loader);
    Log.debug("redirecting invocations to " + handler);
  }

  @Override public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LLMObsLambda.traceStream(input, output, context, new LLMObsLambda.StreamBody() {
      @Override public void run(InputStream in, OutputStream out) throws Throwable {
        target.invoke(in, out, context);
      }
    });
  }
}
