package dev.llmobs;

import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.HttpSink;
import dev.llmobs.internal.JsonWriter;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Sink;
import dev.llmobs.internal.StreamSink;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.Version;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SDK's state for one configuration: the current span per thread, finished traces waiting for a flush, the
 * events kept after a failed send, and the sink. One straight path: span finishes → its trace's buffer → (root
 * finished) export queue → {@link #flush} encodes → sink sends, on the caller's thread.
 */
final class Tracer {
  final Config config;
  final Sink sink;
  final Clock clock;
  final String version = Version.get();
  final SpanEncoder encoder;
  final ThreadLocal<RealSpan> current = new ThreadLocal<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private final ArrayDeque<RealSpan> ready = new ArrayDeque<>();
  private final ArrayDeque<byte[]> keptSpans = new ArrayDeque<>();
  private final ArrayDeque<byte[]> evaluations = new ArrayDeque<>();
  private long keptBytes, readyBytes;
  private int droppedSpans, droppedEvaluations, truncatedSpans;

  Tracer(Config config, Sink sink, Clock clock) {
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    this.encoder = new SpanEncoder(config, version);
  }

  static Tracer create(Config config, Clock clock) {
    if (config.logLevel != null) Log.setLevel(config.logLevel);
    dev.llmobs.internal.Integrations.bedrock = config.enabled && config.bedrockEnabled;
    Sink sink;
    switch (config.route) {
      case AGENTLESS:
      case AGENT:
        sink = new HttpSink(config, "llmobs-lambda/" + Version.get());
        break;
      case FILE:
        sink = StreamSink.file(config.exportFile);
        break;
      default:
        sink = StreamSink.stdout();
    }
    if (config.enabled) {
      Log.info("llmobs-lambda " + Version.get() + ": ml_app " + config.mlApp + ", spans go to " + config.describeRoute());
    }
    return new Tracer(config, sink, clock);
  }

  /** The innermost unfinished span made current on this thread, or null. */
  RealSpan currentSpan() {
    RealSpan s = current.get();
    while (s != null && s.isFinished()) s = s.previous;
    return s;
  }

  RealSpan start(SpanKind kind, String name, RealSpan parent, SpanContext remote, boolean makeCurrent) {
    if (name == null || name.isBlank()) {
      if (name == null) Usage.rejected("null-name", "span name is null; named it '" + kind.wireName + "'");
      name = kind.wireName;
    }
    Trace trace;
    long epoch, nano = clock.nanoTime();
    if (parent != null) {
      trace = parent.traceSnapshot();
      epoch = parent.startEpochNanos + (nano - parent.startNanoTime());
    } else {
      epoch = clock.epochNanos();
      trace = remote != null ? traceOf(remote)
          : new Trace(dev.llmobs.internal.Ids.traceIdHigh(epoch), dev.llmobs.internal.Ids.traceIdLow());
    }
    RealSpan span = new RealSpan(this, kind, name, trace, parent, remote, epoch, nano);
    if (makeCurrent) {
      span.previous = current.get();
      span.currentOn = Thread.currentThread();
      current.set(span);
    }
    return span;
  }

  private static Trace traceOf(SpanContext remote) {
    try {
      return Trace.fromHex(remote.traceId());
    } catch (RuntimeException e) {
      Usage.rejected("parent", "malformed remote trace id " + remote.traceId() + "; starting a new trace");
      return new Trace(dev.llmobs.internal.Ids.traceIdHigh(System.currentTimeMillis() * 1_000_000L),
          dev.llmobs.internal.Ids.traceIdLow());
    }
  }

  void onFinish(RealSpan span, boolean isRoot) {
    if (span.currentOn == Thread.currentThread() && current.get() == span) {
      RealSpan prev = span.previous;
      while (prev != null && prev.isFinished()) prev = prev.previous;
      current.set(prev);
    }
    span.previous = null; // let the chain be collected
    Trace trace = span.traceSnapshot();
    List<RealSpan> done = trace.onFinish(span, isRoot, config.maxBufferedSpans);
    int droppedInTrace = trace.takeDropped();
    synchronized (lock) {
      droppedSpans += droppedInTrace;
      if (done == null) return;
      for (RealSpan s : done) {
        ready.addLast(s);
        readyBytes += s.approxBytes;
        // Bounded in spans and in bytes; the oldest go first (the root of a trace finishes last).
        while (ready.size() > config.maxBufferedSpans || (readyBytes > config.maxRetainedBytes && ready.size() > 1)) {
          readyBytes -= ready.pollFirst().approxBytes;
          droppedSpans++;
        }
      }
    }
  }

  void submitEvaluation(Evaluation e) {
    String problem = e.problem();
    if (problem != null) {
      synchronized (lock) {
        droppedEvaluations++;
      }
      Usage.rejected("evaluation", problem + "; evaluation dropped");
      return;
    }
    byte[] bytes;
    try {
      bytes = encodeEvaluation(e);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Usage.rejected("evaluation", "could not encode evaluation '" + e.label + "': " + t);
      return;
    }
    synchronized (lock) {
      if (evaluations.size() >= config.maxBufferedSpans) {
        evaluations.pollFirst();
        droppedEvaluations++;
      }
      evaluations.addLast(bytes);
    }
  }

  private byte[] encodeEvaluation(Evaluation e) {
    String mlApp = e.mlApp != null ? Config.normalizeMlApp(e.mlApp)
        : e.span != null && e.span.mlApp() != null ? e.span.mlApp() : config.mlApp;
    long ts = e.timestampMs != null ? e.timestampMs : clock.epochNanos() / 1_000_000L;
    JsonWriter w = new JsonWriter(256);
    w.raw("{\"event_kind\":\"evaluation\",\"ml_app\":").string(mlApp);
    w.raw(",\"timestamp_ms\":").number(ts);
    if (e.span != null) {
      w.raw(",\"join_on\":{\"span\":{\"span_id\":").string(e.span.spanId())
          .raw(",\"trace_id\":").string(e.span.traceId()).raw("}}");
    } else {
      w.raw(",\"join_on\":{\"tag\":{\"key\":").string(e.joinTagKey)
          .raw(",\"value\":").string(e.joinTagValue).raw("}}");
    }
    String type = e.type.name().toLowerCase(Locale.ROOT);
    w.raw(",\"metric_type\":\"").raw(type).raw('"');
    w.raw(",\"label\":").string(e.label);
    w.raw(",\"").raw(type).raw("_value\":");
    if (e.type == Evaluation.Type.CATEGORICAL) w.string(e.value.toString());
    else if (e.type == Evaluation.Type.SCORE) w.number((Double) e.value);
    else w.raw(((Boolean) e.value) ? "true" : "false");
    w.raw(",\"tags\":[").string("ddtrace.version:" + version).raw(',').string("ml_app:" + mlApp);
    for (String t : e.tags) w.raw(',').string(t);
    w.raw(']');
    w.raw(",\"eval_scope\":").raw(e.traceScope ? "\"trace\"" : "\"span\"");
    if (e.assessment != null) w.raw(",\"assessment\":").string(e.assessment);
    if (e.reasoning != null) w.raw(",\"reasoning\":").string(e.reasoning);
    if (e.metadata != null) w.raw(",\"metadata\":").value(e.metadata);
    w.raw('}');
    return w.toByteArray();
  }

  /**
   * Sends every finished trace and evaluation, within {@code budgetNanos}; what cannot be sent in time, or is
   * refused for now, is kept for the next flush. Never throws.
   */
  FlushResult flush(long budgetNanos) {
    long startNanos = System.nanoTime();
    long deadline = startNanos + Math.max(0, budgetNanos);
    List<RealSpan> spans;
    List<byte[]> oldSpans, evals;
    int dropped, droppedEvals, truncated;
    synchronized (lock) {
      if (ready.isEmpty() && keptSpans.isEmpty() && evaluations.isEmpty() && droppedSpans == 0
          && droppedEvaluations == 0 && Usage.rejected.get() == 0) {
        return FlushResult.EMPTY;
      }
      spans = new ArrayList<>(ready);
      ready.clear();
      readyBytes = 0;
      oldSpans = new ArrayList<>(keptSpans);
      keptSpans.clear();
      keptBytes = 0;
      evals = new ArrayList<>(evaluations);
      evaluations.clear();
      dropped = droppedSpans;
      droppedEvals = droppedEvaluations;
      truncated = truncatedSpans;
      droppedSpans = droppedEvaluations = truncatedSpans = 0;
    }
    long rejected = Usage.rejected.getAndSet(0);

    List<byte[]> events = oldSpans;
    JsonWriter w = new JsonWriter(4096);
    int limit = Math.min(config.eventBytes, sink.maxRequestBytes() - 2);
    for (RealSpan s : spans) {
      try {
        encoder.encode(s, w, false);
        if (w.size() >= limit) {
          int before = w.size();
          encoder.encode(s, w, true);
          if (w.size() >= limit) {
            dropped++;
            Log.warn("dropped span '" + s.name + "': " + w.size() + " bytes even without its input and output");
            continue;
          }
          truncated++;
          Log.warn("span '" + s.name + "' is " + before + " bytes, over the " + limit
              + "-byte event limit: its input and output were replaced by a marker");
        }
        events.add(w.toByteArray());
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
        dropped++;
        Log.warn("could not encode span '" + s.name + "': " + t);
      }
    }

    Sink.Outcome so = send(Sink.Kind.SPANS, events, deadline);
    Sink.Outcome eo = send(Sink.Kind.EVALUATIONS, evals, deadline);
    int[] overflow = keep(so.retry, eo.retry);
    dropped += so.dropped + overflow[0];
    droppedEvals += eo.dropped + overflow[1];

    FlushResult r = new FlushResult(so.sent, eo.sent, so.retry.size() - overflow[0], eo.retry.size() - overflow[1],
        dropped, droppedEvals, truncated, System.nanoTime() - startNanos);
    boolean notable = dropped > 0 || droppedEvals > 0 || truncated > 0 || rejected > 0 || !so.retry.isEmpty()
        || !eo.retry.isEmpty();
    if (notable || Log.isDebug()) { // one summary line per flush, built only when it is printed
      String summary = "flush: " + r + (rejected > 0 ? "; " + rejected + " annotations refused (see earlier lines)" : "");
      if (notable) Log.info(summary);
      else Log.debug(summary);
    }
    return r;
  }

  private Sink.Outcome send(Sink.Kind kind, List<byte[]> events, long deadline) {
    if (events.isEmpty()) return new Sink.Outcome(0, List.of(), 0);
    try {
      return sink.send(kind, events, deadline);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("sink failed: " + t + "; keeping " + events.size() + " events for the next flush");
      return new Sink.Outcome(0, events, 0);
    }
  }

  /**
   * Keeps what could not be sent, within the buffer's bounds, dropping the oldest first. Returns how many spans
   * and evaluations that dropped.
   */
  private int[] keep(List<byte[]> spans, List<byte[]> evals) {
    int[] overflow = new int[2];
    if (spans.isEmpty() && evals.isEmpty()) return overflow;
    synchronized (lock) {
      // Events kept now are older than anything queued since: put them in front.
      for (int i = spans.size() - 1; i >= 0; i--) {
        byte[] e = spans.get(i);
        keptSpans.addFirst(e);
        keptBytes += e.length;
      }
      while (keptSpans.size() > config.maxBufferedSpans || keptBytes > config.maxRetainedBytes) {
        keptBytes -= keptSpans.pollFirst().length;
        overflow[0]++;
      }
      for (int i = evals.size() - 1; i >= 0; i--) evaluations.addFirst(evals.get(i));
      while (evaluations.size() > config.maxBufferedSpans) {
        evaluations.pollFirst();
        overflow[1]++;
      }
    }
    if (overflow[0] + overflow[1] > 0) {
      Log.warn("retry buffer full: dropped the " + overflow[0] + " oldest spans and " + overflow[1] + " oldest evaluations");
    }
    return overflow;
  }
}
