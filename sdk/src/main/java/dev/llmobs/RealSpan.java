package dev.llmobs;

import dev.llmobs.internal.Throwables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording span: state and lifecycle. Mutable until finished; then its trace's recorder freezes it into a
 * {@link FinishedSpan}, the only form in which it crosses into export. Turning user values into wire values is
 * {@link IoValues}'s job.
 *
 * <p>Design note: tags and metrics live in small parallel arrays rather than maps, and the JSON is written only at
 * flush, so that starting, annotating and finishing a span stays around a microsecond.
 */
final class RealSpan extends LLMObsSpan {
  static final int MAX_STACK_CHARS = 32 * 1024;

  final Tracer tracer;
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
  String[] tags; // key, value, key, value...
  int tagCount;
  String[] metricKeys;
  double[] metricValues;
  int metricCount;
  String errorType, errorMessage, errorStack;
  long durationNanos = -1;
  /** When the span's work ended, if noted before it finished ({@link dev.llmobs.internal.SpanEnds}); else -1. */
  private long endNanoTime = -1;
  private boolean hasChildren;
  private boolean finished;
  /** Rough size of input, output and metadata in characters: bounds the export queue in bytes. */
  long approxBytes;

  // Current-span bookkeeping; touched only by the thread that made this span current.
  RealSpan previous;
  Thread currentOn;

