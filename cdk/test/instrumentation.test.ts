// The construct from TypeScript, on real synthesized stacks (aws-cdk-lib/assertions): the same behaviour the Java
// tests check through the generated Java binding.
import { test, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { LLMObsInstrumentation, LLMObsLayer, LLMObsProps } from '../lib';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dd-api-key-AbCdEf';
const EXTENSION_ARN = 'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:77';

let dir: string, app: App, stack: Stack, secret: secretsmanager.ISecret, layer: LLMObsLayer | undefined,
  extension: lambda.ILayerVersion | undefined;

/** A zip with one entry: an asset for the code and the layer (what is in it does not matter to the template). */
function zip(name: string): string {
  // The smallest zip: an empty archive's end-of-central-directory record.
  const p = path.join(dir, name);
  fs.writeFileSync(p, new Uint8Array([0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  return p;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmobs-cdk-'));
  app = new App({ outdir: path.join(dir, 'cdk.out') }); // with no outdir, CDK leaves a directory in the temp dir
  stack = new Stack(app, 'Test');
  secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'DdKey', SECRET_ARN);
  layer = undefined;
  extension = undefined;
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function fn(id: string, runtime: lambda.Runtime, architecture?: lambda.Architecture): lambda.Function {
  return new lambda.Function(stack, id, { runtime, architecture, handler: 'dev.example.Handler', code: lambda.Code.fromAsset(zip(`${id}.zip`)) });
}

function ext(): lambda.ILayerVersion {
  return extension ??= LLMObsLayer.fromArn(stack, 'DatadogExtension', EXTENSION_ARN);
}

function props(more: Partial<LLMObsProps>): LLMObsProps {
  layer ??= new LLMObsLayer(stack, 'LlmObs', zip('layer.zip'));
  return { layer: layer.layer(), apiKey: secret, mlApp: 'claims-assistant', site: 'datadoghq.eu', ...more };
}

function only(t: Template, type: string): any {
  const found = Object.values(t.findResources(type));
  assert.equal(found.length, 1, type);
  return (found[0] as any).Properties;
}

function grants(t: Template): string[] {
  const out: string[] = [];
  for (const policy of Object.values(t.findResources('AWS::IAM::Policy')) as any[]) {
    for (const st of policy.Properties.PolicyDocument.Statement) {
      for (const a of [].concat(st.Action)) out.push(`${a} on ${JSON.stringify(st.Resource)}`);
    }
  }
  return out;
}

test('zero code through the extension makes the template\'s choices', () => {
  LLMObsInstrumentation.instrument(fn('Fn', lambda.Runtime.JAVA_21),
    props({ datadogExtension: ext(), service: 'claims-api', env: 'prod', version: '1.4.0' }));
  const t = Template.fromStack(stack);
  const f = only(t, 'AWS::Lambda::Function');
  assert.equal(f.Handler, 'dev.example.Handler');
  assert.deepEqual(f.Environment.Variables, {
    DD_LLMOBS_ML_APP: 'claims-assistant', DD_SITE: 'datadoghq.eu', DD_SERVICE: 'claims-api', DD_ENV: 'prod',
    DD_VERSION: '1.4.0', AWS_LAMBDA_EXEC_WRAPPER: '/opt/llmobs-wrapper', DD_API_KEY_SECRET_ARN: SECRET_ARN,
    DD_LLMOBS_AGENTLESS_ENABLED: 'false',
  });
  assert.equal(f.Layers.length, 2);
  assert.equal(f.Layers[1], EXTENSION_ARN);
  assert.ok(grants(t).includes(`secretsmanager:GetSecretValue on "${SECRET_ARN}"`), grants(t).join());
});

test('our layer is for java17 to java25 on both architectures, kept on updates', () => {
  LLMObsInstrumentation.instrument(fn('Fn', lambda.Runtime.JAVA_17), props({ datadogExtension: ext() }));
  const t = Template.fromStack(stack);
  const l = only(t, 'AWS::Lambda::LayerVersion');
  assert.deepEqual(l.CompatibleRuntimes, ['java17', 'java21', 'java25']);
  assert.deepEqual(l.CompatibleArchitectures, ['x86_64', 'arm64']);
  const resource = Object.values(t.findResources('AWS::Lambda::LayerVersion'))[0] as any;
  assert.equal(resource.DeletionPolicy, 'Retain');
  assert.equal(resource.UpdateReplacePolicy, 'Retain');
});

test('a function that wraps in code keeps its handler and gets no exec wrapper', () => {
  LLMObsInstrumentation.instrument(fn('Fn', LLMObsLayer.JAVA_25),
    props({ datadogExtension: ext(), wrappedInCode: true, captureIo: false, flushTimeoutMillis: 500 }));
  const env = only(Template.fromStack(stack), 'AWS::Lambda::Function').Environment.Variables;
  assert.equal(env.AWS_LAMBDA_EXEC_WRAPPER, undefined);
  assert.equal(env.LLMOBS_CAPTURE_IO, 'false');
  assert.equal(env.LLMOBS_FLUSH_TIMEOUT_MS, '500');
});

test('agentless reads the key through a dynamic reference, never a plain value', () => {
  LLMObsInstrumentation.instrument(fn('Fn', lambda.Runtime.JAVA_21), props({ agentless: true }));
  const f = only(Template.fromStack(stack), 'AWS::Lambda::Function');
  assert.equal(f.Environment.Variables.DD_LLMOBS_AGENTLESS_ENABLED, 'true');
  assert.equal(f.Environment.Variables.DD_API_KEY, `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:::}}`);
  assert.equal(f.Layers.length, 1);
});

test('a published layer is used by its ARN', () => {
  const published = LLMObsLayer.fromArn(stack, 'Published', 'arn:aws:lambda:eu-west-1:123456789012:layer:llmobs-lambda:3');
  LLMObsInstrumentation.instrument(fn('Fn', lambda.Runtime.JAVA_21),
    { layer: published, datadogExtension: ext(), apiKey: secret });
  const t = Template.fromStack(stack);
  assert.deepEqual(only(t, 'AWS::Lambda::Function').Layers,
    ['arn:aws:lambda:eu-west-1:123456789012:layer:llmobs-lambda:3', EXTENSION_ARN]);
  assert.equal(Object.keys(t.findResources('AWS::Lambda::LayerVersion')).length, 0);
});

test('refuses a runtime that is not Java, and Java older than 17', () => {
  assert.throws(() => LLMObsInstrumentation.instrument(fn('Py', lambda.Runtime.PYTHON_3_12), props({ agentless: true })),
    /instruments Java functions.*python3\.12/);
  assert.throws(() => LLMObsInstrumentation.instrument(fn('Old', lambda.Runtime.JAVA_11), props({ agentless: true })),
    /needs java17 or newer/);
});

test('refuses two routes or none', () => {
  assert.throws(() => LLMObsInstrumentation.instrument(fn('Both', lambda.Runtime.JAVA_21),
    props({ datadogExtension: ext(), agentless: true })), /not both/);
  assert.throws(() => LLMObsInstrumentation.instrument(fn('None', lambda.Runtime.JAVA_21), props({})), /choose a route/);
});

test('a plain text key in the function\'s environment fails the synth', () => {
  const f = fn('Fn', lambda.Runtime.JAVA_21);
  LLMObsInstrumentation.instrument(f, props({ datadogExtension: ext() }));
  f.addEnvironment('DD_API_KEY', '0123456789abcdef0123456789abcdef');
  assert.throws(() => app.synth(), /DD_API_KEY of Test\/Fn is plain text/);
});

test('instrumenting twice with the same settings is done once, with other settings refused', () => {
  const f = fn('Fn', lambda.Runtime.JAVA_21);
  const once = props({ datadogExtension: ext() });
  LLMObsInstrumentation.instrument(f, once);
  LLMObsInstrumentation.instrument(f, once);
  assert.equal(only(Template.fromStack(stack), 'AWS::Lambda::Function').Layers.length, 2);
  assert.throws(() => LLMObsInstrumentation.instrument(f, props({ agentless: true })), /is instrumented already.*route extension/);
});

test('the extension layer\'s architecture must be the function\'s', () => {
  const arm = fn('Arm', lambda.Runtime.JAVA_21, lambda.Architecture.ARM_64);
  assert.throws(() => LLMObsInstrumentation.instrument(arm, props({ datadogExtension: ext() })), /runs on arm64.*Datadog-Extension-ARM/);
  const armExt = LLMObsLayer.fromArn(stack, 'ArmExt', 'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension-ARM:77');
  LLMObsInstrumentation.instrument(arm, props({ datadogExtension: armExt }));
  assert.throws(() => LLMObsInstrumentation.instrument(fn('X86', lambda.Runtime.JAVA_21), props({ datadogExtension: armExt })),
    /runs on x86_64/);
});

test('a container image is refused with the lines for its Dockerfile', () => {
  const image = new lambda.DockerImageFunction(stack, 'Image', {
    code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'claims')),
  });
  assert.throws(() => LLMObsInstrumentation.instrument(image, props({ datadogExtension: ext() })),
    /container image[\s\S]*COPY llmobs-lambda-layer\/ \/opt\/[\s\S]*AWS_LAMBDA_EXEC_WRAPPER=\/opt\/llmobs-wrapper/);
});

test('a function this stack does not define is refused with what to do', () => {
  const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:123456789012:function:claims');
  assert.throws(() => LLMObsInstrumentation.instrument(imported, props({ datadogExtension: ext() })),
    /is not defined in this stack[\s\S]*Instrument it there/);
});

test('a secret named by name is granted with its random suffix', () => {
  const byName = secretsmanager.Secret.fromSecretNameV2(stack, 'ByName', 'dd-api-key');
  LLMObsInstrumentation.instrument(fn('Fn', lambda.Runtime.JAVA_21), props({ datadogExtension: ext(), apiKey: byName }));
  const g = grants(Template.fromStack(stack)).join('\n');
  assert.match(g, /secretsmanager:GetSecretValue on .*secret:dd-api-key-\?\?\?\?\?\?/);
});

test('a secret under a customer key is granted the key\'s decrypt', () => {
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  const encrypted = secretsmanager.Secret.fromSecretAttributes(stack, 'Encrypted', { secretCompleteArn: SECRET_ARN, encryptionKey: key });
  LLMObsInstrumentation.instrument(fn('Fn', lambda.Runtime.JAVA_21), props({ datadogExtension: ext(), apiKey: encrypted }));
  const g = grants(Template.fromStack(stack)).join('\n');
  assert.match(g, /kms:Decrypt on "arn:aws:kms:eu-west-1:123456789012:key\/1234abcd/);
  assert.match(g, new RegExp(`secretsmanager:GetSecretValue on "${SECRET_ARN}"`));
});

test('another tool\'s exec wrapper is refused, not overwritten', () => {
  const f = fn('Fn', lambda.Runtime.JAVA_21);
  f.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', '/opt/otel-handler');
  assert.throws(() => LLMObsInstrumentation.instrument(f, props({ datadogExtension: ext() })),
    /already has AWS_LAMBDA_EXEC_WRAPPER=\/opt\/otel-handler/);
  LLMObsInstrumentation.instrument(f, props({ datadogExtension: ext(), wrappedInCode: true })); // in code: fine
});
