package dev.llmobs.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The built layer zip, checked after packaging: layout, modes, contents, bytecode level and size. */
class LayerZipIT {
  static final Path ZIP = Path.of("target/llmobs-lambda-layer.zip");

  @Test void hasTheJavaLayerLayoutAndAnExecutableWrapper() throws Exception {
    List<String> names = new ArrayList<>();
    try (ZipFile z = new ZipFile(ZIP.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) names.add(e.nextElement().getName());
    }
    for (String n : names) {
      assertTrue(n.equals("java/") || n.equals("java/lib/") || n.equals("llmobs-wrapper")
          || (n.startsWith("java/lib/") && n.endsWith(".jar") && !n.contains("sources") && !n.contains("original-")), n);
    }
    assertTrue(names.contains("llmobs-wrapper"));
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + ZIP.toAbsolutePath().toUri()),
        Map.of("enablePosixFileAttributes", "true"))) {
      assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(fs.getPath("llmobs-wrapper"))));
      String script = Files.readString(fs.getPath("llmobs-wrapper"));
      assertTrue(script.startsWith("#!"));
      assertFalse(script.contains("\r"));
    }
  }

  @Test void theJarHoldsOurCodeAndRelocatedJacksonButNoRuntimeOrAwsSdkClass() throws Exception {
    Path jar = Path.of("target/llmobs-lambda-layer-0.1.0-SNAPSHOT-shaded.jar");
    try (ZipFile z = new ZipFile(jar.toFile())) {
      assertNotNull(z.getEntry("dev/llmobs/LLMObs.class"));
      assertNotNull(z.getEntry("dev/llmobs/lambda/RedirectHandler.class"));
      assertNotNull(z.getEntry("dev/llmobs/bedrock/LlmObsBedrockInterceptor.class"));
      assertNotNull(z.getEntry("software/amazon/awssdk/global/handlers/execution.interceptors"));
      assertNotNull(z.getEntry("org/crac/Core.class"), "CRaC API, kept at its own name so the runtime's bridge finds it");
      assertNotNull(z.getEntry("dev/llmobs/langchain4j/LLMObsLangChain4j.class"), "our LangChain4j listeners");
      assertNotNull(z.getEntry("dev/llmobs/openai/LLMObsOpenAI.class"), "our openai-java tracing");
      assertNotNull(z.getEntry("dev/llmobs/anthropic/LLMObsAnthropic.class"), "our anthropic-java tracing");
      assertNotNull(z.getEntry("dev/llmobs/mcp/LLMObsMcp.class"), "our MCP tracing");
      assertNotNull(z.getEntry("dev/llmobs/springai/LLMObsObservationHandler.class"), "our Spring AI handler");
      assertNotNull(z.getEntry("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"),
          "its auto-configuration, found by Spring Boot on the layer's class path");
      ZipEntry registrar = z.getEntry("META-INF/services/dev.langchain4j.spi.observability.AiServiceListenerRegistrarFactory");
      assertNotNull(registrar, "AI Services traced with no code in a function that has the layer");
      try (InputStream in = z.getInputStream(registrar)) {
        assertEquals("dev.llmobs.langchain4j.internal.TracingRegistrarFactory",
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim());
      }
      int maxMajor = 0;
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        String n = entry.getName();
        assertFalse(n.startsWith("com/amazonaws/"), n);
        assertFalse(n.startsWith("software/amazon/") && n.endsWith(".class"), n);
        assertFalse(n.startsWith("com/fasterxml/"), "jackson must be relocated: " + n);
        assertFalse(n.startsWith("dev/langchain4j/"), "LangChain4j is the function's: " + n);
        assertFalse(n.startsWith("com/openai/") || n.startsWith("com/anthropic/"), "the LLM SDKs are the function's: " + n);
        assertFalse(n.startsWith("io/modelcontextprotocol/") || n.startsWith("reactor/"), "the MCP SDK is the function's: " + n);
        assertFalse(n.startsWith("org/springframework/") || n.startsWith("io/micrometer/"), "Spring is the function's: " + n);
        assertFalse(n.startsWith("okhttp3/") || n.startsWith("kotlin/"), "their transports too: " + n);
        if (n.endsWith(".class")) {
          try (InputStream in = z.getInputStream(entry)) {
            DataInputStream d = new DataInputStream(in);
            assertEquals(0xCAFEBABE, d.readInt());
            d.readUnsignedShort();
            maxMajor = Math.max(maxMajor, d.readUnsignedShort());
          }
        }
      }
      assertTrue(maxMajor <= 61, "Java 17 bytecode at most, found major " + maxMajor);
    }
  }

  /**
   * The layer's budget. About 630 KB of it is jackson-jr with jackson-core (relocated; only loaded for a user's POJO
   * or a vendor's JSON body); our own classes, the OpenAI, Anthropic, LangChain4j and Bedrock Agents ones included,
   * are the rest. Raised from 1,000,000 bytes when those integrations came (998 KiB then): a change that needs more
   * says why.
   */
  @Test void staysWithinItsBudget() throws Exception {
    long size = Files.size(ZIP);
    System.out.println("[llmobs] layer zip " + ZIP + ": " + size + " bytes (" + (size / 1024) + " KiB)");
    assertTrue(size < 1_100_000, size + " bytes");
  }

}
