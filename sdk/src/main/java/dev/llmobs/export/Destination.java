package dev.llmobs.export;

import dev.llmobs.Evaluation;
import dev.llmobs.FinishedSpan;
import dev.llmobs.SpanContext;
import dev.llmobs.internal.Config;
import dev.llmobs.internal.Log;
import dev.llmobs.internal.Throwables;
import dev.llmobs.internal.json.JsonWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One destination of the export: its sink (the Datadog intake or agent, stdout, a file, an OTLP endpoint) and its
 * encoding. Encodes each finished span once for it, applies the size limits, hands the events to the sink, keeps
 * what the destination provably does not have for its next flush, counts everything else, and writes one summary
 * line per flush. Runs on the flushing thread; never throws.
 */
final class Destination {
  final String name;
  private final Config config;
  final Sink sink;
  private final Encoder encoder;
  private final Breaker breaker;

  private final Object lock = new Object();
  /** The span encoder's buffer, kept for the next flush unless a large span grew it: no new array each flush. */
  private final java.util.concurrent.atomic.AtomicReference<JsonWriter> spareWriter =
      new java.util.concurrent.atomic.AtomicReference<>();
  // Guarded by lock.
  private final ArrayDeque<Event> keptSpans = new ArrayDeque<>();
  private final ArrayDeque<Event> keptEvaluations = new ArrayDeque<>();
  /** Spans a flush had no time left to encode: they go first at the next flush. */
  private final ArrayDeque<FinishedSpan> unencodedSpans = new ArrayDeque<>();
  /** Batches written whose answer was left for a later flush ({@code LLMOBS_FLUSH_ACK=next}). */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private long keptBytes;

  Destination(String name, Config config, Sink sink, Encoder encoder) {
    this.name = name;
    this.config = config;
    this.sink = sink;
    this.encoder = encoder;
    this.breaker = new Breaker(name);
  }

  /** At Init: the encoder's classes loaded by encoding {@code sample} (discarded), the sink readied. Never throws. */
  void prepare(FinishedSpan sample, long deadlineNanos) {
    try {
      encoder.span(sample, new JsonWriter(1024), false);
      sink.prepare(deadlineNanos);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.debug("could not prepare " + name + " at init: " + t);
    }
  }

  /** A batch written, its answer not read yet. */
  private static final class InFlight {
    final List<Event> events;
    final Object ticket;

    InFlight(List<Event> events, Object ticket) {
      this.events = events;
      this.ticket = ticket;
    }
  }

  /** What reading the answers left behind gave: counts for this flush's report. */
  private static final class Settled {
    int sent, dropped, unconfirmed;
  }

  /**
   * Reads the answers earlier flushes left behind, within a sixteenth of what is left (they are normally there
   * already): accepted ones count as sent now, refused as dropped, those not taken are kept again in front, and
   * one with no answer in time is unconfirmed. With too little time left they wait for a later flush.
   */
  private Settled settle(long deadlineNanos) {
    Settled out = new Settled();
    long now = System.nanoTime();
    if (deadlineNanos - now < HttpSink.MIN_ATTEMPT_NANOS) return out;
    List<InFlight> batches;
    synchronized (lock) {
      if (inFlight.isEmpty()) return out;
      batches = new ArrayList<>(inFlight);
      inFlight.clear();
    }
    long until = Math.max(Breaker.probeDeadline(now, deadlineNanos), now + HttpSink.MIN_ATTEMPT_NANOS);
    for (InFlight f : batches) {
      List<byte[]> bytes = bytesOf(f.events);
      Sink.Outcome o;
      try {
        o = sink.settle(f.ticket, bytes, Math.min(until, deadlineNanos));
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
        o = new Sink.Outcome(0, List.of(), 0, bytes.size(), true);
      }
      out.sent += o.sent;
      out.dropped += o.dropped;
      out.unconfirmed += o.unconfirmed;
      if (!o.retry.isEmpty()) keep(o.retry, f.events, List.of(), List.of(), false);
      breaker.record(o.sick, System.nanoTime());
    }
    return out;
  }

  /** An encoded event and the trace it belongs to (null for evaluations). */
  private static final class Event {
    final byte[] bytes;
    final String traceId;

    Event(byte[] bytes, String traceId) {
      this.bytes = bytes;
      this.traceId = traceId;
    }
  }

