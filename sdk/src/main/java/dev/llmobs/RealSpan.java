package dev.llmobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recording span: state and lifecycle. Mutable until finished; then its trace's recorder freezes it into a
 * {@link FinishedSpan}, the only form in which it crosses into export. Turning user values into wire values is
 * {@link IoValues}'s job.
 *
 * <p>Design note: tags and metrics live in small parallel arrays rather than maps, and the JSON is written only at
 * flush, so that starting, annotating and finishing a span stays around a microsecond.
 */
final class RealSpan extends LLMObsSpan implements Recorder.Span {
  /** Where it goes when finished, and the settings it reads: never the tracer. */
  final Recorder recorder;
  final SpanKind kind;
  final long spanId;
  final long startEpochNanos;
  private final long startNanoTime;

  // Guarded by this until finished; stable afterwards.
  volatile Trace trace; // read by every annotator (is it sampled?): volatile, not locked
  RealSpan parent; // local parent, for inherited session and ml_app
  SpanContext remoteParent;
  long parentId; // 0 = root
  String name;
  String modelName, modelProvider, sessionId, mlApp;
  Object input, output; // String | FinishedSpan.Messages | FinishedSpan.Documents
  Map<String, Object> metadata;
  List<ToolDefinition> toolDefinitions; // llm spans
  Prompt prompt; // llm spans
  final TagsAndMetrics measures = new TagsAndMetrics();
  String errorType, errorMessage, errorStack;
  long durationNanos = -1;
  private long endNanoTime = -1; // when the work ended, if noted before it finished (markEnd); else -1
  private long reportedStart = -1, reportedDuration = -1; // as the work's own source reported them (reportTimes)
  private boolean hasChildren, finished;
  private volatile boolean localRoot; // no local parent; kept apart because parent is let go once frozen
  private Recorder.Buffer buffer; // guarded by the recorder's lock
  /** Rough size of input, output and metadata in characters: bounds the export queue in bytes. */
  long approxBytes;

  RealSpan(Recorder recorder, SpanKind kind, String name, Trace trace, RealSpan parent, SpanContext remoteParent,
      long startEpochNanos, long startNanoTime) {
    this.recorder = recorder;
    this.kind = kind;
    this.name = name;
    this.trace = trace;
    this.parent = parent;
    this.localRoot = parent == null;
    this.remoteParent = remoteParent;
    this.spanId = dev.llmobs.internal.Ids.spanId();
    this.startEpochNanos = startEpochNanos;
    this.startNanoTime = startNanoTime;
    if (parent != null) {
      parentId = parent.spanId;
      parent.markHasChild();
    } else if (remoteParent != null) {
      parentId = Long.parseUnsignedLong(remoteParent.spanId());
    }
  }

  private synchronized void markHasChild() { hasChildren = true; }

  long startNanoTime() { return startNanoTime; }

  synchronized boolean hasOutput() { return output != null; }

  @Override public synchronized boolean isFinished() { return finished; }

  private boolean open(String what) {
    if (!finished) return true;
    Usage.report("finished", "ignored " + what + " on span '" + name + "': it is already finished");
    return false;
  }

  @Override public SpanKind kind() { return kind; }

  @Override public SpanContext context() {
    Trace t;
    synchronized (this) {
      t = trace;
    }
    return new SpanContext(t.hexId, Long.toUnsignedString(spanId), effectiveMlApp(), effectiveSessionId(), t.sampled,
        t.sampleRate);
  }

  /** False once finished, and always on a sampled-out trace: annotating it would record nothing. */
  @Override public synchronized boolean isRecording() { return !finished && trace.sampled; }

  @Override public synchronized LLMObsSpan name(String name) {
    if (open("name")) {
      if (name == null || name.isBlank()) Usage.rejected("null-name", "span name is null or blank; kept '" + this.name + "'");
      else this.name = name;
    }
    return this;
  }

  @Override public LLMObsSpan input(String text) { return setIo(true, text); }

  @Override public LLMObsSpan input(Object value) { return setIo(true, value); }

  @Override public LLMObsSpan output(String text) { return setIo(false, text); }

  @Override public LLMObsSpan output(Object value) { return setIo(false, value); }

  @Override public LLMObsSpan inputMessages(List<Message> messages) { return setIo(true, copy(messages, true)); }

  @Override public LLMObsSpan outputMessages(List<Message> messages) { return setIo(false, copy(messages, true)); }

  @Override public LLMObsSpan inputDocuments(List<Document> documents) { return setIo(true, copy(documents, false)); }

  @Override public LLMObsSpan outputDocuments(List<Document> documents) { return setIo(false, copy(documents, false)); }

  private Object copy(List<?> list, boolean messages) { return list == null ? null : IoValues.copy(list, messages, name); }

