package dev.llmobs.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.llmobs.LLMObs;
import dev.llmobs.lambda.LLMObsLambda;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The test functions ({@code src/test/function}) compiled and packaged as a user packages a function: a jar of their
 * classes only; the Lambda and llmobs APIs they compile against come from the runtime and the layer.
 */
final class FunctionJar {
  private FunctionJar() {}

  private static Path jar;

  static synchronized Path get() throws Exception {
    if (jar != null) return jar;
    Path root = Tool.MODULE.resolve("target").resolve("test-function");
    Dirs.deleteTree(root);
    Path classes = Files.createDirectories(root.resolve("classes"));
    List<String> sources = new ArrayList<>();
    try (Stream<Path> s = Files.walk(Tool.MODULE.resolve("src/test/function"))) {
      s.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.add(p.toString()));
    }
    String classPath = String.join(java.io.File.pathSeparator, location(RequestHandler.class), location(LLMObs.class),
        location(LLMObsLambda.class));
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath, "--release", "17"));
    args.addAll(sources);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, args.toArray(new String[0]));
    if (rc != 0) throw new IllegalStateException("the test functions do not compile");
    Path out = root.resolve("function.jar");
    try (OutputStream o = Files.newOutputStream(out); JarOutputStream j = new JarOutputStream(o);
        Stream<Path> s = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isDirectory(p)) continue;
        j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, j);
        j.closeEntry();
      }
    }
    jar = out;
    return jar;
  }

  private static String location(Class<?> c) throws IOException {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