  /** The traces whose events wait here for a next flush. */
  void keptTraces(Set<String> out) {
    synchronized (lock) {
      for (Event e : keptSpans) out.add(e.traceId);
      for (FinishedSpan s : unencodedSpans) out.add(s.traceId());
    }
  }

  /**
   * Sends {@code spans}, {@code evaluations} and whatever earlier flushes kept, before {@code deadlineNanos}. The
   * counts of what was already lost on the way ({@code spansDropped}, {@code evaluationsDropped}) join this report.
   * While the destination is known to be sick, its events are kept and only a probe is sent ({@link Breaker}).
   */
  Report export(List<FinishedSpan> spans, List<Evaluation> evaluations, int spansDropped, int evaluationsDropped,
      long deadlineNanos) {
    long start = System.nanoTime();
    boolean anything = !spans.isEmpty() || !evaluations.isEmpty() || hasKept();
    Breaker.Verdict verdict = anything ? breaker.verdict(start) : Breaker.Verdict.SEND;
    if (verdict == Breaker.Verdict.PROBE && !sink.answers(Breaker.probeDeadline(start, deadlineNanos))) {
      verdict = Breaker.Verdict.SKIP;
    }
    List<Event> spanEvents = new ArrayList<>(spans.size()), evalEvents = new ArrayList<>(evaluations.size());
    if (verdict == Breaker.Verdict.SKIP) { // what is kept stays where it is; the new events join it, and nothing is sent
      Encoded enc = encode(spans, evaluations, spanEvents, evalEvents, deadlineNanos);
      return finish(start, spansDropped + enc.dropped, evaluationsDropped + enc.droppedEvaluations, enc,
          keepAll(spanEvents), keepAll(evalEvents), spanEvents, evalEvents, true, new Settled());
    }
    Settled settled = settle(deadlineNanos); // before the kept events are taken: what was not taken joins them
    synchronized (lock) {
      spanEvents.addAll(0, keptSpans);
      keptSpans.clear();
      evalEvents.addAll(0, keptEvaluations);
      keptEvaluations.clear();
      keptBytes = 0;
      if (!unencodedSpans.isEmpty()) {
        List<FinishedSpan> all = new ArrayList<>(unencodedSpans.size() + spans.size());
        all.addAll(unencodedSpans);
        all.addAll(spans);
        unencodedSpans.clear();
        spans = all;
      }
    }
    Encoded enc = encode(spans, evaluations, spanEvents, evalEvents, deadlineNanos);
    Sink.Outcome so = send(Sink.Kind.SPANS, spanEvents, deadlineNanos, config.carryAnswers);
    if (!so.carried.isEmpty()) {
      List<Event> carried = eventsOf(so.carried, spanEvents);
      synchronized (lock) {
        inFlight.addLast(new InFlight(carried, so.ticket));
      }
    }
    Sink.Outcome eo = so.sick ? keepAll(evalEvents) : send(Sink.Kind.EVALUATIONS, evalEvents, deadlineNanos, false);
    if (so.sick || eo.sick) breaker.record(true, System.nanoTime());
    else if (so.sent + so.dropped + eo.sent + eo.dropped > 0) breaker.record(false, System.nanoTime());
    return finish(start, spansDropped + enc.dropped, evaluationsDropped + enc.droppedEvaluations, enc, so, eo,
        spanEvents, evalEvents, false, settled);
  }

