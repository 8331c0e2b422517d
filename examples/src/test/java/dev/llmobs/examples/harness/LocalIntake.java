package dev.llmobs.examples.harness;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmobs.local.TraceTree;
import dev.llmobs.testing.TestIntake;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's and end-to-end tests' view of the shared loopback intake ({@link TestIntake}): it accepts span and
 * evaluation requests as the real intake does (202), prints each trace as llmobs-local prints it ({@link TraceTree})
 * and appends every span to a file.
 */
public final class LocalIntake implements AutoCloseable {
  private final TestIntake intake;
  private final Path file;
  private final PrintStream out;
  private final List<Map<String, Object>> received = new ArrayList<>();
  private final Map<String, Long> rootArrivalNanos = new java.util.HashMap<>();
  private volatile int status = 202;

  public LocalIntake(Path file, PrintStream out) throws IOException {
    this.file = file;
    this.out = out;
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    intake = new TestIntake().onRequest(this::onRequest);
  }

  private void onRequest(TestIntake.Request r) {
    if (status / 100 != 2) return; // down: the intake refuses, nothing is recorded
    try {
      if (r.path.endsWith("/api/v2/llmobs")) spans(r.body);
      else if (r.path.endsWith("/eval-metric")) evaluations(r.body);
    } catch (IOException | RuntimeException e) {
      out.println("intake: could not read a request: " + e);
    }
  }

  public String origin() {
    return intake.origin();
  }

  public synchronized List<Map<String, Object>> received() {
    return new ArrayList<>(received);
  }

  /** When the root span of the invocation with this request id arrived ({@code System.nanoTime()}), or null. */
  @SuppressWarnings("unchecked")
  public synchronized Long rootArrivalNanos(String requestId) {
    for (Map<String, Object> s : received) {
      if ("undefined".equals(s.get("parent_id")) && ((List<Object>) s.get("tags")).contains("request_id:" + requestId)) {
        return rootArrivalNanos.get((String) s.get("trace_id"));
      }
    }
    return null;
  }

  /** Every span of the trace whose root carries this request id. */
  @SuppressWarnings("unchecked")
  public synchronized List<Map<String, Object>> trace(String requestId) {
    String traceId = null;
    for (Map<String, Object> s : received) {
      if ("undefined".equals(s.get("parent_id")) && ((List<Object>) s.get("tags")).contains("request_id:" + requestId)) {
        traceId = (String) s.get("trace_id");
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> s : received) if (s.get("trace_id").equals(traceId)) out.add(s);
    return out;
  }

  /** Makes the intake answer every request with this status (503: the intake is down for the function). */
  public void answerWith(int status) {
    this.status = status;
    intake.always(status);
  }

  @SuppressWarnings("unchecked")
  private synchronized void spans(byte[] body) throws IOException {
    List<Map<String, Object>> spans = new ArrayList<>();
    for (Object element : JSON.std.listFrom(body)) {
      Map<String, Object> e = (Map<String, Object>) element;
      for (Object s : (List<Object>) e.get("spans")) {
        spans.add((Map<String, Object>) s);
        Files.write(file, (JSON.std.asString(s) + "\n").getBytes(StandardCharsets.UTF_8),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
    received.addAll(spans);
    long now = System.nanoTime();
    for (Map<String, Object> s : spans) {
      if ("undefined".equals(s.get("parent_id"))) rootArrivalNanos.putIfAbsent((String) s.get("trace_id"), now);
    }
    TraceTree.print(spans, out);
  }

  @SuppressWarnings("unchecked")
  public final List<Map<String, Object>> evaluations = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void evaluations(byte[] body) throws IOException {
    Map<String, Object> data = (Map<String, Object>) JSON.std.mapFrom(body).get("data");
    List<Object> metrics = (List<Object>) ((Map<String, Object>) data.get("attributes")).get("metrics");
    for (Object m : metrics) {
      Map<String, Object> e = (Map<String, Object>) m;
      evaluations.add(e);
      out.println("evaluation " + e.get("label") + " = " + e.get(e.get("metric_type") + "_value") + " on "
          + e.get("join_on"));
    }
  }

  @Override public void close() {
    intake.close();
  }
}
