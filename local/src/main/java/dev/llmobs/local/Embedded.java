package dev.llmobs.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tool carries inside its jar, written out for a run: the Java runtime's own jars (the real runtime interface
 * client, its serialization library and what its manifest names), the client's native library for this machine, and
 * our layer's zip.
 */
final class Embedded {
  private static final String[] RUNTIME_JARS = {"aws-lambda-java-runtime-interface-client.jar",
      "aws-lambda-java-core.jar", "aws-lambda-java-serialization.jar", "utils-lite.jar", "annotations.jar"};

  final List<Path> runtimeJars;
  final Path runtimeDir, jni, layerZip;

  private Embedded(List<Path> runtimeJars, Path runtimeDir, Path jni, Path layerZip) {
    this.runtimeJars = runtimeJars;
    this.runtimeDir = runtimeDir;
    this.jni = jni;
    this.layerZip = layerZip;
  }

  static Embedded extract(Path dir) throws IOException {
    Path runtime = Files.createDirectories(dir.resolve("runtime"));
    List<Path> jars = new ArrayList<>();
    for (String name : RUNTIME_JARS) jars.add(copy(name, runtime.resolve(name)));
    Path layer = copy("layer.zip", dir.resolve("layer.zip"));
    Path jni = FunctionProcess.extractNativeLibrary(jars.get(0), dir.resolve("libaws-lambda-jni.so"));
    return new Embedded(jars, runtime, jni, layer);
  }

  private static Path copy(String resource, Path to) throws IOException {
    try (InputStream in = Embedded.class.getResourceAsStream("embedded/" + resource)) {
      if (in == null) throw new IOException("this build of llmobs-local lacks its embedded " + resource);
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
    return to;
  }
}
