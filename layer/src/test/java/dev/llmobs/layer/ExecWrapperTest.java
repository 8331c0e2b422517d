package dev.llmobs.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exec wrapper under bash, with the command lines the Java runtimes pass it (lambda-notes.md 2.2) and a fake
 * {@code java} that prints what it was started with.
 */
class ExecWrapperTest {
  static final Path WRAPPER = Path.of("src/main/bash/llmobs-wrapper");
  static final String RIC = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  static final String REDIRECT = "dev.llmobs.lambda.RedirectHandler";

  @TempDir Path dir;
  Path fakeJava;

  @BeforeEach void fakeJava() throws IOException {
    fakeJava = dir.resolve("java");
    Files.writeString(fakeJava, "#!/bin/bash\n"
        + "echo \"_HANDLER=${_HANDLER:-}\"\n"
        + "echo \"DD_LAMBDA_HANDLER=${DD_LAMBDA_HANDLER:-}\"\n"
        + "for a in \"$@\"; do echo \"ARG=$a\"; done\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs the wrapper as Lambda would: the interpreter's path, then its arguments. */
  List<String> run(Map<String, String> env, String... javaArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", WRAPPER.toString(), fakeJava.toString()));
    cmd.addAll(List.of(javaArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("DD_LAMBDA_HANDLER");
    pb.environment().remove("LLMOBS_LAMBDA_HANDLER");
    pb.environment().remove("_HANDLER");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return List.of(out.split("\n"));
  }

  static String[] java17Args(String handler) {
    return new String[] {"-XX:MaxHeapSize=891289k", "-XX:+UseSerialGC", "-Xshare:on", "-XX:TieredStopAtLevel=1",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
        "-classpath", "/var/runtime/lib/aws-lambda-java-core-1.2.3.jar:/var/runtime/lib/ric.jar", RIC, handler};
  }

  @Test void java17To25ReplaceTheLastArgumentAndKeepTheOriginal() throws Exception {
    List<String> out = run(Map.of("_HANDLER", "com.example.Handler::handleRequest"),
        java17Args("com.example.Handler::handleRequest"));
    assertTrue(out.contains("_HANDLER=" + REDIRECT), out.toString());
    assertTrue(out.contains("DD_LAMBDA_HANDLER=com.example.Handler::handleRequest"), out.toString());
    assertEquals("ARG=" + REDIRECT, out.get(out.size() - 1));
    assertTrue(out.contains("ARG=" + RIC));
    assertTrue(out.contains("ARG=-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac"), "other flags untouched");
  }

  @Test void java11ReadsHandlerFromTheEnvironmentOnly() throws Exception {
    List<String> out = run(Map.of("_HANDLER", "com.example.Handler"), "-XX:-TieredCompilation",
        "-Dorg.crac.Core.Compat=org.crac.inmemory", "-classpath", "/var/runtime/lib/aws-lambda-java-runtime-0.2.0.jar",
        "lambdainternal.AWSLambda");
    assertTrue(out.contains("_HANDLER=" + REDIRECT), out.toString());
    assertTrue(out.contains("DD_LAMBDA_HANDLER=com.example.Handler"));
    assertEquals("ARG=lambdainternal.AWSLambda", out.get(out.size() - 1), "no argument invented");
  }

  @Test void handlerNamesAreComparedAsTextNotGlobs() throws Exception {
    List<String> out = run(Map.of("_HANDLER", "com.example.H*"), "-Dx=com.example.Hello", RIC, "com.example.H*");
    assertEquals("ARG=" + REDIRECT, out.get(out.size() - 1));
    assertTrue(out.contains("ARG=-Dx=com.example.Hello"), "an argument that merely matches the pattern is untouched");
  }

  @Test void anExplicitDdLambdaHandlerWins() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("_HANDLER", "com.example.Handler", "DD_LAMBDA_HANDLER", "com.example.Real"));
    List<String> out = run(env, java17Args("com.example.Handler"));
    assertTrue(out.contains("DD_LAMBDA_HANDLER=com.example.Real"), out.toString());
    assertEquals("ARG=" + REDIRECT, out.get(out.size() - 1));
  }

  @Test void aFunctionAlreadyNamingTheRedirectHandlerRunsUnchanged() throws Exception {
    List<String> out = run(Map.of("_HANDLER", REDIRECT, "DD_LAMBDA_HANDLER", "com.example.Handler"), java17Args(REDIRECT));
    assertTrue(out.contains("DD_LAMBDA_HANDLER=com.example.Handler"), "not overwritten with the redirect itself");
    assertEquals("ARG=" + REDIRECT, out.get(out.size() - 1));
  }

  @Test void theScriptIsExecutableUnixTextWithAShebang() throws IOException {
    byte[] bytes = Files.readAllBytes(WRAPPER);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("#!/bin/bash\n"));
    assertFalse(text.contains("\r"), "CRLF breaks the #! line");
    assertTrue(Files.isExecutable(WRAPPER));
  }
}
