package dev.llmobs.export;

import dev.llmobs.Evaluation;
import dev.llmobs.FinishedSpan;
import dev.llmobs.export.datadog.EvaluationEncoder;
import dev.llmobs.export.datadog.SpanEncoder;
import dev.llmobs.export.http.HttpPoster;
import dev.llmobs.export.otlp.OtlpEncoder;
import dev.llmobs.internal.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The export half of the data path: hands each flush's finished spans and evaluations to every configured
 * {@link Destination} (Datadog, OTLP, or both), each with its own encoding, kept events and accounting, within one
 * deadline. Runs on the flushing thread; never throws.
 *
 * <p>It also knows which traces a flush is carrying, so that an invocation whose trace another thread's flush took
 * can wait for that flush to end ({@link #awaitTrace}) instead of returning before its spans left.
 */
public final class Exporter {
  private final List<Destination> destinations;

  private final Object lock = new Object();
  private final Map<String, Integer> inFlight = new HashMap<>(); // guarded by lock: trace id -> flushes carrying it

  Exporter(List<Destination> destinations) {
    this.destinations = destinations;
  }

  /** The exporter for the configured destinations: the Datadog route, OTLP, or both. */
  public static Exporter create(Config config, String tracerVersion) {
    List<Destination> out = new ArrayList<>(2);
    String userAgent = "llmobs-lambda/" + tracerVersion;
    switch (config.datadog.route) {
      case AGENTLESS:
      case AGENT:
        HttpPoster poster = new HttpPoster(userAgent);
        Sink sink = config.datadog.discover ? new DiscoveringSink(config, poster) : HttpSink.datadog(config, poster);
        out.add(new Destination("datadog", config, sink, new SpanEncoder(config, tracerVersion)));
        break;
      case FILE:
        out.add(new Destination("datadog", config, StreamSink.file(config.datadog.exportFile), new SpanEncoder(config, tracerVersion)));
        break;
      case STDOUT:
        out.add(new Destination("datadog", config, StreamSink.stdout(), new SpanEncoder(config, tracerVersion)));
        break;
      default: // NONE: OTLP only
    }
    if (config.otlp != null && config.otlp.datadogIntake) {
      OtlpEncoder otlp = new OtlpEncoder(config, tracerVersion);
      EvaluationEncoder evaluations = new EvaluationEncoder(tracerVersion, true);
      Encoder both = new Encoder() { // spans in OTLP, evaluations in Datadog's shape for OpenTelemetry spans
        @Override public void span(FinishedSpan span, dev.llmobs.internal.json.JsonWriter w, boolean dropIo) {
          otlp.span(span, w, dropIo);
        }

        @Override public byte[] evaluation(Evaluation evaluation) {
          return evaluations.encode(evaluation);
        }
      };
      out.add(new Destination("datadog-otlp", config, HttpSink.datadogOtlp(config, otlp, new HttpPoster(userAgent)), both));
    } else if (config.otlp != null) {
      OtlpEncoder otlp = new OtlpEncoder(config, tracerVersion);
      out.add(new Destination("otlp", config, HttpSink.otlp(config, otlp, new HttpPoster(userAgent)), otlp));
    }
    return new Exporter(out);
  }

  /** At Init: each destination encodes {@code sample} (discarded) and readies its sink, before {@code deadlineNanos}. */
  public void prepare(FinishedSpan sample, long deadlineNanos) {
    for (Destination d : destinations) d.prepare(sample, deadlineNanos);
  }

  /** Releases pooled connections (before a SnapStart snapshot, or when the configuration is replaced). */
  public void closeIdle() {
    long until = System.nanoTime() + HttpSink.MIN_ATTEMPT_NANOS * 10;
    for (Destination d : destinations) {
      d.settleNow(until);
      d.sink.closeIdle();
    }
  }

  /**
   * Sends {@code spans}, {@code evaluations} and whatever earlier flushes kept to every destination, before
   * {@code deadlineNanos}: each gets an equal share of the time left when its turn comes, so a destination that
   * hangs cannot starve the next. Returns a report per destination, in configuration order.
   */
  public List<Report> export(List<FinishedSpan> spans, List<Evaluation> evaluations, int spansDropped,
      int evaluationsDropped, long deadlineNanos) {
    Set<String> traces = new LinkedHashSet<>();
    for (FinishedSpan s : spans) traces.add(s.traceId());
    for (Destination d : destinations) d.keptTraces(traces);
    synchronized (lock) {
      for (String t : traces) {
        Integer n = inFlight.get(t);
        inFlight.put(t, n == null ? 1 : n + 1);
      }
    }
    try {
      List<Report> results = new ArrayList<>(destinations.size());
      for (int i = 0; i < destinations.size(); i++) {
        long left = deadlineNanos - System.nanoTime();
        long share = left <= 0 ? 0 : left / (destinations.size() - i);
        results.add(destinations.get(i).export(spans, evaluations, spansDropped, evaluationsDropped,
            System.nanoTime() + share));
      }
      return results;
    } finally {
      synchronized (lock) {
        for (String t : traces) {
          int n = inFlight.get(t) - 1;
          if (n == 0) inFlight.remove(t);
          else inFlight.put(t, n);
        }
        lock.notifyAll();
      }
    }
  }

  /** What {@link #awaitTrace} found. */
  public enum Wait {
    /** No flush was carrying the trace. */
    NOT_CARRIED,
    /** Another flush was carrying it, and has ended. */
    ENDED,
    /** Another flush still carries it: the deadline came first. */
    TIMED_OUT
  }

  /** Waits while another thread's flush carries {@code traceId}, until {@code deadlineNanos}. */
  public Wait awaitTrace(String traceId, long deadlineNanos) {
    synchronized (lock) {
      if (!inFlight.containsKey(traceId)) return Wait.NOT_CARRIED;
      while (inFlight.containsKey(traceId)) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return Wait.TIMED_OUT;
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Wait.TIMED_OUT;
        }
      }
      return Wait.ENDED;
    }
  }

  /** Whether any destination keeps events for a next flush. */
  public boolean hasKept() {
    for (Destination d : destinations) if (d.hasKept()) return true;
    return false;
  }

  /** Whether events of {@code traceId} wait for a next flush at any destination. */
  public boolean keeps(String traceId) {
    Set<String> kept = new LinkedHashSet<>();
    for (Destination d : destinations) d.keptTraces(kept);
    return kept.contains(traceId);
  }
}