  /**
   * Keeps what the destination provably does not have (behind what is kept already, when {@code behind}: the flush
   * left the kept events in place), and counts everything into this flush's report.
   */
  private Report finish(long start, int dropped, int droppedEvals, Encoded enc, Sink.Outcome so, Sink.Outcome eo,
      List<Event> spanEvents, List<Event> evalEvents, boolean behind, Settled settled) {
    int[] overflow = keep(so.retry, spanEvents, eo.retry, evalEvents, behind);
    List<FinishedSpan> unencoded = enc.unencoded;
    if (!unencoded.isEmpty()) {
      synchronized (lock) {
        for (int i = unencoded.size() - 1; i >= 0; i--) unencodedSpans.addFirst(unencoded.get(i));
        while (unencodedSpans.size() > config.maxBufferedSpans) {
          unencodedSpans.pollFirst();
          overflow[0]++;
        }
      }
    }
    dropped += so.dropped + overflow[0] + settled.dropped;
    droppedEvals += eo.dropped + overflow[1];
    int keptSpansNow = so.retry.size() + unencoded.size() - overflow[0], keptEvalsNow = eo.retry.size() - overflow[1];
    if (behind) { // the flush left what was kept in place: it is still this flush's to account for
      synchronized (lock) {
        keptSpansNow = keptSpans.size() + unencodedSpans.size();
        keptEvalsNow = keptEvaluations.size();
      }
    }
    int unconfirmed = so.unconfirmed + settled.unconfirmed;
    boolean notable = dropped > 0 || droppedEvals > 0 || enc.truncated > 0 || keptSpansNow > 0 || keptEvalsNow > 0
        || unconfirmed > 0 || eo.unconfirmed > 0;
    int[] c = new int[Report.COUNTS];
    c[Report.SPANS_SENT] = so.sent + settled.sent;
    c[Report.EVALUATIONS_SENT] = eo.sent;
    c[Report.SPANS_KEPT] = keptSpansNow;
    c[Report.EVALUATIONS_KEPT] = keptEvalsNow;
    c[Report.SPANS_DROPPED] = dropped;
    c[Report.EVALUATIONS_DROPPED] = droppedEvals;
    c[Report.SPANS_UNCONFIRMED] = unconfirmed;
    c[Report.EVALUATIONS_UNCONFIRMED] = eo.unconfirmed;
    c[Report.SPANS_TRUNCATED] = enc.truncated;
    c[Report.SPANS_IN_FLIGHT] = so.carried.size();
    return new Report(name, c, System.nanoTime() - start, notable);
  }

  /** What encoding a flush's new spans and evaluations gave, besides the events added to the lists. */
  private static final class Encoded {
    final List<FinishedSpan> unencoded = new ArrayList<>(); // no time left to encode them
    int dropped, droppedEvaluations, truncated;
  }

