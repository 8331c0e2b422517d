package dev.llmobs.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged tool ({@code target/llmobs-local.jar}) as a user does, in its own JVM, in a directory. */
final class Tool {
  /** What one run printed (standard output and error together) and its exit status. */
  static final class Run {
    final int exit;
    final String output;

    Run(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }

    @Override public String toString() {
      return "exit " + exit + ":\n" + output;
    }
  }

  /** The module's directory, found from where these classes were loaded (target/test-classes). */
  static final Path MODULE = module();
  static final Path JAR = MODULE.resolve("target").resolve("llmobs-local.jar");

  private static Path module() {
    try {
      return Path.of(Tool.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Tool() {}

  static Run run(Path dir, String... args) throws IOException, InterruptedException {
    return runWithInput(dir, null, args);
  }

  /** Runs with {@code stdin} as standard input (or none); a run that outlives three minutes fails the test. */
  static Run runWithInput(Path dir, String stdin, String... args) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("tool-output.txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("llmobs-local hung: " + String.join(" ", args) + "\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
