#!/usr/bin/env bash
# The npm package as a user gets it: packed, installed into a fresh TypeScript CDK app, which synthesizes a stack
# with an instrumented Java function. Run by the build (integration-test phase) after the TypeScript tests.
set -euo pipefail
cd "$(dirname "$0")/.."
out="target/package-test"
rm -rf "$out" && mkdir -p "$out/app"
tarball="$(npm pack --silent --pack-destination "$out" | tail -1)"
cd "$out/app"
cat > package.json <<JSON
{ "name": "fresh-cdk-app", "version": "0.0.0", "private": true,
  "dependencies": { "@llmobs/lambda-cdk": "file:../$tarball", "aws-cdk-lib": "2.220.0", "constructs": "10.8.1" },
  "devDependencies": { "typescript": "5.9.3", "@types/node": "20.9.5" } }
JSON
npm install --no-audit --no-fund --loglevel=error >/dev/null
mkdir -p code && printf 'PK\005\006\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' > code/function.zip
cp code/function.zip code/layer.zip
cat > app.ts <<'TS'
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { LLMObsInstrumentation, LLMObsLayer } from '@llmobs/lambda-cdk';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Fresh');
const fn = new lambda.Function(stack, 'Claims', {
  runtime: lambda.Runtime.JAVA_21, handler: 'com.example.Handler', code: lambda.Code.fromAsset('code/function.zip'),
});
LLMObsInstrumentation.instrument(fn, {
  layer: new LLMObsLayer(stack, 'LlmObs', 'code/layer.zip').layer(),
  datadogExtension: LLMObsLayer.fromArn(stack, 'Extension', 'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:77'),
  apiKey: secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'dd-api-key'),
  mlApp: 'claims-assistant',
});
app.synth();
TS
npx tsc --strict --esModuleInterop --skipLibCheck --module commonjs --target es2020 app.ts
node app.js
node -e '
  const t = require("./cdk.out/Fresh.template.json");
  const fn = Object.values(t.Resources).find(r => r.Type === "AWS::Lambda::Function");
  const env = fn.Properties.Environment.Variables;
  if (env.DD_LLMOBS_ML_APP !== "claims-assistant" || env.AWS_LAMBDA_EXEC_WRAPPER !== "/opt/llmobs-wrapper"
      || fn.Properties.Layers.length !== 2) { console.error("unexpected function:", JSON.stringify(fn)); process.exit(1); }
  if (!Object.values(t.Resources).some(r => r.Type === "AWS::Lambda::LayerVersion" && r.DeletionPolicy === "Retain")) {
    console.error("no retained layer"); process.exit(1);
  }
  console.log("package-installs: " + process.argv[1] + " installs into a fresh TypeScript CDK app, which synthesizes");
' "$tarball"
