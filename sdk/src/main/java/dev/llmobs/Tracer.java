package dev.llmobs;

import dev.llmobs.export.Exporter;
import dev.llmobs.export.Report;
import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.Ids;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Preload;
import dev.llmobs.internal.TracerHandle;
import dev.llmobs.internal.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One configuration at work: the {@link Recorder} that turns calls into frozen spans, the span processor's stage,
 * and the {@link Exporter} that sends them, joined by {@link #flush}; and the handle the integrations reach it by.
 * One straight path: span finishes → its trace's buffer → (root finished) frozen into {@link FinishedSpan}s → ready
 * queue → flush: processed, encoded once, sent, on the caller's thread.
 */
final class Tracer extends TracerHandle {
  /** Time kept for sending after the processor ran, at least: one request on loopback. */
  private static final long MIN_SEND_RESERVE = TimeUnit.MILLISECONDS.toNanos(5);

  final Config config;
  final Clock clock;
  final Recorder recorder;
  final Exporter exporter;
  /** What the annotation contexts open on this thread apply, or null. */
  final ThreadLocal<Annotations> annotations = new ThreadLocal<>();
  private final PendingCalls calls = new PendingCalls();
  /** The span processor's stage, or null; per configuration. */
  private volatile Processing processing;
  private volatile long lastSendNanos;

  private Tracer(Config config, Clock clock, Exporter exporter) {
    this.config = config;
    this.clock = clock;
    this.recorder = new Recorder(config, clock);
    this.exporter = exporter;
  }

  /**
   * A tracer for {@code config}, installing its process-wide settings afresh (log level, the secret the log must
   * never print, id mode, the warn-once memory), so that nothing of a previous configuration survives.
   */
  static Tracer create(Config config, Clock clock) {
    Log.configure(config.logLevel, config.secrets());
    Ids.useSecureRandom(config.snapStart);
    Usage.reset();
    if (config.enabled) {
      Log.info("llmobs-lambda " + Version.get() + ": ml_app " + config.mlApp + ", spans go to " + config.describeRoute());
    }
    return new Tracer(config, clock, Exporter.create(config, Version.get()));
  }

  /** Replaces the span processor (null removes it); spans the old one had not processed are dropped, and said. */
  void processor(SpanProcessor p) {
    Processing old = processing;
    processing = p == null ? null : new Processing(p, config.maxBufferedSpans);
    int lost = old == null ? 0 : old.discard();
    if (lost > 0) Log.warn("the span processor was replaced: " + lost + " spans it had not processed are dropped");
  }

  /**
   * Sends every finished trace and evaluation within {@code budgetNanos}, the span processor's work included. When
   * another thread's flush is carrying a trace whose root finished on this thread, waits for that flush to end
   * (within the budget), and sends again what it handed back. Never throws.
   */
  FlushResult flush(long budgetNanos) {
    long start = System.nanoTime(), deadline = start + Math.max(0, budgetNanos);
    List<String> mine = recorder.takeFinishedHere();
    Recorder.Drained d = recorder.drain();
    long refused = Usage.takeRejected();
    List<List<Report>> runs = new ArrayList<>(2);
    List<FinishedSpan> spans = d.spans;
    int dropped = d.droppedSpans, waiting = 0;
    Processing p = processing;
    if (p != null && (!spans.isEmpty() || p.hasWaiting())) {
      // What an earlier flush processed leaves before anything new is processed.
      if (exporter.hasKept()) runs.add(send(List.of(), List.of(), 0, 0, deadline));
      Processing.Run run = p.run(spans, deadline - sendReserve(deadline));
      spans = run.spans;
      dropped += run.dropped;
      waiting = run.waiting;
    }
    if (!spans.isEmpty() || !d.evaluations.isEmpty() || dropped > 0 || d.droppedEvaluations > 0 || refused > 0
        || waiting > 0 || exporter.hasKept()) {
      runs.add(send(spans, d.evaluations, dropped, d.droppedEvaluations, deadline));
    }
    for (String trace : mine) {
      Exporter.Wait w = exporter.awaitTrace(trace, deadline);
      if (w == Exporter.Wait.TIMED_OUT) break;
      // The other flush handed this trace back (the intake did not take it): our budget may still send it.
      if (w == Exporter.Wait.ENDED && exporter.keeps(trace) && deadline - System.nanoTime() > 0) {
        runs.add(send(List.of(), List.of(), 0, 0, deadline));
      }
    }
    FlushResult r = result(runs, waiting, System.nanoTime() - start);
    summarize(r, runs, refused, waiting, d.notClosed);
    return r;
  }

  private List<Report> send(List<FinishedSpan> spans, List<Evaluation> evaluations, int dropped, int droppedEvals,
      long deadline) {
    long t0 = System.nanoTime();
    List<Report> reports = exporter.export(spans, evaluations, dropped, droppedEvals, deadline);
    if (!spans.isEmpty()) lastSendNanos = System.nanoTime() - t0;
    return reports;
  }

  /** The time kept for sending what the processor gives: twice the last send, within [5 ms, half of what is left]. */
  private long sendReserve(long deadline) {
    long left = Math.max(0, deadline - System.nanoTime());
    return Math.min(left / 2, Math.max(MIN_SEND_RESERVE, 2 * lastSendNanos));
  }

  /**
   * One flush: the reports of each export it ran (a list per run, a report per destination), and the spans that
   * wait for the span processor, kept at every destination. Sent, dropped and unconfirmed add up over the runs; what
   * is kept is what the last run left.
   */
  private static FlushResult result(List<List<Report>> runs, int waiting, long durationNanos) {
    if (runs.isEmpty()) return FlushResult.EMPTY;
    int n = runs.get(0).size();
    if (n == 0) return FlushResult.EMPTY;
    List<FlushResult> each = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int[] c = new int[Report.COUNTS];
      long took = 0;
      for (List<Report> run : runs) {
        Report r = run.get(i);
        for (int k = 0; k < Report.COUNTS; k++) c[k] += r.count(k);
        took += r.durationNanos;
      }
      Report last = runs.get(runs.size() - 1).get(i); // what is kept is what the last run left
      c[Report.SPANS_KEPT] = last.count(Report.SPANS_KEPT) + waiting;
      c[Report.EVALUATIONS_KEPT] = last.count(Report.EVALUATIONS_KEPT);
      each.add(new FlushResult(c[Report.SPANS_SENT], c[Report.EVALUATIONS_SENT], c[Report.SPANS_KEPT],
          c[Report.EVALUATIONS_KEPT], c[Report.SPANS_DROPPED], c[Report.EVALUATIONS_DROPPED],
          c[Report.SPANS_UNCONFIRMED], c[Report.EVALUATIONS_UNCONFIRMED], c[Report.SPANS_TRUNCATED],
          c[Report.SPANS_IN_FLIGHT], n == 1 ? durationNanos : took, last.destination, null));
    }
    if (n == 1) return each.get(0);
    // Several destinations: the counts a caller reads first add up every destination's (a span counts once for each),
    // so that a collector that refuses beside a healthy Datadog route shows in spansKept, not only in destinations().
    int[] t = new int[10];
    StringBuilder names = new StringBuilder();
    for (FlushResult f : each) {
      int[] c = {f.spansSent(), f.evaluationsSent(), f.spansKept(), f.evaluationsKept(), f.spansDropped(),
          f.evaluationsDropped(), f.spansUnconfirmed(), f.evaluationsUnconfirmed(), f.spansTruncated(), f.spansInFlight()};
      for (int k = 0; k < t.length; k++) t[k] += c[k];
      names.append(names.length() == 0 ? "" : "+").append(f.destination());
    }
    return new FlushResult(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], durationNanos, names.toString(),
        List.copyOf(each));
  }

  /** One line per destination and flush, built only when it is printed. */
  private static void summarize(FlushResult r, List<List<Report>> runs, long refused, int waiting, int notClosed) {
    boolean notable = refused > 0 || waiting > 0 || notClosed > 0;
    for (List<Report> run : runs) for (Report x : run) notable |= x.notable;
    if (!notable && !Log.isDebug()) return;
    for (FlushResult each : r.destinations()) {
      String line = "flush to " + each.destination() + ": " + each
          + (refused > 0 ? "; " + refused + " annotations refused (see earlier lines)" : "")
          + (waiting > 0 ? "; " + waiting + " spans wait for the span processor" : "")
          + (notClosed > 0 ? "; " + notClosed + " spans left open were finished by the SDK" : "");
      if (notable) Log.info(line);
      else Log.debug(line);
    }
  }

  // ---- the handle the integrations reach the tracer by ---------------------------------------------------------

  @Override public Object enterSpan(Object span) {
    if (!(span instanceof Recorder.Span)) return null;
    Object mark = recorder.mark();
    recorder.push((Recorder.Span) span);
    return new Object[] {mark};
  }

  @Override public void exitSpan(Object mark) {
    if (mark instanceof Object[]) recorder.reset(((Object[]) mark)[0]);
  }

  @Override public String mlApp() {
    return config.mlApp;
  }

  @Override public boolean captureIo() {
    return config.captureIo;
  }

  @Override public boolean bedrock() {
    return config.enabled && config.bedrockEnabled;
  }

  @Override public boolean langchain4j() {
    return config.enabled && config.langchain4jEnabled;
  }

  @Override public void reportTimes(Object span, long startEpochNanos, long durationNanos) {
    if (span instanceof RealSpan) ((RealSpan) span).reportTimes(startEpochNanos, durationNanos);
  }

  @Override public void markEnd(Object span) {
    if (span instanceof RealSpan) ((RealSpan) span).markEnd();
  }

  @Override public void callOpened(Object call, String traceId, boolean awaited, Runnable forceEnd) {
    calls.opened(call, traceId, awaited, forceEnd);
  }

  @Override public void callEnded(Object call) {
    calls.ended(call);
  }

  @Override public int endCalls(String traceId, long deadlineNanos) {
    return calls.endTrace(traceId, deadlineNanos);
  }

  @Override public Object enterInvocation() {
    return recorder.mark();
  }

  @Override public void endInvocation(Object mark, Object root, long waitDeadlineNanos) {
    RealSpan r = root instanceof RealSpan && ((RealSpan) root).recorder == recorder ? (RealSpan) root : null;
    if (r != null) endCalls(r.trace().hexId, waitDeadlineNanos);
    recorder.restore(mark, r);
  }

  @Override public void prepare(long deadlineNanos) {
    if (!config.enabled) return;
    // A span as a flush would see it, for the encoders' first use; never queued, never sent.
    FinishedSpan sample = new FinishedSpan(SpanKind.LLM, "prepare", Ids.traceIdHex(1, 1), 1, 0, 0, 0, "m", "p", null,
        config.mlApp, "in", "out", null, null, 0, null, null, 0, null, null, null, 0, 1.0, null, null);
    exporter.prepare(sample, deadlineNanos);
    Preload.classes(Tracer.class, deadlineNanos, FIRST_USE);
  }

  /** The classes a function's first span and first flush load beyond what {@link #prepare} touches (Datadog route). */
  static final String[] FIRST_USE = {
      "dev.llmobs.SpanBuilder", "dev.llmobs.Trace", "dev.llmobs.TagsAndMetrics", "dev.llmobs.Recorder$Buffer",
      "dev.llmobs.Recorder$Frame", "dev.llmobs.TagKeys", "dev.llmobs.IoValues", "dev.llmobs.Message",
      "dev.llmobs.internal.json.JsonWriter$Raw", "dev.llmobs.FinishedSpan$JsonText", "dev.llmobs.Recorder$Drained",
      "dev.llmobs.export.Breaker$Verdict", "dev.llmobs.export.Destination$Settled",
      "dev.llmobs.export.Destination$Encoded", "dev.llmobs.export.datadog.DatadogJson",
      "dev.llmobs.export.Destination$Event", "dev.llmobs.export.Sink$Outcome", "dev.llmobs.export.Report",
      "dev.llmobs.export.Exporter$Wait", "dev.llmobs.FlushResult"};

  @Override public void beforeCheckpoint() {
    exporter.closeIdle();
  }

  @Override public void afterRestore() {
    Ids.reseed();
    exporter.closeIdle();
  }
}
