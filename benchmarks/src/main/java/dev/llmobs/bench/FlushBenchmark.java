package dev.llmobs.bench;

import dev.llmobs.testing.TestIntake;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm invocation: 10 annotated spans and the synchronous flush to a loopback intake, against the baseline of a
 * bare {@code HttpURLConnection} POST of the same bytes to the same intake. Run: {@code benchmarks/run-jmh.sh FlushBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlushBenchmark {
  TestIntake intake;
  byte[] body;
  URL url;

  @Setup public void start() throws Exception {
    intake = new TestIntake().keepOnlyTheLast();
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "bench",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "LLMOBS_LOG_LEVEL", "warn"));
    invocationOfTenSpans(); // learn the body an invocation sends
    body = intake.last().body;
    url = new URL(intake.origin() + "/api/v2/llmobs");
  }

  @TearDown public void stop() throws Exception {
    if (socket != null) socket.close();
    intake.close();
  }

  /** What a traced invocation adds: a workflow, a retrieval, an llm call, tools and tasks, then the flush. */
  @Benchmark public int invocationOfTenSpans() {
    try (LLMObsSpan root = LLMObs.workflow("claims-handler")) {
      root.input("{\"claimId\":\"88412\",\"question\":\"Is water damage covered?\"}").sessionId("claim-88412");
      LLMObs.retrieval("policy-search", () -> "clause 4.2");
      for (int i = 0; i < 3; i++) {
        try (LLMObsSpan llm = LLMObs.llm("converse", "anthropic.claude-3-5-haiku-20241022-v1:0", "amazon_bedrock")) {
          llm.inputMessages(List.of(Message.user("Is water damage covered?")))
              .outputMessages(List.of(Message.assistant("Sudden water damage is covered.")))
              .tokens(231, 18).metadata("temperature", 0.2);
        }
        LLMObs.tool("lookup_policy", () -> "{\"water\":\"sudden only\"}");
      }
      LLMObs.task("format", () -> "done");
      root.output("Sudden water damage is covered up to the policy limit.");
    }
    return LLMObs.flush(Duration.ofSeconds(2)).spansSent();
  }

  /**
   * The floor: the same bytes POSTed over a kept-alive plain socket with TCP_NODELAY, written in one call, the
   * response read by its Content-Length. No HTTP client can do less.
   */
  @Benchmark public int bareSocketPost() throws Exception {
    if (socket == null) {
      socket = new java.net.Socket("127.0.0.1", url.getPort());
      socket.setTcpNoDelay(true);
      socketIn = new java.io.BufferedInputStream(socket.getInputStream());
    }
    byte[] head = ("POST /api/v2/llmobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    socket.getOutputStream().write(request);
    int contentLength = 0, status = 0;
    StringBuilder line = new StringBuilder();
    for (int c; (c = socketIn.read()) >= 0; ) {
      if (c == '\r') continue;
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      if (line.length() == 0) break;
      String l = line.toString();
      if (l.startsWith("HTTP/")) status = Integer.parseInt(l.substring(9, 12));
      else if (l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) contentLength = Integer.parseInt(l.substring(15).trim());
      line.setLength(0);
    }
    socketIn.readNBytes(contentLength);
    return status;
  }

  java.net.Socket socket;
  java.io.InputStream socketIn;

  /** The baseline: the same bytes POSTed with the JDK's HttpURLConnection (keep-alive) to the same intake. */
  @Benchmark public int bareHttpUrlConnectionPost() throws Exception {
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setDoOutput(true);
    c.setRequestMethod("POST");
    c.setRequestProperty("Content-Type", "application/json");
    c.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    int status = c.getResponseCode();
    try (InputStream in = c.getInputStream()) {
      in.readAllBytes();
    }
    return status;
  }
}
