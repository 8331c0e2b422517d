package dev.llmobs;

import dev.llmobs.export.Exporter;
import dev.llmobs.internal.Clock;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.Ids;
import dev.llmobs.internal.Integrations;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Version;
import java.util.List;

/**
 * One configuration at work: the {@link Recorder} that turns calls into frozen spans, and the {@link Exporter}
 * that sends them, joined by {@link #flush}. One straight path: span finishes → its trace's buffer → (root
 * finished) frozen into {@link FinishedSpan}s → ready queue → flush encodes once → sink sends, on the caller's
 * thread.
 */
final class Tracer {
  final Config config;
  final Clock clock;
  final Recorder recorder;
  final Exporter exporter;
  /** The span processor, or null; per configuration. */
  volatile SpanProcessor processor;

  Tracer(Config config, Clock clock, Exporter exporter) {
    this.config = config;
    this.clock = clock;
    this.recorder = new Recorder(config, clock);
    this.exporter = exporter;
  }

  /**
   * A tracer for {@code config}, installing its process-wide settings afresh (log level, the secret the log must
   * never print, id mode, integration switches, the warn-once memory), so that nothing of a previous configuration
   * survives.
   */
  static Tracer create(Config config, Clock clock) {
    Log.configure(config.logLevel, config.secrets());
    Ids.useSecureRandom(config.snapStart);
    Integrations.bedrock = config.enabled && config.bedrockEnabled;
    Integrations.langchain4j = config.enabled && config.langchain4jEnabled;
    Usage.reset();
    if (config.enabled) {
      Log.info("llmobs-lambda " + Version.get() + ": ml_app " + config.mlApp + ", spans go to " + config.describeRoute());
    }
    return new Tracer(config, clock, Exporter.create(config, Version.get()));
  }

  /**
   * Runs the processor over {@code in} while the budget lasts, into {@code out}; spans it had no time for go back to
   * the recorder, unprocessed, for the next flush. Returns how many the processor dropped.
   */
  private int process(SpanProcessor p, List<FinishedSpan> in, List<FinishedSpan> out, long deadline) {
    int dropped = 0;
    for (int i = 0; i < in.size(); i++) {
      if (deadline - System.nanoTime() <= 0) {
        recorder.requeue(in.subList(i, in.size()));
        break;
      }
      FinishedSpan s = in.get(i), result;
      try {
        result = p.process(s);
      } catch (Throwable t) {
        dev.llmobs.internal.Throwables.propagateIfFatal(t);
        Usage.report("processor", "the span processor threw " + t + " on span '" + s.name() + "': the span is sent as it was");
        result = s;
      }
      if (result == null) dropped++;
      else out.add(result);
    }
    if (dropped > 0) Log.debug("the span processor dropped " + dropped + " span(s)");
    return dropped;
  }

  RealSpan start(SpanKind kind, String name, RealSpan parent, SpanContext remote, boolean makeCurrent) {
    return recorder.start(this, kind, name, parent, remote, makeCurrent);
  }

  /**
   * Sends every finished trace and evaluation within {@code budgetNanos}. When another thread's flush is carrying
   * a trace whose root finished on this thread, waits for that flush to end (within the budget), and sends again
   * what it handed back. Never throws.
   */
  FlushResult flush(long budgetNanos) {
    long start = System.nanoTime();
    long deadline = start + Math.max(0, budgetNanos);
    List<String> mine = recorder.takeFinishedHere();
    Recorder.Drained d = recorder.drain();
    long refused = Usage.takeRejected();
    FlushResult r = FlushResult.EMPTY;
    List<FinishedSpan> spans = d.spans;
    int dropped = d.droppedSpans;
    SpanProcessor p = processor;
    if (p != null && !spans.isEmpty()) {
      List<FinishedSpan> processed = new java.util.ArrayList<>(spans.size());
      dropped += process(p, spans, processed, deadline);
      spans = processed;
    }
    if (!d.isEmpty() || refused > 0 || exporter.hasKept()) {
      r = exporter.export(spans, d.evaluations, dropped, d.droppedEvaluations, refused, deadline);
    }
    for (String trace : mine) {
      Exporter.Wait w = exporter.awaitTrace(trace, deadline);
      if (w == Exporter.Wait.TIMED_OUT) break;
      // The other flush handed this trace back (the intake did not take it): our budget may still send it.
      if (w == Exporter.Wait.ENDED && exporter.keeps(trace) && deadline - System.nanoTime() > 0) {
        r = r.plus(exporter.export(List.of(), List.of(), 0, 0, 0, deadline));
      }
    }
    return r;
  }
}
