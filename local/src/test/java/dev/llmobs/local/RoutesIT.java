package dev.llmobs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The intake receives from the SDK on every route it speaks (the Datadog agent route, agentless, OTLP as protobuf and
 * as JSON) and shows the same trace whichever was taken; {@code intake} as a program of its own; {@code view}.
 */
class RoutesIT {
  static final String KEY = "dd-api-key-must-stay-secret-0123456789";

  static Tool.Run assistant(String name, String... env) throws Exception {
    List<String> args = new ArrayList<>(List.of("invoke", "--handler", "com.example.Assistant", "--function",
        FunctionJar.get().toString(), "--event", "apigateway-v1", "--env", "AWS_LAMBDA_EXEC_WRAPPER="));
    for (String e : env) {
      args.add("--env");
      args.add(e);
    }
    return Tool.run(InvokeIT.dir(name), args.toArray(new String[0]));
  }

  /** What must read the same on every route: kinds, tool calls asked for, documents, tokens, errors, evaluations. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> essence(Records r) {
    Map<String, Object> e = new TreeMap<>();
    List<String> kinds = new ArrayList<>();
    for (Map<String, Object> s : r.spans) kinds.add(Records.kind(s) + (s.get("status").equals("error") ? "!" : ""));
    kinds.sort(null);
    e.put("kinds", kinds);
    double tokens = 0;
    List<Object> calls = new ArrayList<>(), scores = new ArrayList<>();
    for (Map<String, Object> s : r.spans) {
      Map<String, Object> metrics = (Map<String, Object>) s.get("metrics");
      if (Records.kind(s).equals("llm")) {
        tokens += ((Number) metrics.get("input_tokens")).doubleValue() + ((Number) metrics.get("output_tokens")).doubleValue();
      }
      Map<String, Object> meta = (Map<String, Object>) s.get("meta");
      Map<String, Object> out = (Map<String, Object>) meta.getOrDefault("output", Map.of());
      for (Object m : (List<Object>) out.getOrDefault("messages", List.of())) {
        for (Object c : (List<Object>) ((Map<String, Object>) m).getOrDefault("tool_calls", List.of())) {
          calls.add(((Map<String, Object>) c).get("name") + " " + ((Map<String, Object>) c).get("arguments"));
        }
      }
      for (Object d : (List<Object>) out.getOrDefault("documents", List.of())) scores.add(((Map<String, Object>) d).get("score"));
    }
    e.put("tokens", tokens);
    e.put("tool_calls", calls);
    e.put("document_scores", scores);
    List<String> evals = new ArrayList<>();
    for (Map<String, Object> ev : r.evaluations) {
      Map<String, Object> span = (Map<String, Object>) ((Map<String, Object>) ev.get("join_on")).get("span");
      boolean joined = r.spans.stream().anyMatch(s -> s.get("span_id").equals(span.get("span_id")));
      evals.add(ev.get("label") + "=" + ev.get("score_value") + (joined ? " joined" : " NOT JOINED"));
    }
    e.put("evaluations", evals);
    return e;
  }

  private static Map<String, Object> agentEssence;

  /** The trace as the default route (the agent's EVP proxy, as with the Datadog extension) delivers it. */
  static synchronized Map<String, Object> agentRoute() throws Exception {
    if (agentEssence != null) return agentEssence;
    Tool.Run agent = assistant("route-agent");
    assertEquals(0, agent.exit, agent::toString);
    Map<String, Object> e = essence(Records.read(InvokeIT.dir("route-agent").resolve("llmobs-spans.jsonl")));
    assertEquals(List.of("llm", "llm", "retrieval", "task!", "tool", "workflow"), e.get("kinds"));
    assertEquals(List.of("groundedness=0.9 joined"), e.get("evaluations"));
    assertEquals(List.of("get_claim_status {claimId=88412}"), e.get("tool_calls"));
    assertEquals(List.of(0.81, 0.58), e.get("document_scores"));
    return agentEssence = e;
  }

