package example.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.llmobs.LLMObs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Users' handlers of every shape the Java runtime supports, as the redirect handler must find and call them. */
public final class Handlers {
  private Handlers() {}

  public static class PojoHandler implements RequestHandler<Claim, Answer> {
    @Override public Answer handleRequest(Claim claim, Context context) {
      LLMObs.task("check-policy", () -> "ok");
      return new Answer(claim.getClaimId(), claim.getQuestion().contains("water"));
    }
  }

  public static class MapHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("keys", event.size());
      out.put("claimId", event.get("claimId"));
      return out;
    }
  }

  public static class StringHandler implements RequestHandler<String, String> {
    @Override public String handleRequest(String event, Context context) {
      return event.toUpperCase();
    }
  }

  public static class SqsHandler implements RequestHandler<SQSEvent, String> {
    @Override public String handleRequest(SQSEvent event, Context context) {
      SQSEvent.SQSMessage m = event.getRecords().get(0);
      return m.getEventSourceArn() + "|" + m.getBody() + "|" + m.getMessageAttributes().get("priority").getStringValue();
    }
  }

  public static class S3Handler implements RequestHandler<S3Event, String> {
    @Override public String handleRequest(S3Event event, Context context) {
      var r = event.getRecords().get(0);
      return r.getS3().getBucket().getName() + "/" + r.getS3().getObject().getKey() + "|" + r.getEventName();
    }
  }

  public static class ApiV1Handler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    @Override public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
      return new APIGatewayProxyResponseEvent().withStatusCode(200)
          .withBody(event.getHttpMethod() + " " + event.getPath() + " " + event.getPathParameters().get("id"));
    }
  }

  public static class ApiV2Handler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
      return APIGatewayV2HTTPResponse.builder().withStatusCode(201)
          .withBody(event.getRequestContext().getHttp().getMethod() + " " + event.getRawPath()).build();
    }
  }

  public static class EventBridgeHandler implements RequestHandler<ScheduledEvent, String> {
    @Override public String handleRequest(ScheduledEvent event, Context context) {
      return event.getDetailType() + "|" + event.getSource() + "|" + event.getDetail().get("claimId");
    }
  }

  public static class StreamHandler implements RequestStreamHandler {
    @Override public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
      byte[] event = in.readAllBytes();
      out.write(("{\"bytes\":" + event.length + "}").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A generic base class: the runtime resolves {@code I} through the subclass. */
  public abstract static class GenericBase<T> implements RequestHandler<T, String> {
    @Override public String handleRequest(T event, Context context) {
      return describe(event);
    }

    protected abstract String describe(T event);
  }

  public static class InheritedHandler extends GenericBase<Claim> {
    @Override protected String describe(Claim claim) {
      return "claim " + claim.getClaimId();
    }
  }

  public static class ThrowingHandler implements RequestHandler<Map<String, Object>, String> {
    @Override public String handleRequest(Map<String, Object> event, Context context) {
      throw new UnsupportedOperationException("no model for " + event.get("claimId"));
    }
  }

  public static class CheckedThrowingMethods {
    public String fail(String event) throws Exception {
      throw new java.util.concurrent.TimeoutException("bedrock took too long");
    }
  }

  /** {@code Class::method} handlers. */
  public static class Methods {
    public Methods() {}

    public static String shout(String event) {
      return event + "!";
    }

    public Map<String, Object> withContext(Map<String, Object> event, Context context) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("requestId", context.getAwsRequestId());
      out.put("claimId", event.get("claimId"));
      return out;
    }

    public void streams(InputStream in, OutputStream out, Context context) throws IOException {
      out.write(("\"" + context.getAwsRequestId() + ":" + in.readAllBytes().length + "\"").getBytes(StandardCharsets.UTF_8));
    }

    public String noArguments() {
      return "no input";
    }

    public void nothingBack(Claim claim) {
      LLMObs.currentSpan().tag("seen", claim.getClaimId());
    }

    /** Two overloads: the runtime prefers the longer one, a trailing Context counting double. */
    public String overloaded(String event) {
      return "short";
    }

    public String overloaded(String event, Context context) {
      return "long";
    }
  }

  /** Refused by the runtime: no public zero-argument constructor. */
  public static class NoDefaultConstructor implements RequestHandler<String, String> {
    public NoDefaultConstructor(String unused) {}

    @Override public String handleRequest(String event, Context context) {
      return event;
    }
  }
}
