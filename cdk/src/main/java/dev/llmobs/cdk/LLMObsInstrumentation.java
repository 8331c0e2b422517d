package dev.llmobs.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.RuntimeFamily;
import software.constructs.IValidation;

/**
 * Instruments a Java function with llmobs-lambda in one call, making the choices {@code sam-template.yaml} makes:
 * <pre>{@code
 * LLMObsLayer layer = new LLMObsLayer(this, "LlmObs", "../layer/target/llmobs-lambda-layer.zip");
 * LLMObsInstrumentation.instrument(myFunction, LLMObsProps.builder().layer(layer.layer())
 *     .extension(datadogExtensionLayer, apiKeySecret).mlApp("claims-assistant").build());
 * }</pre>
 * Refuses, when called or at synth, what cannot work: a runtime that is not Java or older than java17 (the layer's
 * bytecode is Java 17), and an API key in the function's environment as plain text.
 */
public final class LLMObsInstrumentation {
  private LLMObsInstrumentation() {}

  /**
   * A function this stack does not define (imported by ARN or name) cannot be instrumented here: its layers,
   * environment and role belong to the stack that defines it. Says so, at once, with what to do instead.
   */
  public static void instrument(IFunction function, LLMObsProps props) {
    if (function instanceof Function) {
      instrument((Function) function, props);
      return;
    }
    throw new IllegalArgumentException("llmobs-lambda: " + function.getNode().getPath() + " is not defined in this "
        + "stack (imported by ARN or name): its layers, environment variables and role belong to the stack that "
        + "defines it. Instrument it there, or add the layer, DD_LLMOBS_ML_APP, the route's variables and the "
        + "secret's grant to it where it is defined");
  }

  /** What a function was instrumented with, kept on it so that a second call can be judged. */
  static final class Instrumented extends software.constructs.Construct {
    final String settings;

    Instrumented(software.constructs.Construct scope, String settings) {
      super(scope, "LLMObsInstrumented");
      this.settings = settings;
    }
  }

  /** Adds the layers, environment and grants to {@code function}. */
  public static void instrument(Function function, LLMObsProps props) {
    Runtime runtime = function.getRuntime();
    String name = function.getNode().getPath();
    if ("FROM_IMAGE".equals(runtime.getName())) {
      throw new IllegalArgumentException("llmobs-lambda: " + name + " is a container image, which takes no layers. "
          + "Add these lines to its Dockerfile instead (the layer zip from layer/target/llmobs-lambda-layer.zip, "
          + "unzipped beside it):\n  COPY llmobs-lambda-layer/ /opt/\n"
          + "  ENV AWS_LAMBDA_EXEC_WRAPPER=/opt/llmobs-wrapper DD_LLMOBS_ML_APP=<your ml_app>\n"
          + "and the Datadog extension's own lines, or DD_LLMOBS_AGENTLESS_ENABLED=true with the key from a secret");
    }
    String settings = settings(props);
    Object earlier = function.getNode().tryFindChild("LLMObsInstrumented");
    if (earlier instanceof Instrumented) {
      if (((Instrumented) earlier).settings.equals(settings)) return; // the same call twice: done already
      throw new IllegalArgumentException("llmobs-lambda: " + name + " is instrumented already ("
          + ((Instrumented) earlier).settings + "); instrumenting it again with other settings (" + settings
          + ") would leave both on one function. Instrument it once");
    }
    if (runtime.getFamily() != RuntimeFamily.JAVA) {
      throw new IllegalArgumentException("llmobs-lambda instruments Java functions; " + name + " runs " + runtime.getName());
    }
    if (!supported(runtime.getName())) {
      throw new IllegalArgumentException("llmobs-lambda needs java17 or newer (its bytecode is Java 17); " + name
          + " runs " + runtime.getName());
    }
    if (props.route == LLMObsProps.Route.EXTENSION) checkArchitecture(function, props.datadogExtension);
    Object wrapper = environment(function).get("AWS_LAMBDA_EXEC_WRAPPER");
    if (props.zeroCode && wrapper != null && !"/opt/llmobs-wrapper".equals(wrapper)) {
      // Chaining another vendor's wrapper is not safe: each replaces the command line as it sees fit.
      throw new IllegalArgumentException("llmobs-lambda: " + name + " already has AWS_LAMBDA_EXEC_WRAPPER=" + wrapper
          + " (another tool's); Lambda runs one wrapper. Trace it in code instead: LLMObsProps wrappedInCode() and "
          + "LLMObsLambda.wrap(...) or a Traced handler base class");
    }
    new Instrumented(function, settings);
    function.addLayers(props.layer);
    set(function, "DD_LLMOBS_ML_APP", props.mlApp);
    set(function, "DD_SITE", props.site);
    set(function, "DD_SERVICE", props.service);
    set(function, "DD_ENV", props.env);
    set(function, "DD_VERSION", props.version);
    if (props.captureIo != null) set(function, "LLMOBS_CAPTURE_IO", props.captureIo.toString());
    if (props.flushTimeoutMillis != null) set(function, "LLMOBS_FLUSH_TIMEOUT_MS", props.flushTimeoutMillis.toString());
    if (props.zeroCode) set(function, "AWS_LAMBDA_EXEC_WRAPPER", "/opt/llmobs-wrapper");
    if (props.route == LLMObsProps.Route.EXTENSION) {
      function.addLayers(props.datadogExtension);
      set(function, "DD_API_KEY_SECRET_ARN", props.apiKey.getSecretArn());
      set(function, "DD_LLMOBS_AGENTLESS_ENABLED", "false");
      grantKey(function, props.apiKey);
    } else {
      set(function, "DD_LLMOBS_AGENTLESS_ENABLED", "true");
      set(function, "DD_API_KEY", props.apiKey.getSecretValue().unsafeUnwrap()); // a dynamic reference, resolved at deploy
    }
    function.getNode().addValidation(new NoPlainKey(function));
  }

