package dev.llmobs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.llmobs.testing.ClassPaths;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK loads and works without the AWS SDK, and the interceptor loads with the AWS SDK but without
 * bedrockruntime (a function that only uses S3, say), leaving other services alone.
 */
class ClassPathIsolationTest {
  static URLClassLoader loaderWithout(Predicate<String> excluded) throws Exception {
    return new URLClassLoader(ClassPaths.without(excluded), ClassLoader.getPlatformClassLoader());
  }

  @Test void theSdkRecordsAndFlushesWithNoAwsSdkOnTheClassPath(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = loaderWithout(e -> e.contains("software/amazon") || e.contains("/test-classes"))) {
      assertEquals(null, loader.getResource("software/amazon/awssdk/core/interceptor/ExecutionInterceptor.class"));
      Class<?> llmobs = loader.loadClass("dev.llmobs.LLMObs");
      llmobs.getMethod("configure", Map.class).invoke(null, Map.of("LLMOBS_EXPORTER", "file",
          "LLMOBS_EXPORT_FILE", dir.resolve("isolated.jsonl").toString(), "LLMOBS_LOG_LEVEL", "warn"));
      Object span = llmobs.getMethod("workflow", String.class).invoke(null, "isolated");
      loader.loadClass("dev.llmobs.LLMObsSpan").getMethod("finish").invoke(span);
      Object result = llmobs.getMethod("flush", java.time.Duration.class).invoke(null, java.time.Duration.ofSeconds(1));
      assertEquals(1, result.getClass().getMethod("spansSent").invoke(result));
    }
  }

  @Test void theInterceptorLoadsWithoutBedrockRuntimeAndIgnoresOtherServices() throws Exception {
    try (URLClassLoader loader = loaderWithout(e -> e.contains("/bedrockruntime/") || e.contains("/test-classes"))) {
      assertEquals(null, loader.getResource("software/amazon/awssdk/services/bedrockruntime/model/ConverseRequest.class"));
      Class<?> interceptorClass = loader.loadClass("dev.llmobs.bedrock.LlmObsBedrockInterceptor");
      Object interceptor = interceptorClass.getConstructor().newInstance();
      assertNotNull(interceptor);

      // Call beforeExecution as the SDK would for an S3 call.
      Class<?> attrsClass = loader.loadClass("software.amazon.awssdk.core.interceptor.ExecutionAttributes");
      Object attrs = attrsClass.getConstructor().newInstance();
      Class<?> sdkAttr = loader.loadClass("software.amazon.awssdk.core.interceptor.SdkExecutionAttribute");
      Class<?> attrClass = loader.loadClass("software.amazon.awssdk.core.interceptor.ExecutionAttribute");
      Method put = attrsClass.getMethod("putAttribute", attrClass, Object.class);
      put.invoke(attrs, sdkAttr.getField("SERVICE_NAME").get(null), "S3");
      put.invoke(attrs, sdkAttr.getField("OPERATION_NAME").get(null), "GetObject");
      Class<?> ctxClass = loader.loadClass("software.amazon.awssdk.core.interceptor.Context$BeforeExecution");
      Object ctx = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {ctxClass}, (p, m, a) -> {
        throw new AssertionError("an S3 call's request must not be touched: " + m.getName());
      });
      interceptorClass.getMethod("beforeExecution", ctxClass, attrsClass).invoke(interceptor, ctx, attrs);
      java.lang.reflect.Field key = interceptorClass.getDeclaredField("RECORD");
      key.setAccessible(true);
      Object record = attrsClass.getMethod("getAttribute", attrClass).invoke(attrs, key.get(null));
      assertEquals(null, record);
    }
  }

  @Test void theGlobalRegistrationFileNamesOnlyOurInterceptor() throws Exception {
    try (var in = getClass().getClassLoader()
        .getResourceAsStream("software/amazon/awssdk/global/handlers/execution.interceptors")) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals("dev.llmobs.bedrock.LlmObsBedrockInterceptor\n", text, "one class name, no comment, no BOM");
      assertFalse(text.startsWith("\uFEFF"));
    }
  }
}