  @Test void theAgentRouteDeliversTheWholeTrace() throws Exception {
    assertEquals(322.0, agentRoute().get("tokens"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"agentless", "otlp-protobuf", "otlp-json"})
  void everyRouteShowsTheSameTrace(String route) throws Exception {
    Map<String, Object> expected = agentRoute();

    String[] env;
    switch (route) {
      case "agentless": env = new String[] {"DD_LLMOBS_AGENTLESS_ENABLED=true", "DD_API_KEY=" + KEY}; break;
      case "otlp-protobuf": env = new String[] {"LLMOBS_EXPORTER=otlp"}; break;
      default: env = new String[] {"LLMOBS_EXPORTER=otlp", "OTEL_EXPORTER_OTLP_PROTOCOL=http/json"};
    }
    Tool.Run r = assistant("route-" + route, env);
    assertEquals(0, r.exit, r::toString);
    Path file = InvokeIT.dir("route-" + route).resolve("llmobs-spans.jsonl");
    assertEquals(expected, essence(Records.read(file)), r::toString);
    assertFalse(r.output.contains(KEY), "the API key was printed");
    assertFalse(Files.readString(file).contains(KEY), "the API key was recorded");
    if (route.startsWith("otlp")) assertTrue(Files.readString(file).contains("source:otlp"));
  }

  @Test void intakeAsAProgramReceivesAnyFunctionAndServesThePageLive() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = InvokeIT.dir("intake");
    Files.createDirectories(dir);
    Process intake = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Tool.JAR.toString(), "intake", "--port", Integer.toString(port), "--spans", "received.jsonl")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    StringBuffer printed = new StringBuffer();
    CountDownLatch listening = new CountDownLatch(1), treePrinted = new CountDownLatch(1),
        complained = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(intake.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          printed.append(line).append('\n');
          if (line.startsWith("llmobs-local intake on")) listening.countDown();
          if (line.contains("retrieval policy-search")) treePrinted.countDown();
          if (line.contains("intake: could not read a request to /evp_proxy/v2/api/v2/llmobs")) complained.countDown();
        }
      } catch (java.io.IOException ignored) {
        // the intake stopped
      }
    });
    reader.start();
    try {
      assertTrue(listening.await(60, TimeUnit.SECONDS), printed::toString);
      String origin = "http://127.0.0.1:" + port;
      Tool.Run r = assistant("intake-fn", "DD_TRACE_AGENT_URL=" + origin);
      assertEquals(0, r.exit, r::toString);
      assertEquals(0, Records.read(InvokeIT.dir("intake-fn").resolve("llmobs-spans.jsonl")).spans.size(),
          "the function's own setting wins: its spans went to the other intake");
      assertTrue(treePrinted.await(30, TimeUnit.SECONDS), printed::toString);

      HttpClient http = HttpClient.newHttpClient();
      String info = http.send(HttpRequest.newBuilder(URI.create(origin + "/info")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(info.contains("/evp_proxy/v2/"), info);
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(origin + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(page.body().contains("window.LLMOBS_LIVE = true"), "the live page");
      Map<String, Object> data = JSON.std.mapFrom(http.send(HttpRequest.newBuilder(URI.create(origin + "/data.json")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(6, ((List<?>) data.get("spans")).size());
      assertEquals(1, ((List<?>) data.get("evaluations")).size());
      assertEquals(7, Files.readAllLines(dir.resolve("received.jsonl")).size());

      HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create(origin + "/evp_proxy/v2/api/v2/llmobs"))
          .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, garbage.statusCode());
      // Read before the intake stops: Process.destroy closes our end of its output, and what was not read yet is lost.
      assertTrue(complained.await(30, TimeUnit.SECONDS), printed::toString);
    } finally {
      intake.destroy();
      assertTrue(intake.waitFor(30, TimeUnit.SECONDS));
      reader.join(5_000);
    }
  }

  @SuppressWarnings("unchecked")
  @Test void viewRoundTripsEveryRecordAndSaysWhatItSkipped() throws Exception {
    Tool.Run r = assistant("view-source");
    assertEquals(0, r.exit, r::toString);
    Path dir = InvokeIT.dir("view-source");
    Path jsonl = dir.resolve("llmobs-spans.jsonl");
    Path withBad = dir.resolve("with-a-bad-line.jsonl");
    Files.writeString(withBad, Files.readString(jsonl) + "this line is not JSON\n{\"neither\":\"a record\"}\n");
    Tool.Run v = Tool.run(dir, "view", "with-a-bad-line.jsonl", "--out", "viewed.html");
    assertEquals(0, v.exit, v::toString);
    assertTrue(v.output.contains("skipped 2 line(s)") && v.output.contains("(first at line "), v::toString);

    String html = Files.readString(dir.resolve("viewed.html"));
    assertFalse(html.contains("<script src") || html.contains("<link "), "the page fetches nothing");
    String marker = "<script type=\"application/json\" id=\"llmobs-data\">";
    int start = html.indexOf(marker) + marker.length();
    Map<String, Object> data = JSON.std.mapFrom(html.substring(start, html.indexOf("</script>", start)));
    Records rec = Records.read(jsonl);
    assertEquals(JSON.std.asString(rec.spans), JSON.std.asString(data.get("spans")));
    assertEquals(JSON.std.asString(rec.evaluations), JSON.std.asString(data.get("evaluations")));
    assertEquals(JSON.std.asString(rec.invocations), JSON.std.asString(data.get("invocations")));
    assertNotNull(rec.spans.get(0).get("_dd"));
  }
}