  /**
   * Lets the extension read the key: {@code secretsmanager:GetSecretValue} on the secret's complete ARN, or, for a
   * secret named by name (no random suffix known), on the name with Secrets Manager's six-character suffix; and
   * {@code kms:Decrypt} on its customer key when it has one.
   */
  private static void grantKey(Function function, software.amazon.awscdk.services.secretsmanager.ISecret secret) {
    String arn = secret.getSecretFullArn() != null ? secret.getSecretFullArn() : secret.getSecretArn() + "-??????";
    function.addToRolePolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
        .actions(List.of("secretsmanager:GetSecretValue")).resources(List.of(arn)).build());
    if (secret.getEncryptionKey() != null) secret.getEncryptionKey().grantDecrypt(function);
  }

  /** The function's environment as the template will have it (values may be tokens). */
  private static Map<?, ?> environment(Function function) {
    CfnFunction cfn = (CfnFunction) function.getNode().getDefaultChild();
    Object resolved = Stack.of(function).resolve(cfn.getEnvironment());
    Object variables = resolved instanceof Map ? ((Map<?, ?>) resolved).get("variables") : null;
    if (variables == null && resolved instanceof Map) variables = ((Map<?, ?>) resolved).get("Variables");
    return variables instanceof Map ? (Map<?, ?>) variables : Map.of();
  }

  /** The choices a call makes, to tell a repeated call from a conflicting one. */
  private static String settings(LLMObsProps p) {
    return "route " + p.route + ", layer " + System.identityHashCode(p.layer)
        + (p.datadogExtension == null ? "" : ", extension " + System.identityHashCode(p.datadogExtension))
        + ", key " + System.identityHashCode(p.apiKey) + ", ml_app " + p.mlApp + ", site " + p.site + ", service "
        + p.service + ", env " + p.env + ", version " + p.version + ", capture " + p.captureIo + ", flush "
        + p.flushTimeoutMillis + ", zero code " + p.zeroCode;
  }

  /**
   * Datadog publishes the extension per architecture ({@code Datadog-Extension} for x86_64,
   * {@code Datadog-Extension-ARM} for arm64): one of the other kind would not start. Checked when the ARN is known at
   * synth (a parameter's value is not).
   */
  private static void checkArchitecture(Function function, ILayerVersion extension) {
    String arn = extension.getLayerVersionArn();
    if (arn == null || software.amazon.awscdk.Token.isUnresolved(arn)) return;
    boolean armLayer = arn.contains("Datadog-Extension-ARM");
    boolean armFunction = function.getArchitecture() != null
        && "arm64".equals(function.getArchitecture().getName());
    if (armLayer != armFunction) {
      throw new IllegalArgumentException("llmobs-lambda: " + function.getNode().getPath() + " runs on "
          + (armFunction ? "arm64" : "x86_64") + " but the Datadog extension layer " + arn + " is for "
          + (armLayer ? "arm64" : "x86_64") + "; use Datadog-Extension" + (armFunction ? "-ARM" : "") + " instead");
    }
  }

  private static boolean supported(String runtime) {
    if (!runtime.startsWith("java")) return false;
    String digits = runtime.substring(4).replaceAll("[^0-9].*$", "");
    return !digits.isEmpty() && Integer.parseInt(digits) >= 17;
  }

  private static void set(Function function, String key, String value) {
    if (value != null) function.addEnvironment(key, value);
  }

  /** At synth: an API key in the function's environment must be a dynamic reference, never a literal. */
  static final class NoPlainKey implements IValidation {
    private final Function function;

    NoPlainKey(Function function) {
      this.function = function;
    }

    @Override public List<String> validate() {
      List<String> problems = new ArrayList<>();
      Map<?, ?> variables = environment(function);
      {
        Object key = variables.get("DD_API_KEY");
        if (key instanceof String && !((String) key).startsWith("{{resolve:secretsmanager:")) {
          problems.add("llmobs-lambda: DD_API_KEY of " + function.getNode().getPath() + " is plain text in the template;"
              + " keep the key in Secrets Manager and use LLMObsProps extension(...) or agentless(secret)");
        }
      }
      return problems;
    }
  }
}