  /**
   * The latest spans sent by each of their tags ({@code key:value}), for an evaluation joined by tag to name its
   * span where the destination cannot join by tag itself (OTLP). Bounded: the oldest tags are forgotten.
   */
  private final Map<String, SpanContext> taggedSpans = new java.util.LinkedHashMap<>(64, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
      return size() > 1024;
    }
  };

  private void remember(List<FinishedSpan> spans) {
    synchronized (taggedSpans) {
      for (FinishedSpan s : spans) {
        for (int i = 0; i < s.tagCount(); i++) {
          taggedSpans.put(s.tagKey(i) + ":" + s.tagValue(i), SpanContext.of(s.traceId(), s.spanId()));
        }
      }
    }
  }

  /** Encodes each span once for this destination, applying the size limits, while the deadline allows. */
  private Encoded encode(List<FinishedSpan> spans, List<Evaluation> evaluations, List<Event> spanEvents,
      List<Event> evalEvents, long deadlineNanos) {
    Encoded out = new Encoded();
    int limit = Math.min(config.eventBytes, sink.maxSpanBytes());
    JsonWriter spare = spareWriter.getAndSet(null), w = spare != null ? spare : new JsonWriter(4096);
    for (FinishedSpan s : spans) {
      if (deadlineNanos - System.nanoTime() <= 0) { // out of time: later spans wait, unencoded
        out.unencoded.add(s);
        continue;
      }
      try {
        encoder.span(s, w, false);
        if (w.size() >= limit) {
          int before = w.size();
          encoder.span(s, w, true);
          if (w.size() >= limit) {
            out.dropped++;
            Log.warn("dropped span '" + s.name() + "': " + w.size() + " bytes even without its input and output");
            continue;
          }
          out.truncated++;
          Log.warn("span '" + s.name() + "' is " + before + " bytes, over the " + limit
              + "-byte event limit: its input and output were replaced by a marker");
        }
        spanEvents.add(new Event(w.toByteArray(), s.traceId()));
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
        out.dropped++;
        Log.warn("could not encode span '" + s.name() + "': " + t);
      }
    }
    if (w.capacity() <= 64 * 1024) spareWriter.set(w);
    if (encoder.resolvesTagJoins()) remember(spans);
    for (Evaluation e : evaluations) {
      try {
        if (e.joinTagKey() != null && e.joinedSpan() == null && encoder.resolvesTagJoins()) {
          SpanContext tagged;
          synchronized (taggedSpans) {
            tagged = taggedSpans.get(e.joinTagKey() + ":" + e.joinTagValue());
          }
          if (tagged != null) e = e.resolvedTo(tagged);
        }
        evalEvents.add(new Event(encoder.evaluation(e), null));
      } catch (Throwable t) {
        Throwables.propagateIfFatal(t);
        out.droppedEvaluations++;
        Log.warn("could not encode evaluation '" + e.label() + "': " + t);
      }
    }
    return out;
  }

  /** Hands every event back, untried: the destination is sick, or was for the spans just now. */
  private static Sink.Outcome keepAll(List<Event> events) {
    if (events.isEmpty()) return Sink.Outcome.NOTHING;
    return new Sink.Outcome(0, bytesOf(events), 0, 0, false);
  }

  private Sink.Outcome send(Sink.Kind kind, List<Event> events, long deadline, boolean carry) {
    if (events.isEmpty()) return Sink.Outcome.NOTHING;
    List<byte[]> bytes = bytesOf(events);
    try {
      return sink.send(kind, bytes, deadline, carry);
    } catch (Throwable t) {
      Throwables.propagateIfFatal(t);
      Log.warn("sink failed: " + t + "; " + events.size() + " events are counted as unconfirmed");
      return new Sink.Outcome(0, List.of(), 0, events.size(), false);
    }
  }

  /**
   * Keeps what the destination provably does not have, within the buffer's bounds, dropping the oldest first.
   * Returns how many spans and evaluations that dropped.
   */
  private int[] keep(List<byte[]> spanRetry, List<Event> spanEvents, List<byte[]> evalRetry, List<Event> evalEvents,
      boolean behind) {
    int[] overflow = new int[2];
    if (spanRetry.isEmpty() && evalRetry.isEmpty()) return overflow;
    List<Event> spans = eventsOf(spanRetry, spanEvents), evals = eventsOf(evalRetry, evalEvents);
    synchronized (lock) {
      if (behind) { // newer than everything kept
        for (Event e : spans) {
          keptSpans.addLast(e);
          keptBytes += e.bytes.length;
        }
        keptEvaluations.addAll(evals);
        evals = List.of();
        spans = List.of();
      }
      // Events kept now are older than anything kept since by a concurrent flush: put them in front.
      for (int i = spans.size() - 1; i >= 0; i--) {
        keptSpans.addFirst(spans.get(i));
        keptBytes += spans.get(i).bytes.length;
      }
      while (keptSpans.size() > config.maxBufferedSpans || keptBytes > config.maxRetainedBytes) {
        keptBytes -= keptSpans.pollFirst().bytes.length;
        overflow[0]++;
      }
      for (int i = evals.size() - 1; i >= 0; i--) keptEvaluations.addFirst(evals.get(i));
      while (keptEvaluations.size() > config.maxBufferedSpans) {
        keptEvaluations.pollFirst();
        overflow[1]++;
      }
    }
    if (overflow[0] + overflow[1] > 0) {
      Log.warn("retry buffer full: dropped the " + overflow[0] + " oldest spans and " + overflow[1]
          + " oldest evaluations that the intake never took");
    }
    return overflow;
  }

  /** The bytes of {@code events}, in order: what a sink is handed. */
  private static List<byte[]> bytesOf(List<Event> events) {
    List<byte[]> out = new ArrayList<>(events.size());
    for (Event e : events) out.add(e.bytes);
    return out;
  }

  /** The events whose bytes the sink handed back, in order. */
  private static List<Event> eventsOf(List<byte[]> retry, List<Event> events) {
    if (retry.isEmpty()) return List.of();
    Map<byte[], Event> byBytes = new IdentityHashMap<>(events.size() * 2);
    for (Event e : events) byBytes.put(e.bytes, e);
    List<Event> out = new ArrayList<>(retry.size());
    for (byte[] b : retry) out.add(byBytes.get(b));
    return out;
  }

  /**
   * Before the connections close (a SnapStart snapshot, a new configuration): the answers left behind are read, within
   * {@code deadlineNanos}; what was not taken is kept for the next flush.
   */
  void settleNow(long deadlineNanos) {
    settle(deadlineNanos);
  }

  /** Whether any event waits for a next flush, or an answer for one. */
  boolean hasKept() {
    synchronized (lock) {
      return !keptSpans.isEmpty() || !keptEvaluations.isEmpty() || !unencodedSpans.isEmpty() || !inFlight.isEmpty();
    }
  }


}
