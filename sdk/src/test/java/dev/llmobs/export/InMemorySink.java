package dev.llmobs.export;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink that keeps every request body it is handed, for tests that assert on the line after a flush without a
 * network. Packs as the HTTP sink does (one body per call, the route's envelope); {@link #fail} makes it refuse.
 */
public final class InMemorySink implements Sink {
  private final List<byte[]> spanBodies = new CopyOnWriteArrayList<>();
  private final List<byte[]> evaluationBodies = new CopyOnWriteArrayList<>();
  private volatile boolean failing;

  @Override public Outcome send(Kind kind, List<byte[]> events, long deadlineNanos) {
    if (events.isEmpty()) return Outcome.NOTHING;
    if (failing) return new Outcome(0, new ArrayList<>(events), 0, 0, false);
    (kind == Kind.SPANS ? spanBodies : evaluationBodies).add(kind.body(events));
    return new Outcome(events.size(), List.of(), 0, 0, false);
  }

  @Override public int maxRequestBytes() {
    return Integer.MAX_VALUE - 16;
  }

  /** From now on, hands every event back as not delivered (true), or delivers again (false). */
  public InMemorySink fail(boolean failing) {
    this.failing = failing;
    return this;
  }

  /** Every span received: the objects inside each element's {@code spans} array. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> spans() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (byte[] body : spanBodies) {
      for (Object element : (List<Object>) parse(body)) {
        out.addAll((List<Map<String, Object>>) ((Map<String, Object>) element).get("spans"));
      }
    }
    return out;
  }

  /** Every evaluation metric received. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> evaluations() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (byte[] body : evaluationBodies) {
      Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) parse(body)).get("data");
      out.addAll((List<Map<String, Object>>) ((Map<String, Object>) data.get("attributes")).get("metrics"));
    }
    return out;
  }

  private static Object parse(byte[] body) {
    try {
      return JSON.std.anyFrom(body);
    } catch (IOException e) {
      throw new AssertionError("invalid JSON body", e);
    }
  }
}