  RealSpan(Tracer tracer, SpanKind kind, String name, Trace trace, RealSpan parent, SpanContext remoteParent,
      long startEpochNanos, long startNanoTime) {
    this.tracer = tracer;
    this.kind = kind;
    this.name = name;
    this.trace = trace;
    this.parent = parent;
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

  private synchronized void markHasChild() {
    hasChildren = true;
  }

  long startNanoTime() {
    return startNanoTime;
  }

  synchronized boolean hasOutput() {
    return output != null;
  }

  synchronized boolean isFinished() {
    return finished;
  }

  private boolean open(String what) {
    if (!finished) return true;
    Usage.report("finished", "ignored " + what + " on span '" + name + "': it is already finished");
    return false;
  }

  @Override public SpanKind kind() {
    return kind;
  }

  @Override public SpanContext context() {
    Trace t;
    synchronized (this) {
      t = trace;
    }
    return new SpanContext(t.hexId, Long.toUnsignedString(spanId), effectiveMlApp(), effectiveSessionId(), t.sampled,
        t.sampleRate);
  }

  @Override public synchronized boolean isRecording() {
    return !finished;
  }

  @Override public synchronized LLMObsSpan name(String name) {
    if (open("name")) {
      if (name == null || name.isBlank()) Usage.rejected("null-name", "span name is null or blank; kept '" + this.name + "'");
      else this.name = name;
    }
    return this;
  }

  @Override public LLMObsSpan input(String text) {
    return setIo(true, text);
  }

  @Override public LLMObsSpan input(Object value) {
    return setIo(true, value);
  }

  @Override public LLMObsSpan output(String text) {
    return setIo(false, text);
  }

  @Override public LLMObsSpan output(Object value) {
    return setIo(false, value);
  }

  @Override public LLMObsSpan inputMessages(List<Message> messages) {
    return setIo(true, messages == null ? null : copy(messages, true));
  }

  @Override public LLMObsSpan outputMessages(List<Message> messages) {
    return setIo(false, messages == null ? null : copy(messages, true));
  }

  @Override public LLMObsSpan inputDocuments(List<Document> documents) {
    return setIo(true, documents == null ? null : copy(documents, false));
  }

  @Override public LLMObsSpan outputDocuments(List<Document> documents) {
    return setIo(false, documents == null ? null : copy(documents, false));
  }

  /** A private copy of the user's list; a list that cannot be read is refused, and says so. */
  private Object copy(List<?> list, boolean messages) {
    try {
      return messages ? new FinishedSpan.Messages(list) : new FinishedSpan.Documents(list);
    } catch (RuntimeException e) {
      Usage.rejected("bad-list", "could not read the " + (messages ? "messages" : "documents") + " given to span '"
          + name + "': " + e + "; ignored");
      return null;
    }
  }

  private LLMObsSpan setIo(boolean isInput, Object value) {
    String what = isInput ? "input" : "output";
    if (value == null) {
      Usage.rejected("null-io", "null " + what + " on span '" + name + "' ignored");
      return this;
    }
    if (!tracer.config.captureIo || !traceSnapshot().sampled) return this; // nothing to record: cost nothing
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
    if (tools == null || !traceSnapshot().sampled) return this;
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
    if (prompt == null || !traceSnapshot().sampled) return this;
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
    if (!traceSnapshot().sampled) return this;
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

  /** More tokens than any model call has: a unit mix-up or a corrupted count. */
  static final double MAX_TOKENS = 1e9;

  @Override public LLMObsSpan metric(String key, double value) {
    if (!traceSnapshot().sampled) return this;
    if (key == null) {
      Usage.rejected("null-key", "metric with a null key ignored on span '" + name + "'");
      return this;
    }
    if (!Double.isFinite(value)) {
      Usage.rejected("nan-metric", "metric '" + key + "' = " + value + " on span '" + name + "' ignored: not a finite number");
      return this;
    }
    if (key.endsWith("_tokens") && (value < 0 || value > MAX_TOKENS)) {
      Usage.rejected("bad-tokens", "token count '" + key + "' = " + value + " on span '" + name + "' refused: negative"
          + " or beyond " + (long) MAX_TOKENS);
      return this;
    }
    synchronized (this) {
      if (!open("metric")) return this;
      for (int i = 0; i < metricCount; i++) {
        if (metricKeys[i].equals(key)) {
          metricValues[i] = value;
          return this;
        }
      }
      if (metricKeys == null) {
        metricKeys = new String[4];
        metricValues = new double[4];
      } else if (metricCount == metricKeys.length) {
        metricKeys = Arrays.copyOf(metricKeys, metricCount * 2);
        metricValues = Arrays.copyOf(metricValues, metricCount * 2);
      }
      metricKeys[metricCount] = key;
      metricValues[metricCount++] = value;
    }
    return this;
  }

  @Override public LLMObsSpan tokens(long inputTokens, long outputTokens) {
    metric("input_tokens", inputTokens);
    metric("output_tokens", outputTokens);
    if (sane(inputTokens) && sane(outputTokens)) metric("total_tokens", inputTokens + outputTokens);
    return this;
  }

  private static boolean sane(long tokens) {
    return tokens >= 0 && tokens <= MAX_TOKENS;
  }

  @Override public LLMObsSpan tag(String key, String value) {
    if (!traceSnapshot().sampled) return this;
    key = TagKeys.check(key, name);
    if (key == null) return this;
    String v = value == null ? "" : value;
    synchronized (this) {
      if (!open("tag")) return this;
      for (int i = 0; i < tagCount; i++) {
        if (tags[2 * i].equals(key)) {
          tags[2 * i + 1] = v;
          return this;
        }
      }
      if (tags == null) tags = new String[8];
      else if (2 * tagCount == tags.length) tags = Arrays.copyOf(tags, tags.length * 2);
      tags[2 * tagCount] = key;
      tags[2 * tagCount++ + 1] = v;
    }
    return this;
  }

  @Override public synchronized LLMObsSpan sessionId(String sessionId) {
    if (open("session id")) this.sessionId = sessionId;
    return this;
  }

  @Override public synchronized LLMObsSpan mlApp(String mlApp) {
    if (open("ml_app")) {
      this.mlApp = mlApp == null ? null : dev.llmobs.internal.Config.normalizeMlApp(mlApp);
    }
    return this;
  }

  @Override public synchronized LLMObsSpan modelName(String modelName) {
    if (open("model name")) this.modelName = modelName;
    return this;
  }

  @Override public synchronized LLMObsSpan modelProvider(String modelProvider) {
    if (open("model provider")) {
      this.modelProvider = modelProvider == null ? null : modelProvider.toLowerCase(java.util.Locale.ROOT);
    }
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
    if (p.tracer != tracer) return this; // reconfigured in between
    for (RealSpan a = p; a != null; a = a.parentSnapshot()) {
      if (a == this) {
        Usage.rejected("parent", "parent(...) ignored on span '" + name + "': it would make a cycle");
        return this;
      }
    }
    Trace t = p.traceSnapshot();
    synchronized (this) {
      if (!canReparent()) return this;
      trace = t;
      parent = p;
      remoteParent = null;
      parentId = p.spanId;
    }
    p.markHasChild();
    return this;
  }

  @Override public LLMObsSpan parent(SpanContext ctx) {
    if (ctx == null || ctx.traceId() == null || ctx.traceId().length() != 32 || ctx.spanId() == null) {
      Usage.rejected("parent", "parent(SpanContext) ignored: incomplete context");
      return this;
    }
    Trace t;
    long pid;
    try {
      t = Trace.fromHex(ctx.traceId(), ctx, tracer.config.sampleRate);
      pid = Long.parseUnsignedLong(ctx.spanId());
    } catch (RuntimeException e) {
      Usage.rejected("parent", "parent(SpanContext) ignored: malformed ids " + ctx);
      return this;
    }
    synchronized (this) {
      if (!canReparent()) return this;
      trace = t;
      parent = null;
      remoteParent = ctx;
      parentId = pid;
    }
    return this;
  }

  private boolean canReparent() {
    if (!open("parent")) return false;
    if (hasChildren) {
      Usage.rejected("parent", "parent(...) ignored on span '" + name + "': it already has children");
      return false;
    }
    return true;
  }

  synchronized RealSpan parentSnapshot() {
    return parent;
  }

  Trace traceSnapshot() {
    return trace;
  }

  @Override public LLMObsSpan error(Throwable error) {
    if (error == null) {
      Usage.rejected("null-error", "error(null) ignored on span '" + name + "'");
      return this;
    }
    String type = error.getClass().getName();
    String message = safeMessage(error);
    String stack = stackTrace(error);
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
      errorStack = "";
    }
    return this;
  }

  private static String safeMessage(Throwable t) {
    try {
      String m = t.getMessage();
      return m == null ? "" : m;
    } catch (Throwable e) {
      Throwables.propagateIfFatal(e);
      return "";
    }
  }

  static String stackTrace(Throwable t) {
    try {
      StringWriter w = new StringWriter(1024);
      t.printStackTrace(new PrintWriter(w));
      String s = w.toString();
      if (s.length() <= MAX_STACK_CHARS) return s;
      Usage.rejected("stack", "a stack trace of " + s.length() + " characters was cut to " + MAX_STACK_CHARS);
      return s.substring(0, MAX_STACK_CHARS) + "\n\t... [truncated " + (s.length() - MAX_STACK_CHARS) + " characters]";
    } catch (Throwable e) {
      Throwables.propagateIfFatal(e);
      return "";
    }
  }

  static {
    dev.llmobs.internal.SpanEnds.install(span -> {
      if (span instanceof RealSpan) ((RealSpan) span).markEnd();
    });
  }

  /** The work ended now; the span may still be annotated, and {@link #finish} keeps this end. */
  synchronized void markEnd() {
    if (!finished && endNanoTime < 0) endNanoTime = tracer.clock.nanoTime();
  }

  @Override public void finish() {
    boolean isRoot;
    synchronized (this) {
      if (finished) return; // twice is harmless
      finished = true;
      durationNanos = Math.max(0, (endNanoTime >= 0 ? endNanoTime : tracer.clock.nanoTime()) - startNanoTime);
      isRoot = parent == null;
    }
    tracer.recorder.onFinish(this, isRoot);
  }

  /** This finished span as a value, with the session and ml_app its trace has now. */
  FinishedSpan freeze() {
    String session = effectiveSessionId(), app = effectiveMlApp();
    synchronized (this) {
      return new FinishedSpan(kind, name, trace.hexId, spanId, parentId, startEpochNanos, durationNanos, modelName,
          modelProvider, session, app, input, output, metadata, tags, tagCount, metricKeys, metricValues,
          metricCount, errorType, errorMessage, errorStack, approxBytes, trace.sampleRate, toolDefinitions,
          prompt);
    }
  }

  synchronized String effectiveSessionId() {
    if (sessionId != null) return sessionId;
    if (parent != null) return parent.effectiveSessionId();
    return remoteParent != null ? remoteParent.sessionId() : null;
  }

  synchronized String effectiveMlApp() {
    if (mlApp != null) return mlApp;
    if (parent != null) return parent.effectiveMlApp();
    if (remoteParent != null && remoteParent.mlApp() != null) return remoteParent.mlApp();
    return tracer.config.mlApp;
  }

  @Override public String toString() {
    return "RealSpan{" + kind.wireName + " '" + name + "' " + Long.toUnsignedString(spanId) + "}";
  }
}
