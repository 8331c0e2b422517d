package dev.llmobs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code invoke} on functions built here, run by the packaged tool under the real runtime interface client. */
class InvokeIT {
  static Path dir(String name) {
    return Tool.MODULE.resolve("target").resolve("it").resolve(name);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
    return n;
  }

  @Test void aPlainHandlerIsTracedWithNoCodeColdOnceThenWarm() throws Exception {
    Tool.Run r = Tool.run(dir("echo"), "invoke", "--handler", "com.example.Echo", "--function",
        FunctionJar.get().toString(), "--event", "apigateway-v2", "--times", "3");
    assertEquals(0, r.exit, r::toString);
    assertEquals(1, count(r.output, "(cold start)"), r::toString);
    assertEquals(2, count(r.output, "(warm)"), r::toString);
    assertTrue(r.output.contains("\"invocationsInThisEnvironment\":3"), r::toString); // one environment, reused
    assertEquals(3, count(r.output, "  | echo: handling request "), r::toString); // the function's own log lines
    assertTrue(r.output.contains("[version, routeKey, rawPath"), r::toString); // the sample event, as the runtime hands it

    Records rec = Records.read(dir("echo").resolve("llmobs-spans.jsonl"));
    assertEquals(3, rec.roots().size());
    assertEquals(1, rec.roots().stream().filter(s -> Records.tags(s).contains("cold_start:true")).count());
    assertEquals(3, rec.invocations.size());
    assertEquals(List.of(true, false, false), rec.invocations.stream().map(i -> i.get("cold_start")).toList());
    for (Map<String, Object> inv : rec.invocations) {
      assertTrue(Records.tags(rec.roots().get(rec.invocations.indexOf(inv))).contains("request_id:" + inv.get("request_id")));
    }
    assertTrue(Files.size(dir("echo").resolve("llmobs-spans.html")) > 10_000);
    assertTrue(r.output.contains("trace page: file:"), r::toString);
  }

  @Test void eachSampleEventAndStandardInputReachTheHandler() throws Exception {
    Tool.Run sqs = Tool.run(dir("sample-sqs"), "invoke", "--handler", "com.example.Echo", "--function",
        FunctionJar.get().toString(), "--event", "sqs", "--env", "AWS_LAMBDA_EXEC_WRAPPER=");
    assertEquals(0, sqs.exit, sqs::toString);
    assertTrue(sqs.output.contains("\"keys\":\"[Records]\""), sqs::toString);
    assertFalse(sqs.output.contains("traced with no code"), sqs::toString); // the wrapper turned off: no root span
    assertEquals(0, Records.read(dir("sample-sqs").resolve("llmobs-spans.jsonl")).spans.size());

    Tool.Run stdin = Tool.runWithInput(dir("stdin"), "{\"claimId\":\"1\",\"question\":\"q\"}", "invoke", "--handler",
        "com.example.Echo", "--function", FunctionJar.get().toString(), "--event", "-");
    assertEquals(0, stdin.exit, stdin::toString);
    assertTrue(stdin.output.contains("\"keys\":\"[claimId, question]\""), stdin::toString);
  }

