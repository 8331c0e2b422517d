package dev.llmobs.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Function;
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

  /** Adds the layers, environment and grants to {@code function}. */
  public static void instrument(Function function, LLMObsProps props) {
    Runtime runtime = function.getRuntime();
    String name = function.getNode().getPath();
    if (runtime.getFamily() != RuntimeFamily.JAVA) {
      throw new IllegalArgumentException("llmobs-lambda instruments Java functions; " + name + " runs " + runtime.getName());
    }
    if (!supported(runtime.getName())) {
      throw new IllegalArgumentException("llmobs-lambda needs java17 or newer (its bytecode is Java 17); " + name
          + " runs " + runtime.getName());
    }
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
      function.addToRolePolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
          .actions(List.of("secretsmanager:GetSecretValue")).resources(List.of(props.apiKey.getSecretArn())).build());
    } else {
      set(function, "DD_LLMOBS_AGENTLESS_ENABLED", "true");
      set(function, "DD_API_KEY", props.apiKey.getSecretValue().unsafeUnwrap()); // a dynamic reference, resolved at deploy
    }
    function.getNode().addValidation(new NoPlainKey(function));
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
      CfnFunction cfn = (CfnFunction) function.getNode().getDefaultChild();
      Object resolved = Stack.of(function).resolve(cfn.getEnvironment());
      Object variables = resolved instanceof Map ? ((Map<?, ?>) resolved).get("variables") : null;
      if (variables == null && resolved instanceof Map) variables = ((Map<?, ?>) resolved).get("Variables");
      if (variables instanceof Map) {
        Object key = ((Map<?, ?>) variables).get("DD_API_KEY");
        if (key instanceof String && !((String) key).startsWith("{{resolve:secretsmanager:")) {
          problems.add("llmobs-lambda: DD_API_KEY of " + function.getNode().getPath() + " is plain text in the template;"
              + " keep the key in Secrets Manager and use LLMObsProps extension(...) or agentless(secret)");
        }
      }
      return problems;
    }
  }
}
