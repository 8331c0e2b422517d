package dev.llmobs;

import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.Ids;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The recording half of the data path: the current span per thread, the per-trace buffers, and the queue of
 * frozen spans and checked evaluations waiting for a flush. Bounded in spans and bytes; what it drops it counts.
 *
 * <p>A trace's spans wait in their trace's own buffer until its root finishes; then they are frozen into
 * {@link FinishedSpan}s (with the session and ml_app the trace has by then) and queued at once, so a flush never
 * sends half of somebody else's trace and a session set late on the root still reaches every child.
 */
final class Recorder {
  /** How many traces a thread remembers finishing between two of its flushes. */
  private static final int MAX_REMEMBERED_TRACES = 16;

  final Config config;
  final Clock clock;
  final ThreadLocal<RealSpan> current = new ThreadLocal<>();
  /** What the annotation contexts open on this thread apply, or null. */
  final ThreadLocal<Annotations> annotations = new ThreadLocal<>();
  /** Traces whose root finished on this thread since its last flush: what that flush must see delivered. */
  private final ThreadLocal<ArrayList<String>> finishedHere = new ThreadLocal<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private final ArrayDeque<FinishedSpan> ready = new ArrayDeque<>();
  private final ArrayDeque<Evaluation> evaluations = new ArrayDeque<>();
  private long readyBytes;
  private int droppedSpans, droppedEvaluations;

  Recorder(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The innermost unfinished span made current on this thread, or null. */
  RealSpan currentSpan() {
    RealSpan top = current.get(), s = top;
    while (s != null && s.isFinished()) s = s.previous;
    if (s != top) current.set(s); // spans finished elsewhere (another thread, out of order) leave this thread's chain
    return s;
  }

  RealSpan start(Tracer tracer, SpanKind kind, String name, RealSpan parent, SpanContext remote,
      boolean makeCurrent) {
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
      trace = remote != null ? traceOf(remote, epoch, config.sampleRate)
          : new Trace(Ids.traceIdHigh(epoch), Ids.traceIdLow(), config.sampleRate);
    }
    RealSpan span = new RealSpan(tracer, kind, name, trace, parent, remote, epoch, nano);
    Annotations annotation = annotations.get();
    if (annotation != null) annotation.applyTo(span);
    if (makeCurrent) {
      span.previous = current.get();
      span.currentOn = Thread.currentThread();
      current.set(span);
    }
    return span;
  }

  private static Trace traceOf(SpanContext remote, long epoch, double rate) {
    try {
      return Trace.fromHex(remote.traceId(), remote, rate);
    } catch (RuntimeException e) {
      Usage.rejected("parent", "malformed remote trace id " + remote.traceId() + "; starting a new trace");
      return new Trace(Ids.traceIdHigh(epoch), Ids.traceIdLow(), rate);
    }
  }

  void onFinish(RealSpan span, boolean isRoot) {
    if (span.currentOn == Thread.currentThread() && current.get() == span) {
      RealSpan prev = span.previous;
      while (prev != null && prev.isFinished()) prev = prev.previous;
      current.set(prev);
      span.previous = null; // popped: let the chain be collected
    }
    // Otherwise the link stays: the span is finished on another thread than the one it is current on (a stream's
    // callback), or under a child still current. That thread's chain still runs through it to the spans below.
    Trace trace = span.traceSnapshot();
    if (!trace.sampled) return; // sampled out: never buffered, never sent
    List<RealSpan> done = trace.onFinish(span, isRoot, config.maxBufferedSpans);
    int droppedInTrace = trace.takeDropped();
    List<FinishedSpan> frozen = null;
    if (done != null) {
      frozen = new ArrayList<>(done.size());
      for (RealSpan s : done) frozen.add(s.freeze());
      if (isRoot) rememberFinishedHere(trace.hexId);
    }
    synchronized (lock) {
      droppedSpans += droppedInTrace;
      if (frozen == null) return;
      for (FinishedSpan s : frozen) {
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

  private void rememberFinishedHere(String traceId) {
    ArrayList<String> mine = finishedHere.get();
    if (mine == null) finishedHere.set(mine = new ArrayList<>(2));
    if (mine.size() == MAX_REMEMBERED_TRACES) mine.remove(0);
    mine.add(traceId);
  }

  /** The traces whose root finished on this thread since the last call on it. */
  List<String> takeFinishedHere() {
    ArrayList<String> mine = finishedHere.get();
    if (mine == null || mine.isEmpty()) return List.of();
    List<String> out = new ArrayList<>(mine);
    mine.clear();
    return out;
  }

  /** Checks an evaluation and fills in its ml_app and timestamp; an invalid one is dropped and counted. */
  void submitEvaluation(Evaluation e) {
    String problem = e.problem();
    if (problem != null) {
      synchronized (lock) {
        droppedEvaluations++;
      }
      Usage.rejected("evaluation", problem + "; evaluation dropped");
      return;
    }
    String mlApp = e.mlApp != null ? Config.normalizeMlApp(e.mlApp)
        : e.span != null && e.span.mlApp() != null ? e.span.mlApp() : config.mlApp;
    long ts = e.timestampMs != null ? e.timestampMs : clock.epochNanos() / 1_000_000L;
    Evaluation resolved = e.mlApp(mlApp).timestampMillis(ts);
    synchronized (lock) {
      if (evaluations.size() >= config.maxBufferedSpans) {
        evaluations.pollFirst();
        droppedEvaluations++;
      }
      evaluations.addLast(resolved);
    }
  }

  /** Puts spans a flush could not process back in front of the queue, for the next flush. */
  void requeue(List<FinishedSpan> spans) {
    synchronized (lock) {
      for (int i = spans.size() - 1; i >= 0; i--) {
        ready.addFirst(spans.get(i));
        readyBytes += spans.get(i).approxBytes;
      }
    }
  }

  /** What a flush takes: everything queued, and what was lost since the last one. */
  static final class Drained {
    final List<FinishedSpan> spans;
    final List<Evaluation> evaluations;
    final int droppedSpans, droppedEvaluations;

    Drained(List<FinishedSpan> spans, List<Evaluation> evaluations, int droppedSpans, int droppedEvaluations) {
      this.spans = spans;
      this.evaluations = evaluations;
      this.droppedSpans = droppedSpans;
      this.droppedEvaluations = droppedEvaluations;
    }

    boolean isEmpty() {
      return spans.isEmpty() && evaluations.isEmpty() && droppedSpans == 0 && droppedEvaluations == 0;
    }
  }

  Drained drain() {
    synchronized (lock) {
      Drained d = new Drained(new ArrayList<>(ready), new ArrayList<>(evaluations), droppedSpans, droppedEvaluations);
      ready.clear();
      evaluations.clear();
      readyBytes = 0;
      droppedSpans = droppedEvaluations = 0;
      return d;
    }
  }
}
