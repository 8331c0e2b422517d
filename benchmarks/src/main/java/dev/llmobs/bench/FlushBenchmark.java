package dev.llmobs.bench;

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
  LoopbackIntake intake;
  byte[] body;
  URL url;

  @Setup public void start() throws Exception {
    intake = new LoopbackIntake();
    LLMObs.configure(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true", "DD_API_KEY", "bench",
        "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(), "LLMOBS_LOG_LEVEL", "warn"));
    invocationOfTenSpans(); // learn the body an invocation sends
    body = intake.lastBody.get();
    url = new URL(intake.origin() + "/api/v2/llmobs");
  }

  @TearDown public void stop() {
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
