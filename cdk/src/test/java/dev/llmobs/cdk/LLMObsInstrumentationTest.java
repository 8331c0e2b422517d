package dev.llmobs.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** The construct on real synthesized stacks (CDK's own assertions on the template; no hand-built JSON). */
class LLMObsInstrumentationTest {
  static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dd-api-key-AbCdEf";
  static final String EXTENSION_ARN = "arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:77";

  @TempDir Path dir;
  Path code, layerZip;
  App app;
  Stack stack;
  ISecret secret;

  @BeforeEach void stack() throws IOException {
    code = zip("function.zip", "dev/example/Handler.class");
    layerZip = zip("layer.zip", "java/lib/llmobs-lambda.jar");
    // Synthesized into the test's own directory: an App with no outdir leaves a directory in /tmp for every test.
    app = new App(AppProps.builder().outdir(dir.resolve("cdk.out").toString()).build());
    stack = new Stack(app, "Test");
    secret = Secret.fromSecretCompleteArn(stack, "DdKey", SECRET_ARN);
  }

  Path zip(String name, String entry) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry(entry));
      z.write(new byte[] {1, 2, 3});
      z.closeEntry();
    }
    return p;
  }

  Function function(String id, Runtime runtime) {
    return Function.Builder.create(stack, id).runtime(runtime).handler("dev.example.Handler")
        .code(Code.fromAsset(code.toString())).build();
  }

  LLMObsLayer layer;
  ILayerVersion extension;

  /** Props over this stack's one llmobs layer (constructs are made once: ids are unique in a stack). */
  LLMObsProps.Builder props() {
    if (layer == null) layer = new LLMObsLayer(stack, "LlmObs", layerZip.toString());
    return LLMObsProps.builder().layer(layer.layer()).mlApp("claims-assistant").site("datadoghq.eu");
  }

  ILayerVersion extension() {
    if (extension == null) extension = LLMObsLayer.fromArn(stack, "DatadogExtension", EXTENSION_ARN);
    return extension;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> onlyResource(Template t, String type) {
    Map<String, Map<String, Object>> found = t.findResources(type);
    assertEquals(1, found.size(), type + ": " + found.keySet());
    return (Map<String, Object>) found.values().iterator().next().get("Properties");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> environment(Template t) {
    return (Map<String, Object>) ((Map<String, Object>) onlyResource(t, "AWS::Lambda::Function").get("Environment"))
        .get("Variables");
  }

  @Test void zeroCodeThroughTheExtensionMakesTheTemplatesChoices() {
    LLMObsInstrumentation.instrument(function("Fn", Runtime.JAVA_21),
        props().datadogExtension(extension()).apiKey(secret).service("claims-api").env("prod").version("1.4.0").build());
    Template t = Template.fromStack(stack);
    Map<String, Object> fn = onlyResource(t, "AWS::Lambda::Function");
    assertEquals("dev.example.Handler", fn.get("Handler"), "the handler is left alone: the exec wrapper redirects it");
    assertEquals(Map.of("DD_LLMOBS_ML_APP", "claims-assistant", "DD_SITE", "datadoghq.eu",
        "DD_SERVICE", "claims-api", "DD_ENV", "prod", "DD_VERSION", "1.4.0",
        "AWS_LAMBDA_EXEC_WRAPPER", "/opt/llmobs-wrapper", "DD_API_KEY_SECRET_ARN", SECRET_ARN,
        "DD_LLMOBS_AGENTLESS_ENABLED", "false"), environment(t));
    List<?> layers = (List<?>) fn.get("Layers");
    assertEquals(2, layers.size());
    assertEquals(EXTENSION_ARN, layers.get(1));
    assertTrue(layers.get(0).toString().contains("Ref"), "our layer, from this stack: " + layers.get(0));
    t.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", List.of(Map.of(
        "Action", "secretsmanager:GetSecretValue", "Effect", "Allow", "Resource", SECRET_ARN)))));
    assertFalse(t.toJSON().toString().contains("DD_API_KEY\""), "no key in the template");
  }

  @Test void ourLayerIsForJava17To25OnBothArchitectures() {
    LLMObsInstrumentation.instrument(function("Fn", Runtime.JAVA_17), props().datadogExtension(extension()).apiKey(secret).build());
    Map<String, Object> layer = onlyResource(Template.fromStack(stack), "AWS::Lambda::LayerVersion");
    assertEquals(List.of("java17", "java21", "java25"), layer.get("CompatibleRuntimes"));
    assertEquals(List.of("x86_64", "arm64"), layer.get("CompatibleArchitectures"));
    assertEquals("llmobs-lambda", layer.get("LayerName"));
  }

  @Test void aFunctionThatWrapsInCodeKeepsItsHandlerAndGetsNoExecWrapper() {
    LLMObsInstrumentation.instrument(function("Fn", LLMObsLayer.JAVA_25),
        props().datadogExtension(extension()).apiKey(secret).wrappedInCode(true).captureIo(false).flushTimeoutMillis(500).build());
    Map<String, Object> env = environment(Template.fromStack(stack));
    assertFalse(env.containsKey("AWS_LAMBDA_EXEC_WRAPPER"));
    assertEquals("false", env.get("LLMOBS_CAPTURE_IO"));
    assertEquals("500", env.get("LLMOBS_FLUSH_TIMEOUT_MS"));
  }

  @Test void agentlessReadsTheKeyThroughADynamicReferenceNeverAPlainValue() {
    LLMObsInstrumentation.instrument(function("Fn", Runtime.JAVA_21), props().agentless(true).apiKey(secret).build());
    Template t = Template.fromStack(stack);
    Map<String, Object> env = environment(t);
    assertEquals("true", env.get("DD_LLMOBS_AGENTLESS_ENABLED"));
    assertEquals("{{resolve:secretsmanager:" + SECRET_ARN + ":SecretString:::}}", env.get("DD_API_KEY"));
    assertEquals(1, ((List<?>) onlyResource(t, "AWS::Lambda::Function").get("Layers")).size(), "no extension");
  }

  @Test void aPublishedLayerIsUsedByItsArn() {
    ILayerVersion published = LLMObsLayer.fromArn(stack, "Published",
        "arn:aws:lambda:eu-west-1:123456789012:layer:llmobs-lambda:3");
    LLMObsInstrumentation.instrument(function("Fn", Runtime.JAVA_21),
        LLMObsProps.builder().layer(published).datadogExtension(extension()).apiKey(secret).build());
    Template t = Template.fromStack(stack);
    assertEquals(List.of("arn:aws:lambda:eu-west-1:123456789012:layer:llmobs-lambda:3", EXTENSION_ARN),
        onlyResource(t, "AWS::Lambda::Function").get("Layers"));
    assertTrue(t.findResources("AWS::Lambda::LayerVersion").isEmpty());
  }

  @Test void refusesARuntimeThatIsNotJava() {
    RuntimeException e = assertThrows(RuntimeException.class, () -> LLMObsInstrumentation.instrument(
        function("Py", Runtime.PYTHON_3_12), props().datadogExtension(extension()).apiKey(secret).build()));
    assertTrue(e.getMessage().contains("instruments Java functions") && e.getMessage().contains("python3.12"), e.getMessage());
  }

  @Test void refusesJavaOlderThanTheLayersBytecode() {
    for (Runtime old : List.of(Runtime.JAVA_8, Runtime.JAVA_8_CORRETTO, Runtime.JAVA_11)) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> LLMObsInstrumentation.instrument(
          function("Old" + old.getName().replace(".", ""), old), LLMObsProps.builder()
              .layer(LLMObsLayer.fromArn(stack, "L" + old.getName().replace(".", ""), "arn:aws:lambda:eu-west-1:1:layer:x:1"))
              .agentless(true).apiKey(secret).build()));
      assertTrue(e.getMessage().contains("needs java17 or newer"), e.getMessage());
    }
  }

  @Test void refusesTwoRoutesOrNone() {
    RuntimeException both = assertThrows(RuntimeException.class, () -> LLMObsInstrumentation.instrument(
        function("Both", Runtime.JAVA_21), props().datadogExtension(extension()).agentless(true).apiKey(secret).build()));
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    RuntimeException none = assertThrows(RuntimeException.class, () -> LLMObsInstrumentation.instrument(
        function("None", Runtime.JAVA_21), props().apiKey(secret).build()));
    assertTrue(none.getMessage().contains("choose a route"), none.getMessage());
    RuntimeException noLayer = assertThrows(RuntimeException.class,
        () -> LLMObsProps.builder().agentless(true).apiKey(secret).build());
    assertTrue(noLayer.getMessage().contains("layer"), "the generated builder names the missing property: "
        + noLayer.getMessage());
  }

  @Test void aPlainTextKeyInTheFunctionsEnvironmentFailsTheSynth() {
    Function fn = function("Fn", Runtime.JAVA_21);
    LLMObsInstrumentation.instrument(fn, props().datadogExtension(extension()).apiKey(secret).build());
    fn.addEnvironment("DD_API_KEY", "0123456789abcdef0123456789abcdef");
    RuntimeException e = assertThrows(RuntimeException.class, () -> app.synth());
    assertTrue(e.getMessage().contains("DD_API_KEY of Test/Fn is plain text"), e.getMessage());
  }

  @Test void instrumentingTwiceWithTheSameSettingsIsDoneOnceAndWithOtherSettingsIsRefused() {
    Function fn = function("Fn", Runtime.JAVA_21);
    LLMObsProps once = props().datadogExtension(extension()).apiKey(secret).build();
    LLMObsInstrumentation.instrument(fn, once);
    LLMObsInstrumentation.instrument(fn, once);
    Template t = Template.fromStack(stack);
    @SuppressWarnings("unchecked")
    List<Object> layers = (List<Object>) onlyResource(t, "AWS::Lambda::Function").get("Layers");
    assertEquals(2, layers.size(), "our layer and the extension, once each: " + layers);
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> LLMObsInstrumentation.instrument(fn, props().agentless(true).apiKey(secret).build()));
    assertTrue(e.getMessage().contains("is instrumented already") && e.getMessage().contains("route extension"), e.getMessage());
  }

  @Test void theLayerVersionIsKeptWhenTheStackIsUpdated() {
    props();
    Map<String, Map<String, Object>> layers = Template.fromStack(stack).findResources("AWS::Lambda::LayerVersion");
    assertEquals("Retain", layers.values().iterator().next().get("DeletionPolicy"));
    assertEquals("Retain", layers.values().iterator().next().get("UpdateReplacePolicy"));
  }

  @Test void theExtensionLayersArchitectureMustBeTheFunctions() {
    Function arm = Function.Builder.create(stack, "Arm").runtime(Runtime.JAVA_21).handler("dev.example.Handler")
        .architecture(software.amazon.awscdk.services.lambda.Architecture.ARM_64).code(Code.fromAsset(code.toString())).build();
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> LLMObsInstrumentation.instrument(arm, props().datadogExtension(extension()).apiKey(secret).build()));
    assertTrue(e.getMessage().contains("runs on arm64") && e.getMessage().contains("Datadog-Extension-ARM"), e.getMessage());
    ILayerVersion armExtension = LLMObsLayer.fromArn(stack, "ArmExt",
        "arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension-ARM:77");
    LLMObsInstrumentation.instrument(arm, props().datadogExtension(armExtension).apiKey(secret).build());
    RuntimeException x86 = assertThrows(RuntimeException.class, () -> LLMObsInstrumentation.instrument(
        function("X86", Runtime.JAVA_21), props().datadogExtension(armExtension).apiKey(secret).build()));
    assertTrue(x86.getMessage().contains("runs on x86_64"), x86.getMessage());
  }

  @Test void aContainerImageIsRefusedWithTheLinesForItsDockerfile() {
    software.amazon.awscdk.services.lambda.DockerImageFunction image = software.amazon.awscdk.services.lambda
        .DockerImageFunction.Builder.create(stack, "Image").code(software.amazon.awscdk.services.lambda.DockerImageCode
            .fromEcr(software.amazon.awscdk.services.ecr.Repository.fromRepositoryName(stack, "Repo", "claims"))).build();
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> LLMObsInstrumentation.instrument(image, props().datadogExtension(extension()).apiKey(secret).build()));
    assertTrue(e.getMessage().contains("container image") && e.getMessage().contains("COPY llmobs-lambda-layer/ /opt/")
        && e.getMessage().contains("AWS_LAMBDA_EXEC_WRAPPER=/opt/llmobs-wrapper"), e.getMessage());
  }

  @Test void aFunctionThisStackDoesNotDefineIsRefusedWithWhatToDo() {
    software.amazon.awscdk.services.lambda.IFunction imported = Function.fromFunctionArn(stack, "Imported",
        "arn:aws:lambda:eu-west-1:123456789012:function:claims");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> LLMObsInstrumentation.instrument(imported, props().datadogExtension(extension()).apiKey(secret).build()));
    assertTrue(e.getMessage().contains("is not defined in this stack") && e.getMessage().contains("Instrument it there"),
        e.getMessage());
  }

  /** Every (action, resource) the function's role is granted, resources rendered as the template has them. */
  @SuppressWarnings("unchecked")
  static List<String> grants(Template t) {
    List<String> out = new java.util.ArrayList<>();
    for (Map<String, Object> policy : t.findResources("AWS::IAM::Policy").values()) {
      Map<String, Object> doc = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument");
      for (Object st : (List<Object>) doc.get("Statement")) {
        Map<String, Object> m = (Map<String, Object>) st;
        Object actions = m.get("Action");
        for (Object a : actions instanceof List ? (List<Object>) actions : List.of(actions)) out.add(a + " on " + m.get("Resource"));
      }
    }
    return out;
  }

  @Test void aSecretNamedByNameIsGrantedWithItsRandomSuffix() {
    ISecret byName = Secret.fromSecretNameV2(stack, "ByName", "dd-api-key");
    LLMObsInstrumentation.instrument(function("Fn", Runtime.JAVA_21), props().datadogExtension(extension()).apiKey(byName).build());
    String grants = grants(Template.fromStack(stack)).toString();
    assertTrue(grants.contains("secretsmanager:GetSecretValue") && grants.contains("secret:dd-api-key-??????"), grants);
  }

  @Test void aSecretUnderACustomerKeyIsGrantedTheKeysDecrypt() {
    software.amazon.awscdk.services.kms.IKey key = software.amazon.awscdk.services.kms.Key.fromKeyArn(stack, "Key",
        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    ISecret encrypted = Secret.fromSecretAttributes(stack, "Encrypted",
        software.amazon.awscdk.services.secretsmanager.SecretAttributes.builder().secretCompleteArn(SECRET_ARN)
            .encryptionKey(key).build());
    LLMObsInstrumentation.instrument(function("Fn", Runtime.JAVA_21), props().datadogExtension(extension()).apiKey(encrypted).build());
    String grants = grants(Template.fromStack(stack)).toString();
    assertTrue(grants.contains("kms:Decrypt on arn:aws:kms:eu-west-1:123456789012:key/1234abcd"), grants);
    assertTrue(grants.contains("secretsmanager:GetSecretValue on " + SECRET_ARN), grants);
  }

  @Test void anotherToolsExecWrapperIsRefusedNotOverwritten() {
    Function fn = function("Fn", Runtime.JAVA_21);
    fn.addEnvironment("AWS_LAMBDA_EXEC_WRAPPER", "/opt/otel-handler");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> LLMObsInstrumentation.instrument(fn, props().datadogExtension(extension()).apiKey(secret).build()));
    assertTrue(e.getMessage().contains("already has AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-handler"), e.getMessage());
    LLMObsInstrumentation.instrument(fn, props().datadogExtension(extension()).apiKey(secret).wrappedInCode(true).build()); // in code: fine
  }
}
