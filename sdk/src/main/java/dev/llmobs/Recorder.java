package dev.llmobs;

import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.Log;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The recording half of the data path: the current span per thread, the spans still open and the finished ones of
 * each trace, and the queue of frozen spans and checked evaluations waiting for a flush. Bounded everywhere; what
 * it drops it counts.
 *
 * <p>A trace's finished spans wait in its buffer until its root finishes; then they are frozen into
 * {@link FinishedSpan}s (with the session and ml_app the trace has by then) and queued at once, so a flush never
 * sends half of somebody else's trace and a session set late on the root still reaches every child. Spans nobody
 * finishes are finished here: at the end of the invocation they belong to ({@link #restore}), or, outside any
 * invocation, when more than {@code LLMOBS_MAX_OPEN_SPANS} are open (the oldest first).
 */
final class Recorder {
  /** What the recorder needs of a recording span; the SDK has one kind. */
  interface Span {
    Trace trace();

    boolean isFinished();

    /** No local parent: its finish completes its trace's buffer. */
    boolean isLocalRoot();

    FinishedSpan freeze();

    /** Finishes a span its user left open, marked with {@code why}; false when it had finished meanwhile. */
    boolean finishForgotten(String why);

    /** The buffer of its trace the recorder last put it in, kept on the span to save a look-up; guarded by the lock. */
    Buffer buffer();

    void buffer(Buffer b);
  }

  /** One link of a thread's chain of current spans; immutable. */
  private static final class Frame {
    final Span span;
    final Frame below;
    final int depth;

    Frame(Span span, Frame below) {
      this.span = span;
      this.below = below;
      this.depth = below == null ? 1 : below.depth + 1;
    }
  }

  /** The spans of one trace: those still open, in start order, and those finished before its root. */
  static final class Buffer {
    final Trace trace;
    final ArrayList<Span> open = new ArrayList<>(4);
    ArrayList<Span> finished = new ArrayList<>(4); // null once the root finished
    boolean gone; // taken out of the recorder's map: a span that still names it must look again

    Buffer(Trace trace) {
      this.trace = trace;
    }
  }

  /** The tag on a span the SDK finished because its user did not: its value says when. */
  static final String FORGOTTEN_TAG = "llmobs.not_closed";
  /** How many current spans one thread keeps; deeper chains are spans left open, and the oldest are forgotten. */
  static final int MAX_CHAIN = 1024;
  /** How many traces a thread remembers finishing between two of its flushes. */
  private static final int MAX_REMEMBERED_TRACES = 16;

  final Clock clock;
  /** The settings a span needs: capture input and output, the default ml_app, the sample rate of new traces. */
  final boolean captureIo;
  final String mlApp;
  final double sampleRate;
  private final int maxBufferedSpans, maxOpenSpans;
  private final long maxRetainedBytes;

  private final ThreadLocal<Frame> current = new ThreadLocal<>();
  /** Traces whose root finished on this thread since its last flush: what that flush must see delivered. */
  private final ThreadLocal<ArrayList<String>> finishedHere = new ThreadLocal<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private final LinkedHashMap<Trace, Buffer> traces = new LinkedHashMap<>(); // open traces, oldest first
  private int openSpans;
  private final ArrayDeque<FinishedSpan> ready = new ArrayDeque<>();
  private final ArrayDeque<Evaluation> evaluations = new ArrayDeque<>();
  private long readyBytes;
  private int droppedSpans, droppedEvaluations, notClosed;

  Recorder(Config config, Clock clock) {
    this.clock = clock;
    this.captureIo = config.captureIo;
    this.mlApp = config.mlApp;
    this.sampleRate = config.sampleRate;
    this.maxBufferedSpans = config.maxBufferedSpans;
    this.maxOpenSpans = config.maxOpenSpans;
    this.maxRetainedBytes = config.maxRetainedBytes;
  }

  // ---- the current span of each thread ------------------------------------------------------------------------

  /** The innermost unfinished span made current on this thread, or null. */
  Span current() {
    Frame top = current.get(), f = unfinished(top);
    if (f != top) current.set(f); // spans finished elsewhere (another thread, out of order) leave the chain
    return f == null ? null : f.span;
  }

  private static Frame unfinished(Frame f) {
    while (f != null && f.span.isFinished()) f = f.below;
    return f;
  }

  /** Makes {@code span} current on this thread until it finishes. */
  void push(Span span) {
    Frame below = unfinished(current.get());
    if (below != null && below.depth >= MAX_CHAIN) below = trim(below);
    current.set(new Frame(span, below));
  }

  /** Keeps the newest half of a chain that grew too deep: the rest are spans left open on this thread. */
  private static Frame trim(Frame top) {
    List<Span> keep = new ArrayList<>(MAX_CHAIN / 2);
    int forgotten = 0;
    for (Frame f = top; f != null; f = f.below) {
      if (f.span.isFinished()) continue;
      if (keep.size() < MAX_CHAIN / 2) keep.add(f.span);
      else forgotten++;
    }
    Frame out = null;
    for (int i = keep.size() - 1; i >= 0; i--) out = new Frame(keep.get(i), out);
    Usage.rejected("deep-chain", forgotten + " spans stayed current on one thread without finishing: the oldest no"
        + " longer parent new spans (close every span, or use the functional form)");
    return out;
  }

  /** What this thread's current span is now, for {@link #restore} or {@link #reset}. */
  Object mark() {
    return current.get();
  }

  /** Makes {@code span} (or none) alone current on this thread, for work carried here; returns the mark before. */
  Object swap(Span span) {
    Frame before = current.get();
    current.set(span == null ? null : new Frame(span, null));
    return before;
  }

  /** Puts back what {@link #mark} or {@link #swap} returned. */
  void reset(Object mark) {
    current.set((Frame) mark);
  }

  /**
   * Ends an invocation on this thread: the spans it left open (those made current here since {@code mark}, and those
   * of {@code root}'s trace but the root) are finished as not closed by the user, and the thread's current span is
   * what it was at {@code mark}. Returns how many were finished.
   */
  int restore(Object mark, Span root) {
    List<Span> left = new ArrayList<>();
    for (Frame f = current.get(); f != null && f != mark; f = f.below) {
      if (f.span != root && !f.span.isFinished()) left.add(f.span);
    }
    Trace trace = root == null ? null : root.trace();
    synchronized (lock) {
      Buffer b = trace == null ? null : bufferOf(root, trace);
      if (b != null) {
        for (int i = b.open.size() - 1; i >= 0; i--) {
          Span s = b.open.get(i);
          if (s != root && !left.contains(s)) left.add(s);
        }
      }
    }
    current.set((Frame) mark);
    return finishForgotten(left, "invocation_end");
  }

  private int finishForgotten(List<Span> spans, String why) {
    int n = 0;
    for (Span s : spans) if (s.finishForgotten(why)) n++;
    if (n > 0) {
      synchronized (lock) {
        notClosed += n;
      }
      Usage.report("not-closed", n + " span(s) were still open " + (why.equals("invocation_end")
          ? "when the invocation ended" : "beyond LLMOBS_MAX_OPEN_SPANS") + ": finished and sent, tagged "
          + FORGOTTEN_TAG + ":" + why + " (close every span, or use the functional form)");
    }
    return n;
  }

  // ---- open and finished spans --------------------------------------------------------------------------------

  /** A kept span started: it counts as open until it finishes. The oldest open spans go beyond the bound. */
  void started(Span span) {
    Trace t = span.trace();
    if (!t.sampled) return; // sampled out: nothing of it is kept
    List<Span> victims = null;
    synchronized (lock) {
      open(span, t);
      while (openSpans > maxOpenSpans) {
        Span oldest = oldestOpen();
        if (victims == null) victims = new ArrayList<>(2);
        victims.add(oldest);
        close(oldest, oldest.trace());
      }
    }
    if (victims != null) finishForgotten(victims, "open_span_limit");
  }

  /** A span moved to another trace ({@code parent(...)} before it had children). */
  void moved(Span span, Trace from) {
    synchronized (lock) {
      if (from.sampled) close(span, from);
      if (span.trace().sampled) open(span, span.trace());
    }
  }

  // Guarded by lock.
  private void open(Span span, Trace t) {
    Buffer b = traces.get(t);
    if (b == null) {
      traces.put(t, b = new Buffer(t));
      if (!span.isLocalRoot()) b.finished = null; // a late child: its root already finished
    }
    b.open.add(span);
    span.buffer(b);
    openSpans++;
  }

  /** The buffer of {@code span}'s trace {@code t}, or null. Guarded by lock. */
  private Buffer bufferOf(Span span, Trace t) {
    Buffer b = span.buffer();
    return b != null && !b.gone && b.trace == t ? b : traces.get(t);
  }

  // Guarded by lock. Removes an open span from its buffer; returns the buffer, or null.
  private Buffer close(Span span, Trace t) {
    return closeIn(bufferOf(span, t), span);
  }

  // Guarded by lock.
  private Buffer closeIn(Buffer b, Span span) {
    if (b == null) return null;
    for (int i = b.open.size() - 1; i >= 0; i--) {
      if (b.open.get(i) == span) {
        b.open.remove(i);
        openSpans--;
        break;
      }
    }
    if (b.open.isEmpty() && b.finished == null) {
      traces.remove(b.trace);
      b.gone = true;
    }
    return b;
  }

  // Guarded by lock.
  private Span oldestOpen() {
    Iterator<Buffer> it = traces.values().iterator();
    while (it.hasNext()) {
      Buffer b = it.next();
      if (!b.open.isEmpty()) return b.open.get(0);
    }
    throw new IllegalStateException("open span count without open spans");
  }

  /** A span finished: off its thread's chain, into its trace's buffer, and with its root into the ready queue. */
  void finished(Span span) {
    Frame top = current.get();
    if (top != null && top.span == span) current.set(unfinished(top.below));
    Trace t = span.trace();
    if (!t.sampled) return; // sampled out: never buffered, never sent
    boolean isRoot = span.isLocalRoot();
    List<Span> done;
    synchronized (lock) {
      Buffer b = bufferOf(span, t);
      if (b == null || b.finished == null) {
        done = List.of(span); // its root finished earlier: it goes alone
      } else if (isRoot) {
        done = b.finished;
        done.add(span);
        b.finished = null;
      } else {
        if (b.finished.size() >= maxBufferedSpans) {
          b.finished.remove(0); // oldest first
          droppedSpans++;
        }
        b.finished.add(span);
        done = null;
      }
      closeIn(b, span);
    }
    if (done == null) return;
    List<FinishedSpan> frozen = new ArrayList<>(done.size());
    for (Span s : done) frozen.add(s.freeze());
    if (isRoot) rememberFinishedHere(t.hexId);
    synchronized (lock) {
      for (FinishedSpan s : frozen) {
        ready.addLast(s);
        readyBytes += s.approxBytes;
        // Bounded in spans and in bytes; the oldest go first (the root of a trace finishes last).
        while (ready.size() > maxBufferedSpans || (readyBytes > maxRetainedBytes && ready.size() > 1)) {
          readyBytes -= ready.pollFirst().approxBytes;
          droppedSpans++;
        }
      }
    }
  }

  /** Spans open now; for tests and the soak benchmark. */
  int openSpans() {
    synchronized (lock) {
      return openSpans;
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

  // ---- evaluations and the hand-over to export ----------------------------------------------------------------

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
    String app = e.mlApp != null ? Config.normalizeMlApp(e.mlApp)
        : e.span != null && e.span.mlApp() != null ? e.span.mlApp() : mlApp;
    long ts = e.timestampMs != null ? e.timestampMs : clock.epochNanos() / 1_000_000L;
    Evaluation resolved = e.mlApp(app).timestampMillis(ts);
    synchronized (lock) {
      if (evaluations.size() >= maxBufferedSpans) {
        evaluations.pollFirst();
        droppedEvaluations++;
      }
      evaluations.addLast(resolved);
    }
  }

  /** What a flush takes: everything queued, and what was lost since the last one. */
  static final class Drained {
    final List<FinishedSpan> spans;
    final List<Evaluation> evaluations;
    final int droppedSpans, droppedEvaluations;
    /** Spans their users left open that the SDK finished since the last flush. */
    final int notClosed;

    Drained(List<FinishedSpan> spans, List<Evaluation> evaluations, int droppedSpans, int droppedEvaluations,
        int notClosed) {
      this.spans = spans;
      this.evaluations = evaluations;
      this.droppedSpans = droppedSpans;
      this.droppedEvaluations = droppedEvaluations;
      this.notClosed = notClosed;
    }
  }

  Drained drain() {
    synchronized (lock) {
      Drained d = new Drained(new ArrayList<>(ready), new ArrayList<>(evaluations), droppedSpans, droppedEvaluations,
          notClosed);
      ready.clear();
      evaluations.clear();
      readyBytes = 0;
      droppedSpans = droppedEvaluations = notClosed = 0;
      if (Log.isDebug() && openSpans > 0) Log.debug(openSpans + " span(s) open in " + traces.size() + " trace(s)");
      return d;
    }
  }
}
