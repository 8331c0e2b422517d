package dev.llmobs.integrations.internal;

import dev.llmobs.LLMObsSpan;
import dev.llmobs.internal.TracerHandle;

/**
 * A model call seen at its client's HTTP transport: the bytes of its request and of its final answer, kept as they
 * pass and read once, when the call ends (a streamed answer is read event by event, for its time to first token).
 * Not for use outside llmobs-lambda.
 */
public final class TappedCall extends ModelCall {
  /** Request and response bodies are kept up to this size; past it the rest is counted, not kept. */
  static final int MAX_CAPTURE = 16 * 1024 * 1024;

  public final Operation op;
  /** Opened by the client's proxy, which ends it (when the method returns or its future completes). */
  final boolean proxied;
  /** Its answer is a stream, which ends the call when it ends. */
  final boolean streaming;
  final String id;

  // Guarded by this.
  private Capture request;
  private Capture response;
  private StreamOutput stream;
  private StreamError streamError;
  private String url;

  TappedCall(LLMObsSpan span, TracerHandle tracer, Operation op, boolean proxied, boolean streaming, String id) {
    super(span, tracer);
    this.op = op;
    this.proxied = proxied;
    this.streaming = streaming;
    this.id = id;
  }

  /** The output a streamed answer builds, for the operation's {@link Operation#event}. */
  public synchronized StreamOutput stream() {
    if (stream == null) stream = new StreamOutput(this, op.toolCallType());
    return stream;
  }

  /** An error the service sent inside a streamed answer. */
  public synchronized void streamError(StreamError e) {
    if (streamError == null) streamError = e;
  }

  synchronized void sentTo(String url, String provider) {
    if (this.url == null) {
      this.url = url;
      span.modelProvider(provider != null ? provider : op.provider(url));
      server(url);
      String name = op.spanName(url);
      if (!name.equals(op.spanName)) span.name(name);
    }
  }

  /** The server a client span talks to, as the conventions name it ({@code server.address}, {@code server.port}). */
  private void server(String url) {
    String[] known = lastServer;
    if (known == null || !known[0].equals(url)) {
      known = serverOf(url);
      lastServer = known;
    }
    if (known[1] != null) span.tag("server.address", known[1]).tag("server.port", known[2]);
  }

  /** The last URL read and its server: a client's calls go to one URL, read once, not once a call. */
  private static volatile String[] lastServer;

  private static String[] serverOf(String url) {
    try {
      java.net.URI u = java.net.URI.create(url);
      if (u.getHost() == null) return new String[] {url, null, null};
      int port = u.getPort() >= 0 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
      return new String[] {url, u.getHost(), Integer.toString(port)};
    } catch (IllegalArgumentException e) {
      return new String[] {url, null, null}; // a URL we cannot read names no server
    }
  }

  /** The URL the first attempt went to. */
  public synchronized String url() {
    return url;
  }

  /** The first attempt's request body, or null when it is kept already. */
  synchronized Capture captureRequest() {
    if (request != null) return null;
    request = new Capture();
    return request;
  }

  synchronized void answer(Capture body) {
    response = body;
  }

  /** A streamed answer that ended with the whole answer in one event: that is read instead of the pieces. */
  public synchronized void streamSuperseded() {
    stream = null;
  }

  @Override protected void responseCleared() {
    response = null;
    stream = null;
    streamError = null;
  }

  @Override public void end(Throwable error) {
    StreamError inStream;
    synchronized (this) {
      inStream = streamError;
    }
    try {
      super.end(error != null ? error : inStream);
    } finally {
      Tap.closed(this);
    }
  }

  /** The bodies are read here, once: on whichever thread ends the call, after the caller has its answer. */
  @Override protected void beforeWrite() {
    Capture req, res;
    StreamOutput out;
    synchronized (this) {
      req = request;
      res = response;
      out = stream;
    }
    read(req, true);
    if (out != null) out.assemble();
    else read(res, false);
  }

  private void read(Capture c, boolean isRequest) {
    if (c == null || c.size() == 0) return;
    if (c.dropped() > 0) {
      meta(isRequest ? "llmobs.request_bytes_dropped" : "llmobs.response_bytes_dropped", c.dropped());
      dev.llmobs.internal.Log.warn("a " + (isRequest ? "request" : "response") + " body of " + c.total()
          + " bytes is larger than the " + MAX_CAPTURE + " bytes kept: its span has no " + (isRequest ? "input" : "output"));
      return;
    }
    Object json = Json.parse(c.bytes());
    synchronized (this) {
      if (json == null) {
        String text = clip(c.text());
        if (isRequest) inputText = text;
        else outputText = text;
      } else if (isRequest) {
        op.request(json, this);
      } else {
        op.response(json, this);
      }
    }
  }

  @Override protected boolean isEmbedding() {
    return op.kind == dev.llmobs.SpanKind.EMBEDDING;
  }
}
