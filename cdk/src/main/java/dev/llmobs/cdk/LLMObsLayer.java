package dev.llmobs.cdk;

import java.util.List;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.RuntimeFamily;
import software.constructs.Construct;

/**
 * The llmobs-lambda layer, built from {@code layer/target/llmobs-lambda-layer.zip} as an asset: the SDK, the handler
 * wrapper and the exec wrapper {@code /opt/llmobs-wrapper}, for java17, java21 and java25 on both architectures (as
 * {@code sam-template.yaml}'s {@code LlmObsLayer}). A published layer is used with {@link #fromArn} instead.
 */
public final class LLMObsLayer extends Construct {
  /** java25 by name: this CDK version has no constant for it yet. */
  public static final Runtime JAVA_25 = new Runtime("java25", RuntimeFamily.JAVA);
  /** The runtimes the layer's Java 17 bytecode runs on. */
  public static final List<Runtime> RUNTIMES = List.of(Runtime.JAVA_17, Runtime.JAVA_21, JAVA_25);

  private final LayerVersion layer;

  /** A layer version from the built zip ({@code mvn -B install -DskipTests} makes it). */
  public LLMObsLayer(Construct scope, String id, String layerZip) {
    super(scope, id);
    this.layer = LayerVersion.Builder.create(this, "Layer")
        .layerVersionName("llmobs-lambda")
        .description("llmobs-lambda SDK, handler wrapper and exec wrapper (/opt/llmobs-wrapper)")
        .code(Code.fromAsset(layerZip))
        .compatibleRuntimes(RUNTIMES)
        .compatibleArchitectures(List.of(Architecture.X86_64, Architecture.ARM_64))
        .license("Apache-2.0")
        // Kept on updates, as the SAM template's RetentionPolicy: Retain: functions still running use the old one.
        .removalPolicy(software.amazon.awscdk.RemovalPolicy.RETAIN)
        .build();
  }

  /** The layer version, to pass to {@link LLMObsProps.Builder#layer}. */
  public ILayerVersion layer() {
    return layer;
  }

  /** A published llmobs-lambda layer version, by its ARN. */
  public static ILayerVersion fromArn(Construct scope, String id, String layerVersionArn) {
    return LayerVersion.fromLayerVersionArn(scope, id, layerVersionArn);
  }
}