  @Test void aDirectoryPackageAnotherLayerAndAnotherJdkAreUsedWhenGiven() throws Exception {
    FunctionJar.get();
    Path classes = Tool.MODULE.resolve("target/test-function/classes");
    Path layer = Tool.MODULE.resolve("target/classes/dev/llmobs/local/embedded/layer.zip");
    Tool.Run r = Tool.run(dir("options"), "invoke", "--handler", "com.example.Echo::handleRequest", "--function",
        classes.toString(), "--layer", layer.toString(), "--java", System.getProperty("java.home"), "--memory", "256",
        "--name", "claims-echo", "--spans", "out/echo.jsonl", "--page", "out/echo-page.html");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.output.contains("(256 MB, timeout 30 s, traced with no code"), r::toString);
    assertTrue(r.output.contains("\"function\":\"claims-echo\""), r::toString);
    Records rec = Records.read(dir("options").resolve("out/echo.jsonl"));
    assertTrue(Records.tags(rec.roots().get(0)).contains("memory_size:256"), rec.roots().toString());
    assertTrue(Files.exists(dir("options").resolve("out/echo-page.html")));
  }

  @Test void aFunctionThatRunsPastItsTimeoutIsStoppedAndSaysSo() throws Exception {
    Tool.Run r = Tool.run(dir("timeout"), "invoke", "--handler", "com.example.Sleeper", "--function",
        FunctionJar.get().toString(), "--timeout", "2", "--times", "2");
    assertEquals(1, r.exit, r::toString);
    assertEquals(2, count(r.output, "Task timed out after 2.00 seconds"), r::toString);
    assertEquals(2, count(r.output, "(cold start)"), r::toString); // a timed-out environment is not reused
    assertTrue(r.output.contains("stopped at the timeout, as Lambda stops a function"), r::toString);
    Records rec = Records.read(dir("timeout").resolve("llmobs-spans.jsonl"));
    assertEquals(List.of("timeout", "timeout"), rec.invocations.stream().map(i -> i.get("outcome")).toList());
  }

  @Test void aHandlerClassThatDoesNotExistFailsInitInOneLine() throws Exception {
    Tool.Run r = Tool.run(dir("no-class"), "invoke", "--handler", "com.example.Nope", "--function",
        FunctionJar.get().toString());
    assertEquals(1, r.exit, r::toString);
    assertTrue(r.output.contains("llmobs-local: the function failed to start (Init): "
        + "java.lang.ClassNotFoundException: com.example.Nope ; is --handler right"), r::toString);
  }

  @Test void aFunctionThatDoesNotLoadFailsInitWithItsCauseInTheLog() throws Exception {
    Tool.Run r = Tool.run(dir("broken-init"), "invoke", "--handler", "com.example.BrokenInit", "--function",
        FunctionJar.get().toString());
    assertEquals(1, r.exit, r::toString);
    assertTrue(r.output.contains("the function failed to start (Init): java.lang.ExceptionInInitializerError"), r::toString);
    assertTrue(r.output.contains("  | Caused by: java.lang.IllegalStateException: CLAIMS_TABLE is not set"), r::toString);
  }

  @Test void systemExitIsReportedAsLambdaReportsItAndTheNextInvocationStartsAfresh() throws Exception {
    Tool.Run r = Tool.run(dir("exit"), "invoke", "--handler", "com.example.Exiter", "--function",
        FunctionJar.get().toString(), "--times", "2");
    assertEquals(1, r.exit, r::toString);
    assertEquals(2, count(r.output, "\"errorType\":\"Runtime.ExitError\""), r::toString);
    assertEquals(2, count(r.output, "Runtime exited with error: exit status 3"), r::toString);
    assertEquals(2, count(r.output, "(cold start)"), r::toString);
  }

  @Test void runningOutOfMemoryIsAnErrorWithItsSpan() throws Exception {
    Tool.Run r = Tool.run(dir("oom"), "invoke", "--handler", "com.example.Hog", "--function",
        FunctionJar.get().toString(), "--memory", "128");
    assertEquals(1, r.exit, r::toString);
    assertTrue(r.output.contains("\"errorType\":\"java.lang.OutOfMemoryError\""), r::toString);
    Records rec = Records.read(dir("oom").resolve("llmobs-spans.jsonl"));
    assertEquals("error", rec.roots().get(0).get("status")); // the wrapper still flushed the invocation's span
  }

  @Test void badArgumentsAreOneLineAndExitTwo() throws Exception {
    Path jar = FunctionJar.get();
    String[][] cases = {
        {"the event is not JSON", "invoke", "--handler", "com.example.Echo", "--function", jar.toString(), "--event", "-"},
        {"--function missing.jar: no such file or directory", "invoke", "--handler", "x.Y", "--function", "missing.jar"},
        {"is not a zip, a jar or a directory", "invoke", "--handler", "x.Y", "--function", "llmobs-bad.txt"},
        {"not a sample", "invoke", "--handler", "x.Y", "--function", jar.toString(), "--event", "nothing-such"},
        {"invoke needs --handler", "invoke", "--function", jar.toString()},
        {"unknown option --hander", "invoke", "--hander", "x.Y"},
        {"--memory must be between 128 and 10240", "invoke", "--handler", "x.Y", "--function", jar.toString(), "--memory", "64"},
        {"unknown command", "deploy"},
        {"view takes one FILE.jsonl", "view"},
        {"is not a layer zip", "invoke", "--handler", "x.Y", "--function", jar.toString(), "--layer", "llmobs-bad.txt"},
        {"not a java executable or a JDK directory", "invoke", "--handler", "x.Y", "--function", jar.toString(),
            "--java", "/nowhere/java"},
    };
    Path d = dir("bad-args");
    Files.createDirectories(d);
    Files.writeString(d.resolve("llmobs-bad.txt"), "not a zip");
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      Tool.Run r = Tool.runWithInput(d, c[1].equals("invoke") && c[0].contains("JSON") ? "this is not JSON" : null, args);
      assertEquals(2, r.exit, () -> String.join(" ", args) + " -> " + r);
      assertEquals(1, r.output.strip().lines().count(), () -> String.join(" ", args) + " -> " + r);
      assertTrue(r.output.startsWith("llmobs-local: ") && r.output.contains(c[0]), () -> String.join(" ", args) + " -> " + r);
    }
  }

  @Test void aPortInUseIsOneLineAndExitTwo() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Tool.Run r = Tool.run(dir("port-in-use"), "intake", "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(2, r.exit, r::toString);
      assertEquals("llmobs-local: port " + taken.getLocalPort() + " is in use (another agent or intake?): pick another"
          + " with --port", r.output.strip());
    }
  }
}
