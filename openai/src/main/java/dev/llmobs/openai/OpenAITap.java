package dev.llmobs.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import dev.llmobs.integrations.internal.Exchange;
import dev.llmobs.integrations.internal.Tap;
import dev.llmobs.internal.Throwables;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * openai-java's transport, as our wrapper of its HTTP client sees it: below the SDK's retries (each attempt passes here) and
 * above its HTTP client. It takes our call header off, and hands the request body and the answer on through streams
 * that keep a copy ({@link Exchange}); the SDK gets the very response it would get, in a wrapper.
 */
final class OpenAITap implements HttpClient {
  private final HttpClient next;

  OpenAITap(HttpClient next) {
    this.next = next;
  }

  @Override public HttpResponse execute(HttpRequest request, RequestOptions options) {
    Exchange x = Tap.attempt(OpenAIProtocol.INSTANCE, callId(request), request.method().name(), request.url());
    if (x == null) return next.execute(stripped(request, null), options);
    HttpResponse response;
    try {
      response = next.execute(stripped(request, x), options);
    } catch (RuntimeException | Error e) {
      keep(request, x);
      x.failed(e);
      throw e;
    }
    keep(request, x);
    return new Answer(response, x);
  }

  @Override public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
    Exchange x = Tap.attempt(OpenAIProtocol.INSTANCE, callId(request), request.method().name(), request.url());
    if (x == null) return next.executeAsync(stripped(request, null), options);
    CompletableFuture<HttpResponse> sent;
    try {
      sent = next.executeAsync(stripped(request, x), options);
    } catch (RuntimeException | Error e) {
      keep(request, x);
      x.failed(e);
      throw e;
    }
    // A future completed as the SDK's own would be: with the same exception object, not a wrapped one.
    CompletableFuture<HttpResponse> answered = new CompletableFuture<>();
    sent.whenComplete((response, error) -> {
      keep(request, x);
      if (error != null) {
        x.failed(error);
        answered.completeExceptionally(error);
      } else {
        answered.complete(new Answer(response, x));
      }
    });
    return answered;
  }

  @Override public void close() {
    next.close();
  }

  private static String callId(HttpRequest request) {
    List<String> v = request.headers().values(Tap.HEADER);
    return v.isEmpty() ? null : v.get(0);
  }

  /**
   * The request without our header. Its body is kept as it is written when it cannot be written twice; a repeatable
   * body (the SDK's JSON, which keeps its bytes) is copied after the attempt instead ({@link #keep}), so that a
   * synchronous call, which carries no header, is sent as the SDK built it.
   */
  private static HttpRequest stripped(HttpRequest request, Exchange x) {
    boolean named = !request.headers().values(Tap.HEADER).isEmpty();
    HttpRequestBody body = request.body();
    boolean wrap = x != null && body != null && !body.repeatable();
    if (!named && !wrap) return request;
    HttpRequest.Builder b = request.toBuilder();
    if (named) b.removeHeaders(Tap.HEADER);
    if (wrap) b.body(new Body(body, x));
    return b.build();
  }

  /** A repeatable body, copied once the attempt has written it. */
  private static void keep(HttpRequest request, Exchange x) {
    try {
      HttpRequestBody body = request.body();
      if (body == null || !body.repeatable()) return;
      OutputStream copy = x.sentCopy();
      if (copy != null) body.writeTo(copy);
    } catch (Throwable t) {
      // the SDK's own body: what it would throw, it throws when it sends; the span only has no input
      Throwables.propagateIfFatal(t);
    }
  }

  /** The SDK's request body, written through the exchange. */
  private static final class Body implements HttpRequestBody {
    private final HttpRequestBody body;
    private final Exchange x;

    Body(HttpRequestBody body, Exchange x) {
      this.body = body;
      this.x = x;
    }

    @Override public void writeTo(OutputStream out) {
      body.writeTo(x.request(out));
    }

    @Override public String contentType() {
      return body.contentType();
    }

    @Override public long contentLength() {
      return body.contentLength();
    }

    @Override public boolean repeatable() {
      return body.repeatable();
    }

    @Override public void close() {
      body.close();
    }
  }

  /** The SDK's response, its body read through the exchange. */
  private static final class Answer implements HttpResponse {
    private final HttpResponse response;
    private final InputStream body;

    Answer(HttpResponse response, Exchange x) {
      this.response = response;
      Headers h = response.headers();
      List<String> type = h.values("Content-Type");
      this.body = x.response(response.statusCode(), type.isEmpty() ? null : type.get(0), response.body());
    }

    @Override public int statusCode() {
      return response.statusCode();
    }

    @Override public Headers headers() {
      return response.headers();
    }

    @Override public InputStream body() {
      return body;
    }

    @Override public void close() {
      try {
        response.close();
      } finally {
        Exchange.closeView(body);
      }
    }
  }
}
