package dev.llmobs.integrations.internal;

import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One attempt of a tapped call, as its transport sends it and reads its answer: the request body and the answer
 * are kept as they pass through streams that hand every byte on unchanged, and every failure of ours only stops the
 * keeping. It runs in a call's first moments in a fresh JVM, so it uses no lambdas (each first one bootstraps the
 * JDK's lambda machinery). Not for use outside llmobs-lambda.
 */
public final class Exchange {
  private final TappedCall call;
  private final int attempt;
  private volatile boolean broken;

  Exchange(TappedCall call, int attempt) {
    this.call = call;
    this.attempt = attempt;
  }

  /** The stream the request body is written to, kept on the way when it is the call's first. */
  public OutputStream request(OutputStream out) {
    Capture c = firstRequest();
    return c == null ? out : tee(c, out);
  }

  /**
   * Where to write again a request body that can be written twice, after the attempt has sent it, for it to be kept;
   * null when nothing is to be kept. The SDKs' JSON bodies keep the bytes they wrote, so writing them once more into
   * the copy costs a copy, where wrapping the body would cost rebuilding the request. Only the call's first attempt is
   * kept.
   */
  public OutputStream sentCopy() {
    Capture c = firstRequest();
    return c == null ? null : tee(c, OutputStream.nullOutputStream());
  }

  /** The capture of the call's first request body, emptied for this writing; null once a request is kept. */
  private Capture firstRequest() {
    try {
      Capture c = call.captureRequest();
      if (c != null) c.reset();
      return c;
    } catch (Throwable t) {
      stop(t);
      return null;
    }
  }

  /** {@code out}, with every byte written to it also kept in {@code c}. */
  private OutputStream tee(Capture c, OutputStream out) {
    return new FilterOutputStream(out) {
      @Override public void write(int b) throws IOException {
        out.write(b);
        keep(c, new byte[] {(byte) b}, 0, 1);
      }

      @Override public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        keep(c, b, off, len);
      }
    };
  }

  /** The attempt failed before an answer: kept as the call's error if nothing follows. */
  public void failed(Throwable t) {
    try {
      String what = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
      call.attemptFailed(attempt, what, t);
      if (!call.proxied) call.end(t);
    } catch (Throwable e) {
      stop(e);
    }
  }

  /**
   * Closes our view of a tapped response's body, after the SDK's own close (which is what counts): it closes the
   * SDK's stream again (allowed) and records the answer's end. Never throws.
   */
  public static void closeView(InputStream body) {
    try {
      if (body != null) body.close();
    } catch (IOException | RuntimeException e) {
      // the SDK's own close before this one is what counts
    }
  }

  /**
   * The answer's body, as the client will read it: the same bytes, kept (a JSON answer), read event by event (a
   * stream) or, for an error status, read for the error's type.
   */
  public InputStream response(int status, String contentType, InputStream body) {
    if (body == null) {
      try {
        answered(status, null, null);
      } catch (Throwable t) {
        stop(t);
      }
      return null;
    }
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    boolean events = type.startsWith("text/event-stream");
    // JSON is kept; a binary stream (Bedrock's event stream through a vendor's client) is only timed.
    Capture kept = events || !(type.isEmpty() || type.contains("json")) ? null : new Capture();
    Sse sse = events && status < 400 ? new Sse(new Sse.Listener() {
      @Override public void event(String name, String data) {
        Exchange.this.event(name, data);
      }
    }) : null;
    return new FilterInputStream(body) {
      private boolean done;

      @Override public int read() throws IOException {
        int b;
        try {
          b = in.read();
        } catch (IOException e) {
          cut(e);
          throw e;
        }
        if (b < 0) finish();
        else pass(new byte[] {(byte) b}, 0, 1);
        return b;
      }

      @Override public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
          n = in.read(b, off, len);
        } catch (IOException e) {
          cut(e);
          throw e;
        }
        if (n < 0) finish();
        else pass(b, off, n);
        return n;
      }

      @Override public void close() throws IOException {
        try {
          in.close();
        } finally {
          finish();
        }
      }

      private void pass(byte[] b, int off, int n) {
        if (broken || n <= 0) return;
        try {
          if (kept != null) kept.add(b, off, n);
          else if (sse != null) sse.feed(b, off, n);
        } catch (Throwable t) {
          stop(t);
        }
      }

      private void cut(IOException e) {
        if (done) return;
        done = true;
        try {
          call.meta("stream_cut", true);
          call.attemptFailed(attempt, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
          if (sse != null || !call.proxied) call.end(e);
        } catch (Throwable t) {
          stop(t);
        }
      }

      private void finish() {
        if (done) return;
        done = true;
        try {
          if (sse != null) sse.end();
          answered(status, kept, sse);
        } catch (Throwable t) {
          stop(t);
        }
      }
    };
  }

  /** The answer was read to its end or closed: an error is the attempt's failure; a call ends if its answer ends it. */
  private void answered(int status, Capture kept, Sse sse) {
    if (status >= 400) {
      String error = "HTTP " + status;
      Object json = kept == null || kept.dropped() > 0 ? null : Json.parse(kept.bytes());
      String detail = json == null ? null : call.op.errorOf(json);
      call.attemptFailed(attempt, detail == null ? error : error + " " + detail, null);
      if (!call.proxied) call.end(new ModelCall.StreamError("http_" + status, detail == null ? error : detail));
      return;
    }
    if (kept != null) call.answer(kept);
    if (sse != null || !call.proxied) call.end(null);
  }

  private void event(String name, String data) {
    if (data.isEmpty() || data.equals("[DONE]")) return;
    Object json = Json.parse(data.getBytes(StandardCharsets.UTF_8));
    if (json != null) call.op.event(name, json, call);
  }

  private void keep(Capture c, byte[] b, int off, int len) {
    if (broken) return;
    try {
      c.add(b, off, len);
    } catch (Throwable t) {
      stop(t);
    }
  }

  private void stop(Throwable t) {
    Throwables.propagateIfFatal(t);
    broken = true;
    Log.debug("model call capture stopped: " + t);
  }
}