  private LLMObsSpan setIo(boolean isInput, Object value) {
    String what = isInput ? "input" : "output";
    if (value == null) {
      Usage.rejected("null-io", "null " + what + " on span '" + name + "' ignored");
      return this;
    }
    if (!recorder.captureIo || !trace().sampled) return this; // nothing to record: cost nothing
    Object converted; // outside the lock: may serialize a large object
    try {
      converted = IoValues.convert(kind, name, isInput, value);
    } catch (RuntimeException e) { // a collection whose iteration throws, before serialization could catch it
      Usage.rejected("bad-io", "could not read the " + what + " given to span '" + name + "': " + e + "; ignored");
      return this;
    }
    synchronized (this) {
      if (open(what)) {
        Object old = isInput ? input : output;
        approxBytes += IoValues.sizeOf(converted) - IoValues.sizeOf(old);
        if (isInput) input = converted;
        else output = converted;
      }
    }
    return this;
  }

  @Override public LLMObsSpan toolDefinitions(List<ToolDefinition> tools) {
    if (tools == null || !trace().sampled) return this;
    if (kind != SpanKind.LLM) {
      Usage.rejected("tool-definitions-kind", "tool definitions are for llm spans; ignored on " + kind.wireName
          + " span '" + name + "'");
      return this;
    }
    List<ToolDefinition> copy = Copies.list(tools, "the tool definitions given to span '" + name + "'");
    if (copy == null) return this;
    synchronized (this) {
      if (open("tool definitions")) toolDefinitions = copy;
    }
    return this;
  }

  @Override public LLMObsSpan prompt(Prompt prompt) {
    if (prompt == null || !trace().sampled) return this;
    if (kind != SpanKind.LLM) {
      Usage.rejected("prompt-kind", "a prompt is for llm spans; dropped from " + kind.wireName + " span '" + name + "'");
      return this;
    }
    synchronized (this) {
      if (open("prompt")) {
        approxBytes += prompt.approxBytes() - (this.prompt == null ? 0 : this.prompt.approxBytes());
        this.prompt = prompt;
      }
    }
    return this;
  }

  @Override public LLMObsSpan metadata(String key, Object value) {
    if (!trace().sampled) return this;
    if (key == null) {
      Usage.rejected("null-key", "metadata with a null key ignored on span '" + name + "'");
      return this;
    }
    if ("_dd".equals(key)) {
      Usage.rejected("dd-key", "metadata key '_dd' is reserved; ignored");
      return this;
    }
    synchronized (this) {
      if (open("metadata")) {
        if (metadata == null) metadata = new LinkedHashMap<>();
        Object v = IoValues.snapshot(value);
        approxBytes += IoValues.sizeOf(v) + key.length() + 8 - IoValues.sizeOf(metadata.put(key, v));
      }
    }
    return this;
  }

  @Override public LLMObsSpan metadata(Map<String, ?> entries) {
    if (entries == null) {
      Usage.rejected("null-io", "null metadata on span '" + name + "' ignored");
      return this;
    }
    try {
      for (Map.Entry<String, ?> e : entries.entrySet()) metadata(e.getKey(), e.getValue());
    } catch (RuntimeException e) { // a concurrently modified or broken map
      Usage.rejected("bad-map", "could not read metadata map: " + e);
    }
    return this;
  }

  @Override public LLMObsSpan metric(String key, double value) {
    if (!trace().sampled || !TagsAndMetrics.acceptable(key, value, name)) return this;
    synchronized (this) {
      if (open("metric")) measures.metric(key, value);
    }
    return this;
  }

  @Override public LLMObsSpan tokens(long inputTokens, long outputTokens) {
    metric("input_tokens", inputTokens).metric("output_tokens", outputTokens);
    if (TagsAndMetrics.sane(inputTokens) && TagsAndMetrics.sane(outputTokens)) metric("total_tokens", inputTokens + outputTokens);
    return this;
  }

  @Override public LLMObsSpan tag(String key, String value) {
    if (!trace().sampled) return this;
    key = TagKeys.check(key, name);
    if (key == null) return this;
    String v = value == null ? "" : value;
    synchronized (this) {
      if (open("tag")) measures.tag(key, v);
    }
    return this;
  }

  @Override public synchronized LLMObsSpan sessionId(String sessionId) {
    if (open("session id")) this.sessionId = sessionId;
    return this;
  }

  @Override public synchronized LLMObsSpan mlApp(String mlApp) {
    if (open("ml_app")) this.mlApp = mlApp == null ? null : dev.llmobs.internal.Config.normalizeMlApp(mlApp);
    return this;
  }

  @Override public synchronized LLMObsSpan modelName(String modelName) {
    if (open("model name")) this.modelName = modelName;
    return this;
  }

  @Override public synchronized LLMObsSpan modelProvider(String modelProvider) {
    if (open("model provider")) this.modelProvider = modelProvider == null ? null : modelProvider.toLowerCase(Locale.ROOT);
    return this;
  }

  @Override public LLMObsSpan parent(LLMObsSpan newParent) {
    if (newParent == this || !(newParent instanceof RealSpan)) {
      if (newParent != null && newParent != this && !(newParent instanceof NoopSpan)) {
        Usage.rejected("parent", "parent(...) ignored: not a span of this SDK");
      }
      return this;
    }
    RealSpan p = (RealSpan) newParent;
    if (p.recorder != recorder) return this; // reconfigured in between
    for (RealSpan a = p; a != null; a = a.parentSnapshot()) {
      if (a == this) {
        Usage.rejected("parent", "parent(...) ignored on span '" + name + "': it would make a cycle");
        return this;
      }
    }
    if (reparent(p.trace(), p, null, p.spanId)) p.markHasChild();
    return this;
  }

