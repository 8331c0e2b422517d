package dev.llmobs.examples.cdk;

import dev.llmobs.cdk.LLMObsInstrumentation;
import dev.llmobs.cdk.LLMObsLayer;
import dev.llmobs.cdk.LLMObsProps;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretAttributes;
import software.constructs.Construct;

/**
 * The layer and the five examples, as {@code sam-template.yaml} deploys them: the same parameters, functions,
 * handlers, environment, layers and grants (a test holds the two side by side). Spans go through the Datadog Lambda
 * extension, which reads the API key from Secrets Manager.
 */
public final class ExamplesStack extends Stack {

  /** @param repo the repository's root: the layer and function zips are taken from its build output */
  public ExamplesStack(Construct scope, String id, Path repo) {
    super(scope, id);
    CfnParameter site = CfnParameter.Builder.create(this, "DdSite").defaultValue("datadoghq.com")
        .allowedValues(List.of("datadoghq.com", "datadoghq.eu", "us3.datadoghq.com", "us5.datadoghq.com",
            "ap1.datadoghq.com", "ap2.datadoghq.com"))
        .description("Datadog site of your account.").build();
    CfnParameter mlApp = CfnParameter.Builder.create(this, "MlApp").defaultValue("claims-assistant")
        .allowedPattern("[a-z0-9_:./-]{1,193}").description("ml_app the spans are grouped under").build();
    CfnParameter secretArn = CfnParameter.Builder.create(this, "DdApiKeySecretArn")
        .allowedPattern("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+")
        .description("ARN of the Secrets Manager secret that holds the Datadog API key. There is no default, on purpose.")
        .build();
    CfnParameter extensionArn = CfnParameter.Builder.create(this, "DatadogExtensionLayerArn")
        .description("The Datadog Lambda extension layer for your region and architecture").build();
    CfnParameter anthropicKeyArn = CfnParameter.Builder.create(this, "AnthropicApiKeySecretArn")
        .allowedPattern("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+")
        .description("ARN of the Secrets Manager secret that holds the Anthropic API key (example 5). No default, on purpose.")
        .build();
    CfnParameter modelId = CfnParameter.Builder.create(this, "ModelId")
        .defaultValue("us.anthropic.claude-3-5-haiku-20241022-v1:0")
        .description("Bedrock model (or inference profile) the examples call.").build();
    CfnParameter knowledgeBaseId = CfnParameter.Builder.create(this, "KnowledgeBaseId").defaultValue("")
        .description("Bedrock Knowledge Base example 1 retrieves policy clauses from (empty - clauses searched in code).").build();
    CfnParameter guardrailId = CfnParameter.Builder.create(this, "GuardrailId").defaultValue("")
        .description("Bedrock guardrail example 1 checks each question with (empty - no check).").build();
    CfnParameter guardrailVersion = CfnParameter.Builder.create(this, "GuardrailVersion").defaultValue("DRAFT")
        .description("Version of that guardrail.").build();

    LLMObsLayer layer = new LLMObsLayer(this, "LlmObs", repo.resolve("layer/target/llmobs-lambda-layer.zip").toString());
    ILayerVersion extension = LLMObsLayer.fromArn(this, "DatadogExtension", extensionArn.getValueAsString());
    ISecret apiKey = Secret.fromSecretAttributes(this, "DdApiKey",
        SecretAttributes.builder().secretCompleteArn(secretArn.getValueAsString()).build());
    String code = repo.resolve("examples/target/llmobs-examples-function.zip").toString();

    // Example 1: RAG-style assistant, adopting through the base class (TracedRequestHandler).
    Function claims = function("ClaimsAssistantFunction", "dev.llmobs.examples.ClaimsAssistant",
        "Claims assistant (base-class adoption), a guardrail, a Knowledge Base, Bedrock Converse and a tool", code,
        modelId.getValueAsString());
    claims.addEnvironment("KNOWLEDGE_BASE_ID", knowledgeBaseId.getValueAsString());
    claims.addEnvironment("GUARDRAIL_ID", guardrailId.getValueAsString());
    claims.addEnvironment("GUARDRAIL_VERSION", guardrailVersion.getValueAsString());
    claims.addToRolePolicy(bedrock("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:Retrieve",
        "bedrock:ApplyGuardrail"));
    LLMObsInstrumentation.instrument(claims, props(layer, extension, apiKey, site, mlApp).wrappedInCode(true).build());

    // Example 2: a plain RequestHandler traced with zero code, through the layer's exec wrapper.
    Function plain = function("PlainFunction", "dev.llmobs.examples.PlainHandler",
        "Plain RequestHandler traced with zero code (exec wrapper)", code, "amazon.nova-micro-v1:0");
    plain.addToRolePolicy(bedrock("bedrock:InvokeModel"));
    LLMObsInstrumentation.instrument(plain, props(layer, extension, apiKey, site, mlApp).build());

    // Example 3: manual spans and evaluations, adopting through LLMObsLambda.wrap(...).
    Function evaluated = function("EvaluatedAnswerFunction", "dev.llmobs.examples.EvaluatedAnswer",
        "Manual spans and an evaluation submitted from code (wrap adoption)", code, modelId.getValueAsString());
    LLMObsInstrumentation.instrument(evaluated, props(layer, extension, apiKey, site, mlApp).wrappedInCode(true).build());

    // Example 4: a LangChain4j AI Service over Bedrock (agent, retrieval, tool), the handler traced with zero code.
    Function agent = function("ClaimsAgentFunction", "dev.llmobs.examples.ClaimsAgent",
        "LangChain4j AI Service over Bedrock with a retriever and a tool (exec wrapper)", code, modelId.getValueAsString());
    agent.addToRolePolicy(bedrock("bedrock:InvokeModel"));
    LLMObsInstrumentation.instrument(agent, props(layer, extension, apiKey, site, mlApp).build());

    // Example 5: the Anthropic Java SDK called directly, the client traced by LLMObsAnthropic.wrap (one line), the
    // handler by LLMObsLambda.wrap. The key is resolved from Secrets Manager at deployment: never in the template.
    Function triage = function("ClaimsTriageFunction", "dev.llmobs.examples.ClaimsTriage",
        "Claims triage with the Anthropic Java SDK (a Messages call, a tool, the answer)", code, modelId.getValueAsString());
    triage.addEnvironment("ANTHROPIC_API_KEY",
        Fn.sub("{{resolve:secretsmanager:${" + anthropicKeyArn.getLogicalId() + "}:SecretString}}"));
    triage.addEnvironment("MODEL", "claude-sonnet-4-5");
    LLMObsInstrumentation.instrument(triage, props(layer, extension, apiKey, site, mlApp).wrappedInCode(true).build());

    // Example 6: the claims tools as a stateless MCP server behind an IAM-authorized function URL, and an agent that
    // calls them (its MCP requests signed with SigV4, its trace context in each request's _meta and headers).
    Function tools = function("ClaimsToolsServerFunction", "dev.llmobs.examples.ClaimsToolsServer",
        "The claims tools as a stateless MCP server (streamable HTTP) behind a function URL", code,
        modelId.getValueAsString());
    FunctionUrl toolsUrl = tools.addFunctionUrl(FunctionUrlOptions.builder().authType(FunctionUrlAuthType.AWS_IAM).build());
    LLMObsInstrumentation.instrument(tools, props(layer, extension, apiKey, site, mlApp).wrappedInCode(true).build());
    tools.addEnvironment("DD_LLMOBS_ML_APP", "claims-tools"); // the server's own ml_app
    Function mcpAgent = function("ClaimsMcpAgentFunction", "dev.llmobs.examples.ClaimsMcpAgent",
        "An agent taking its tools from the claims MCP server, answering with Bedrock Converse", code,
        modelId.getValueAsString());
    mcpAgent.addEnvironment("MCP_SERVER_URL", toolsUrl.getUrl());
    mcpAgent.addToRolePolicy(bedrock("bedrock:InvokeModel"));
    toolsUrl.grantInvokeUrl(mcpAgent);
    tools.grantInvoke(mcpAgent);
    LLMObsInstrumentation.instrument(mcpAgent, props(layer, extension, apiKey, site, mlApp).wrappedInCode(true).build());

    CfnOutput.Builder.create(this, "LayerArn").value(layer.layer().getLayerVersionArn())
        .description("ARN of the llmobs-lambda layer version").build();
    CfnOutput.Builder.create(this, "ClaimsAssistantFunctionArn").value(claims.getFunctionArn()).build();
    CfnOutput.Builder.create(this, "PlainFunctionArn").value(plain.getFunctionArn()).build();
    CfnOutput.Builder.create(this, "EvaluatedAnswerFunctionArn").value(evaluated.getFunctionArn()).build();
    CfnOutput.Builder.create(this, "ClaimsAgentFunctionArn").value(agent.getFunctionArn()).build();
    CfnOutput.Builder.create(this, "ClaimsTriageFunctionArn").value(triage.getFunctionArn()).build();
    CfnOutput.Builder.create(this, "ClaimsToolsServerUrl").value(toolsUrl.getUrl()).build();
    CfnOutput.Builder.create(this, "ClaimsMcpAgentFunctionArn").value(mcpAgent.getFunctionArn()).build();
  }

  private Function function(String id, String handler, String description, String code, String model) {
    Function fn = Function.Builder.create(this, id).runtime(Runtime.JAVA_21).architecture(Architecture.X86_64)
        .memorySize(1024).timeout(Duration.seconds(30)).code(Code.fromAsset(code)).handler(handler)
        .description(description).build();
    fn.addEnvironment("MODEL_ID", model);
    return fn;
  }

  private static PolicyStatement bedrock(String... actions) {
    return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(List.of(actions)).resources(List.of("*")).build();
  }

  private static LLMObsProps.Builder props(LLMObsLayer layer, ILayerVersion extension, ISecret apiKey,
      CfnParameter site, CfnParameter mlApp) {
    return LLMObsProps.builder().layer(layer.layer()).datadogExtension(extension).apiKey(apiKey)
        .site(site.getValueAsString()).mlApp(mlApp.getValueAsString());
  }
}
