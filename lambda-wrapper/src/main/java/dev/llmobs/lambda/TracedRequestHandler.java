package dev.llmobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * A {@code RequestHandler} whose every invocation is traced. Implement {@link #handle}; the runtime still sees your
 * class's type parameters, so it deserializes events exactly as for a plain {@code RequestHandler}.
 *
 * <pre>{@code
 * public class Handler extends TracedRequestHandler<APIGatewayV2HTTPEvent, String> {
 *   protected String handle(APIGatewayV2HTTPEvent event, Context context) { ... }
 * }
 * }</pre>
 */
public abstract class TracedRequestHandler<I, O> implements RequestHandler<I, O> {
  static {
    Invocation.atInit();
  }

  /** Your handler's work; a thrown exception is recorded on the span and reaches the runtime unchanged. */
  protected abstract O handle(I input, Context context);

  @Override public final O handleRequest(I input, Context context) {
    try {
      return Invocation.trace(input, null, context, new Invocation.Body<O>() {
        @Override public O run() {
          return handle(input, context);
        }
      }, Invocation.asIs());
    } catch (Throwable t) {
      throw LLMObsLambda.Sneaky.<RuntimeException>rethrow(t);
    }
  }
}