  @Override public LLMObsSpan parent(SpanContext ctx) {
    if (ctx == null || ctx.traceId() == null || ctx.traceId().length() != 32 || ctx.spanId() == null) {
      Usage.rejected("parent", "parent(SpanContext) ignored: incomplete context");
      return this;
    }
    try {
      reparent(Trace.fromHex(ctx.traceId(), ctx, recorder.sampleRate), null, ctx, Long.parseUnsignedLong(ctx.spanId()));
    } catch (RuntimeException e) {
      Usage.rejected("parent", "parent(SpanContext) ignored: malformed ids " + ctx);
    }
    return this;
  }

  /** Moves this span under another parent, unless it finished or has children already. */
  private boolean reparent(Trace t, RealSpan local, SpanContext remote, long id) {
    Trace from;
    synchronized (this) {
      if (!open("parent")) return false;
      if (hasChildren) {
        Usage.rejected("parent", "parent(...) ignored on span '" + name + "': it already has children");
        return false;
      }
      from = trace;
      trace = t;
      parent = local;
      localRoot = local == null;
      remoteParent = remote;
      parentId = id;
    }
    recorder.moved(this, from);
    return true;
  }

  synchronized RealSpan parentSnapshot() { return parent; }

  @Override public Trace trace() { return trace; }

  @Override public boolean isLocalRoot() { return localRoot; }

  @Override public Recorder.Buffer buffer() { return buffer; }
  @Override public void buffer(Recorder.Buffer b) { buffer = b; } // the pair the recorder keeps; guarded by it

  @Override public LLMObsSpan error(Throwable error) {
    if (error == null) {
      Usage.rejected("null-error", "error(null) ignored on span '" + name + "'");
      return this;
    }
    String type = error.getClass().getName(), message = Errors.message(error), stack = Errors.stackTrace(error);
    synchronized (this) {
      if (open("error")) {
        errorType = type;
        errorMessage = message;
        errorStack = stack;
      }
    }
    return this;
  }

  @Override public synchronized LLMObsSpan error(String type, String message) {
    if (open("error")) {
      errorType = type == null ? "" : type;
      errorMessage = message == null ? "" : message;
      errorStack = null;
    }
    return this;
  }

  /** The work ended now; the span may still be annotated, and {@link #finish} keeps this end. */
  synchronized void markEnd() {
    if (!finished && endNanoTime < 0) endNanoTime = recorder.clock.nanoTime();
  }

  /** The work's own record of when it ran (a service's step), which the span keeps instead of our clock's. */
  synchronized void reportTimes(long startEpochNanos, long durationNanos) {
    if (finished || startEpochNanos <= 0 || durationNanos < 0) return;
    reportedStart = startEpochNanos;
    reportedDuration = durationNanos;
  }

  @Override public void finish() {
    synchronized (this) {
      if (finished) return; // twice is harmless
      finished = true;
      durationNanos = reportedDuration >= 0 ? reportedDuration
          : Math.max(0, (endNanoTime >= 0 ? endNanoTime : recorder.clock.nanoTime()) - startNanoTime);
    }
    recorder.finished(this);
  }

  @Override public boolean finishForgotten(String why) {
    if (isFinished()) return false;
    tag(Recorder.FORGOTTEN_TAG, why);
    finish();
    return true;
  }

  /**
   * This finished span as a value, with the session and ml_app its trace has now. Both are then pinned here and the
   * parent let go, so that a span still open below does not hold its ancestors for as long as it lives.
   */
  @Override public FinishedSpan freeze() {
    String session = effectiveSessionId(), app = effectiveMlApp();
    synchronized (this) {
      sessionId = session;
      mlApp = app;
      parent = null;
      return new FinishedSpan(kind, name, trace.hexId, spanId, parentId, reportedStart > 0 ? reportedStart : startEpochNanos,
          durationNanos, modelName, modelProvider, session, app, input, output,
          metadata == null ? null : java.util.Collections.unmodifiableMap(metadata), measures.tags, measures.tagCount,
          measures.metricKeys, measures.metricValues, measures.metricCount, errorType, errorMessage, errorStack,
          approxBytes, trace.sampleRate, toolDefinitions, prompt);
    }
  }

  synchronized String effectiveSessionId() {
    return sessionId != null ? sessionId : parent != null ? parent.effectiveSessionId()
        : remoteParent != null ? remoteParent.sessionId() : null;
  }

  synchronized String effectiveMlApp() {
    if (mlApp != null) return mlApp;
    if (parent != null) return parent.effectiveMlApp();
    return remoteParent != null && remoteParent.mlApp() != null ? remoteParent.mlApp() : recorder.mlApp;
  }

  @Override public String toString() {
    return "RealSpan{" + kind.wireName + " '" + name + "' " + Long.toUnsignedString(spanId) + "}";
  }
}
