// The examples' CDK app in TypeScript (the CDK's most used language): the same stack as the Java app beside it
// (src/main/java/.../ExamplesStack.java) and as sam-template.yaml; a test holds the three side by side.
// `npm install && npm run build && npx cdk synth --app "node build/app.js"` (after `mvn -B install -DskipTests`).
import * as path from 'node:path';
import { App, CfnOutput, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LLMObsInstrumentation, LLMObsLayer, LLMObsProps } from '@llmobs/lambda-cdk';

export class ExamplesStack extends Stack {
  constructor(scope: Construct, id: string, repo: string) {
    super(scope, id);
    const site = new CfnParameter(this, 'DdSite', {
      default: 'datadoghq.com',
      allowedValues: ['datadoghq.com', 'datadoghq.eu', 'us3.datadoghq.com', 'us5.datadoghq.com', 'ap1.datadoghq.com', 'ap2.datadoghq.com'],
      description: 'Datadog site of your account.',
    });
    const mlApp = new CfnParameter(this, 'MlApp', {
      default: 'claims-assistant', allowedPattern: '[a-z0-9_:./-]{1,193}', description: 'ml_app the spans are grouped under',
    });
    const secretArn = new CfnParameter(this, 'DdApiKeySecretArn', {
      allowedPattern: 'arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+',
      description: 'ARN of the Secrets Manager secret that holds the Datadog API key. There is no default, on purpose.',
    });
    const extensionArn = new CfnParameter(this, 'DatadogExtensionLayerArn', {
      description: 'The Datadog Lambda extension layer for your region and architecture',
    });
    const anthropicKeyArn = new CfnParameter(this, 'AnthropicApiKeySecretArn', {
      allowedPattern: 'arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+',
      description: 'ARN of the Secrets Manager secret that holds the Anthropic API key (example 5). No default, on purpose.',
    });
    const modelId = new CfnParameter(this, 'ModelId', {
      default: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', description: 'Bedrock model (or inference profile) the examples call.',
    });
    const knowledgeBaseId = new CfnParameter(this, 'KnowledgeBaseId', {
      default: '', description: 'Bedrock Knowledge Base example 1 retrieves policy clauses from (empty - clauses searched in code).',
    });
    const guardrailId = new CfnParameter(this, 'GuardrailId', {
      default: '', description: 'Bedrock guardrail example 1 checks each question with (empty - no check).',
    });
    const guardrailVersion = new CfnParameter(this, 'GuardrailVersion', { default: 'DRAFT', description: 'Version of that guardrail.' });

    const layer = new LLMObsLayer(this, 'LlmObs', path.join(repo, 'layer/target/llmobs-lambda-layer.zip'));
    const extension = LLMObsLayer.fromArn(this, 'DatadogExtension', extensionArn.valueAsString);
    const apiKey = secretsmanager.Secret.fromSecretAttributes(this, 'DdApiKey', { secretCompleteArn: secretArn.valueAsString });
    const code = path.join(repo, 'examples/target/llmobs-examples-function.zip');
    const props = (more: Partial<LLMObsProps> = {}): LLMObsProps => ({
      layer: layer.layer(), datadogExtension: extension, apiKey, site: site.valueAsString, mlApp: mlApp.valueAsString, ...more,
    });
    const fn = (id: string, handler: string, description: string, model: string): lambda.Function => {
      const f = new lambda.Function(this, id, {
        runtime: lambda.Runtime.JAVA_21, architecture: lambda.Architecture.X86_64, memorySize: 1024,
        timeout: Duration.seconds(30), code: lambda.Code.fromAsset(code), handler, description,
      });
      f.addEnvironment('MODEL_ID', model);
      return f;
    };
    const bedrock = (...actions: string[]) => new iam.PolicyStatement({ effect: iam.Effect.ALLOW, actions, resources: ['*'] });

    // Example 1: RAG-style assistant, adopting through the base class (TracedRequestHandler).
    const claims = fn('ClaimsAssistantFunction', 'dev.llmobs.examples.ClaimsAssistant',
      'Claims assistant (base-class adoption), a guardrail, a Knowledge Base, Bedrock Converse and a tool', modelId.valueAsString);
    claims.addEnvironment('KNOWLEDGE_BASE_ID', knowledgeBaseId.valueAsString);
    claims.addEnvironment('GUARDRAIL_ID', guardrailId.valueAsString);
    claims.addEnvironment('GUARDRAIL_VERSION', guardrailVersion.valueAsString);
    claims.addToRolePolicy(bedrock('bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Retrieve', 'bedrock:ApplyGuardrail'));
    LLMObsInstrumentation.instrument(claims, props({ wrappedInCode: true }));

    // Example 2: a plain RequestHandler traced with zero code, through the layer's exec wrapper.
    const plain = fn('PlainFunction', 'dev.llmobs.examples.PlainHandler', 'Plain RequestHandler traced with zero code (exec wrapper)',
      'amazon.nova-micro-v1:0');
    plain.addToRolePolicy(bedrock('bedrock:InvokeModel'));
    LLMObsInstrumentation.instrument(plain, props());

    // Example 3: manual spans and evaluations, adopting through LLMObsLambda.wrap(...).
    const evaluated = fn('EvaluatedAnswerFunction', 'dev.llmobs.examples.EvaluatedAnswer',
      'Manual spans and an evaluation submitted from code (wrap adoption)', modelId.valueAsString);
    LLMObsInstrumentation.instrument(evaluated, props({ wrappedInCode: true }));

    // Example 4: a LangChain4j AI Service over Bedrock (agent, retrieval, tool), the handler traced with zero code.
    const agent = fn('ClaimsAgentFunction', 'dev.llmobs.examples.ClaimsAgent',
      'LangChain4j AI Service over Bedrock with a retriever and a tool (exec wrapper)', modelId.valueAsString);
    agent.addToRolePolicy(bedrock('bedrock:InvokeModel'));
    LLMObsInstrumentation.instrument(agent, props());

    // Example 5: the Anthropic Java SDK called directly; the key is resolved from Secrets Manager at deployment.
    const triage = fn('ClaimsTriageFunction', 'dev.llmobs.examples.ClaimsTriage',
      'Claims triage with the Anthropic Java SDK (a Messages call, a tool, the answer)', modelId.valueAsString);
    triage.addEnvironment('ANTHROPIC_API_KEY', Fn.sub(`{{resolve:secretsmanager:\${${anthropicKeyArn.logicalId}}:SecretString}}`));
    triage.addEnvironment('MODEL', 'claude-sonnet-4-5');
    LLMObsInstrumentation.instrument(triage, props({ wrappedInCode: true }));

    // Example 6: the claims tools as a stateless MCP server behind an IAM-authorized function URL, and an agent that
    // calls them (its MCP requests signed with SigV4, its trace context in each request's _meta and headers).
    const tools = fn('ClaimsToolsServerFunction', 'dev.llmobs.examples.ClaimsToolsServer',
      'The claims tools as a stateless MCP server (streamable HTTP) behind a function URL', modelId.valueAsString);
    const toolsUrl = tools.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    LLMObsInstrumentation.instrument(tools, props({ wrappedInCode: true }));
    tools.addEnvironment('DD_LLMOBS_ML_APP', 'claims-tools'); // the server's own ml_app
    const mcpAgent = fn('ClaimsMcpAgentFunction', 'dev.llmobs.examples.ClaimsMcpAgent',
      'An agent taking its tools from the claims MCP server, answering with Bedrock Converse', modelId.valueAsString);
    mcpAgent.addEnvironment('MCP_SERVER_URL', toolsUrl.url);
    mcpAgent.addToRolePolicy(bedrock('bedrock:InvokeModel'));
    toolsUrl.grantInvokeUrl(mcpAgent);
    tools.grantInvoke(mcpAgent);
    LLMObsInstrumentation.instrument(mcpAgent, props({ wrappedInCode: true }));

    new CfnOutput(this, 'LayerArn', { value: layer.layer().layerVersionArn, description: 'ARN of the llmobs-lambda layer version' });
    new CfnOutput(this, 'ClaimsAssistantFunctionArn', { value: claims.functionArn });
    new CfnOutput(this, 'PlainFunctionArn', { value: plain.functionArn });
    new CfnOutput(this, 'EvaluatedAnswerFunctionArn', { value: evaluated.functionArn });
    new CfnOutput(this, 'ClaimsAgentFunctionArn', { value: agent.functionArn });
    new CfnOutput(this, 'ClaimsTriageFunctionArn', { value: triage.functionArn });
    new CfnOutput(this, 'ClaimsToolsServerUrl', { value: toolsUrl.url });
    new CfnOutput(this, 'ClaimsMcpAgentFunctionArn', { value: mcpAgent.functionArn });
  }
}

// `node build/app.js [outdir]`: synthesizes into outdir (cdk.out by default); the repository is two levels up.
const app = new App({ outdir: process.argv[2] ?? 'cdk.out' });
new ExamplesStack(app, 'LlmObsExamples', path.resolve(__dirname, '../../../..'));
app.synth();
