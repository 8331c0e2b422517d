package dev.llmobs.bench;

import dev.llmobs.testing.TestIntake;
import dev.llmobs.FlushResult;
import dev.llmobs.LLMObs;
import dev.llmobs.LLMObsSpan;
import dev.llmobs.Message;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cold-start harness: in fresh JVMs started as Lambda starts Java ({@code -XX:TieredStopAtLevel=1}), the time
 * from {@code main} to a first trace (a workflow with an annotated llm child) serialized and flushed to a loopback
 * intake, against a bare {@code HttpURLConnection} POST of the very same bytes from an equally cold JVM.
 * Alternates the two, several runs each, in one run of the harness; reports medians and their ratio. With
 * {@code primed}, both sides first run one lambda outside the timing, as the Lambda runtime client's own code does
 * before any handler runs.
 *
 * <p>Run: {@code benchmarks/run-cold-start.sh [runs]}.
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    boolean primed = args.length > 1 && args[1].equals("primed");
    String classpath = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (TestIntake intake = new TestIntake().keepOnlyTheLast()) {
      Path body = Files.createTempFile("llmobs-first-trace", ".json");
      body.toFile().deleteOnExit();
      child(java, classpath, intake, "sdk", body, primed); // once, to learn the exact bytes of the first trace
      Files.write(body, intake.last().body);
      long[] sdk = new long[runs], base = new long[runs], sdkWall = new long[runs], baseWall = new long[runs];
      for (int i = 0; i < runs; i++) { // alternate, so that machine noise hits both alike
        long t0 = System.nanoTime();
        base[i] = child(java, classpath, intake, "baseline", body, primed);
        baseWall[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        sdk[i] = child(java, classpath, intake, "sdk", body, primed);
        sdkWall[i] = System.nanoTime() - t0;
      }
      System.out.printf(Locale.ROOT, "first trace of %d bytes, %d cold JVMs each, %s%s%n", Files.size(body), runs,
          System.getProperty("java.vm.version"), primed ? ", lambda machinery primed as the runtime client does" : "");
      System.out.printf(Locale.ROOT, "in-process, main to flushed: baseline HttpURLConnection POST median %.1f ms;"
          + " llmobs first trace median %.1f ms; ratio %.2fx%n", median(base) / 1e6, median(sdk) / 1e6,
          (double) median(sdk) / median(base));
      System.out.printf(Locale.ROOT, "whole process (JVM start included): baseline median %.1f ms; llmobs median"
          + " %.1f ms; ratio %.2fx%n", median(baseWall) / 1e6, median(sdkWall) / 1e6,
          (double) median(sdkWall) / median(baseWall));
      Files.deleteIfExists(body);
    }
  }

  private static long child(String java, String cp, TestIntake intake, String mode, Path body, boolean primed)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("DD_LLMOBS_AGENTLESS_ENABLED", "true",
        "DD_API_KEY", "cold-start-bench", "DD_LLMOBS_OVERRIDE_ORIGIN", intake.origin(),
        "DD_LLMOBS_ML_APP", "claims-assistant", "LLMOBS_LOG_LEVEL", "warn"));
    if (primed) env.put("COLD_START_PRIMED", "1");
    return ColdJvm.run(cp, Child.class.getName(), env, mode, intake.origin(), body.toString());
  }

  private static long median(long[] values) {
    return ColdJvm.median(values);
  }

  /** What runs in each cold JVM. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      String mode = args[0];
      String origin = args[1];
      byte[] body = "baseline".equals(mode) ? Files.readAllBytes(new File(args[2]).toPath()) : null;
      if (System.getenv("COLD_START_PRIMED") != null) {
        // Under the Lambda runtime client the JVM's lambda machinery is bootstrapped before the handler runs (the
        // client's own code uses lambdas): do the same, outside the timing, for both sides.
        Runnable r = () -> { };
        r.run();
      }
      long start = System.nanoTime();
      if ("baseline".equals(mode)) {
        HttpURLConnection c = (HttpURLConnection) new URL(origin + "/api/v2/llmobs").openConnection();
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("DD-API-KEY", "cold-start-bench");
        c.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
        if (c.getResponseCode() != 202) throw new IllegalStateException("HTTP " + c.getResponseCode());
        try (InputStream in = c.getInputStream()) {
          in.readAllBytes();
        }
      } else {
        try (LLMObsSpan root = LLMObs.workflow("claims-handler")) {
          root.input("{\"claimId\":\"88412\",\"question\":\"Is water damage covered?\"}").sessionId("claim-88412");
          try (LLMObsSpan llm = LLMObs.llm("bedrock-runtime.converse", "anthropic.claude-3-5-haiku-20241022-v1:0",
              "amazon_bedrock")) {
            llm.inputMessages(List.of(Message.system("You answer questions about the policy."),
                Message.user("Is water damage covered?")));
            llm.outputMessages(List.of(Message.assistant("Sudden water damage is covered up to the policy limit.")));
            llm.tokens(231, 18).metadata("temperature", 0.2).metadata("max_tokens", 400);
          }
          root.output("Sudden water damage is covered up to the policy limit.");
        }
        FlushResult r = LLMObs.flush(Duration.ofSeconds(5));
        if (r.spansSent() != 2) throw new IllegalStateException("flush: " + r);
      }
      System.out.println("elapsed_ns=" + (System.nanoTime() - start));
    }
  }
}
