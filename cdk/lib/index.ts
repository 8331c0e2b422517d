import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';

/**
 * How a function is instrumented: our layer, the route spans take, and the settings that become environment
 * variables. The route is the Datadog Lambda extension when `datadogExtension` is given (the extension reads the key
 * from `apiKey`), or straight to Datadog's intake with `agentless: true`; exactly one. There is no way to pass a plain
 * API key: the key is always a Secrets Manager secret.
 */
export interface LLMObsProps {
  /** Our layer: `new LLMObsLayer(...).layer()` or `LLMObsLayer.fromArn(...)`. */
  readonly layer: lambda.ILayerVersion;
  /**
   * The secret that holds the Datadog API key. On the extension route the function is granted its read (and its KMS
   * key's decrypt); agentless, it reaches the function as `DD_API_KEY` through a CloudFormation dynamic reference:
   * never in the template, but visible in the function's configuration to whoever may read it.
   */
  readonly apiKey: secretsmanager.ISecret;
  /** The Datadog Lambda extension layer for your region and architecture: spans go through it. */
  readonly datadogExtension?: lambda.ILayerVersion;
  /** Spans go straight to Datadog's intake, without the extension. Prefer the extension where it can run. */
  readonly agentless?: boolean;
  /** `DD_LLMOBS_ML_APP`. */
  readonly mlApp?: string;
  /** `DD_SITE`, e.g. `datadoghq.eu`. */
  readonly site?: string;
  /** `DD_SERVICE`. */
  readonly service?: string;
  /** `DD_ENV`. */
  readonly env?: string;
  /** `DD_VERSION`. */
  readonly version?: string;
  /** `LLMOBS_CAPTURE_IO`: false records no input or output. */
  readonly captureIo?: boolean;
  /** `LLMOBS_FLUSH_TIMEOUT_MS`: the cap of each invocation's flush, a positive whole number. */
  readonly flushTimeoutMillis?: number;
  /**
   * The function's code adopts tracing itself (a base class or `LLMObsLambda.wrap(...)`): the handler is left alone
   * and the exec wrapper is not set. By default (false) the layer's exec wrapper traces it with zero code.
   */
  readonly wrappedInCode?: boolean;
}

/** The route, once checked: exactly one of the two. */
function route(p: LLMObsProps): 'extension' | 'agentless' {
  if (p.datadogExtension !== undefined && p.agentless === true) {
    throw new Error('llmobs-lambda: choose one route, datadogExtension or agentless, not both');
  }
  if (p.datadogExtension === undefined && p.agentless !== true) {
    throw new Error('llmobs-lambda: choose a route: datadogExtension (with apiKey) or agentless: true (with apiKey)');
  }
  if (p.flushTimeoutMillis !== undefined && (!Number.isInteger(p.flushTimeoutMillis) || p.flushTimeoutMillis < 1)) {
    throw new Error(`llmobs-lambda: flushTimeoutMillis must be a positive whole number, was ${p.flushTimeoutMillis}`);
  }
  return p.datadogExtension !== undefined ? 'extension' : 'agentless';
}

/**
 * The llmobs-lambda layer, built from `layer/target/llmobs-lambda-layer.zip` as an asset: the SDK, the handler
 * wrapper and the exec wrapper `/opt/llmobs-wrapper`, for java17, java21 and java25 on both architectures (as
 * `sam-template.yaml`'s `LlmObsLayer`), kept on stack updates as the SAM template keeps it. A published layer is used
 * with `LLMObsLayer.fromArn` instead.
 */
export class LLMObsLayer extends Construct {
  /** java25 by name: this CDK version has no constant for it yet. */
  public static readonly JAVA_25 = new lambda.Runtime('java25', lambda.RuntimeFamily.JAVA);
  /** The runtimes the layer's Java 17 bytecode runs on. */
  public static readonly RUNTIMES = [lambda.Runtime.JAVA_17, lambda.Runtime.JAVA_21, LLMObsLayer.JAVA_25];

  /** A published llmobs-lambda layer version, by its ARN. */
  public static fromArn(scope: Construct, id: string, layerVersionArn: string): lambda.ILayerVersion {
    return lambda.LayerVersion.fromLayerVersionArn(scope, id, layerVersionArn);
  }

  private readonly version: lambda.LayerVersion;

  /** A layer version from the built zip (`mvn -B install -DskipTests` makes it). */
  constructor(scope: Construct, id: string, layerZip: string) {
    super(scope, id);
    this.version = new lambda.LayerVersion(this, 'Layer', {
      layerVersionName: 'llmobs-lambda',
      description: 'llmobs-lambda SDK, handler wrapper and exec wrapper (/opt/llmobs-wrapper)',
      code: lambda.Code.fromAsset(layerZip),
      compatibleRuntimes: LLMObsLayer.RUNTIMES,
      compatibleArchitectures: [lambda.Architecture.X86_64, lambda.Architecture.ARM_64],
      license: 'Apache-2.0',
      // Kept on updates, as the SAM template's RetentionPolicy: Retain: functions still running use the old one.
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
  }

  /** The layer version, for `LLMObsProps.layer`. */
  public layer(): lambda.ILayerVersion {
    return this.version;
  }
}

/** What a function was instrumented with, kept on it so that a second call can be judged. */
class Instrumented extends Construct {
  constructor(scope: Construct, public readonly settings: string) {
    super(scope, 'LLMObsInstrumented');
  }
}

/**
 * Instruments a Java function with llmobs-lambda in one call, making the choices `sam-template.yaml` makes. Refuses,
 * when called or at synth, what cannot work: a function this stack does not define, a container image (with the
 * Dockerfile lines to use instead), a runtime that is not Java or older than java17 (the layer's bytecode is Java 17),
 * another tool's exec wrapper, an extension layer of the other architecture, a second call with other settings, and an
 * API key in the function's environment as plain text.
 */
export class LLMObsInstrumentation {
  /** Adds the layers, environment and grants to `fn`. */
  public static instrument(fn: lambda.IFunction, props: LLMObsProps): void {
    if (!(fn instanceof lambda.Function)) {
      throw new Error(`llmobs-lambda: ${fn.node.path} is not defined in this stack (imported by ARN or name): its `
        + 'layers, environment variables and role belong to the stack that defines it. Instrument it there, or add '
        + "the layer, DD_LLMOBS_ML_APP, the route's variables and the secret's grant to it where it is defined");
    }
    const f = fn as lambda.Function;
    const runtime = f.runtime;
    const name = f.node.path;
    if (runtime.name === 'FROM_IMAGE') {
      throw new Error(`llmobs-lambda: ${name} is a container image, which takes no layers. Add these lines to its `
        + 'Dockerfile instead (the layer zip from layer/target/llmobs-lambda-layer.zip, unzipped beside it):\n'
        + '  COPY llmobs-lambda-layer/ /opt/\n'
        + '  ENV AWS_LAMBDA_EXEC_WRAPPER=/opt/llmobs-wrapper DD_LLMOBS_ML_APP=<your ml_app>\n'
        + "and the Datadog extension's own lines, or DD_LLMOBS_AGENTLESS_ENABLED=true with the key from a secret");
    }
    const via = route(props);
    const zeroCode = props.wrappedInCode !== true;
    const settings = describe(props, via);
    const earlier = f.node.tryFindChild('LLMObsInstrumented');
    if (earlier instanceof Instrumented) {
      if (earlier.settings === settings) return; // the same call twice: done already
      throw new Error(`llmobs-lambda: ${name} is instrumented already (${earlier.settings}); instrumenting it again `
        + `with other settings (${settings}) would leave both on one function. Instrument it once`);
    }
    if (runtime.family !== lambda.RuntimeFamily.JAVA) {
      throw new Error(`llmobs-lambda instruments Java functions; ${name} runs ${runtime.name}`);
    }
    if (!supported(runtime.name)) {
      throw new Error(`llmobs-lambda needs java17 or newer (its bytecode is Java 17); ${name} runs ${runtime.name}`);
    }
    if (via === 'extension') checkArchitecture(f, props.datadogExtension!);
    const wrapper = environment(f).AWS_LAMBDA_EXEC_WRAPPER;
    if (zeroCode && wrapper !== undefined && wrapper !== '/opt/llmobs-wrapper') {
      // Chaining another vendor's wrapper is not safe: each replaces the command line as it sees fit.
      throw new Error(`llmobs-lambda: ${name} already has AWS_LAMBDA_EXEC_WRAPPER=${wrapper} (another tool's); `
        + 'Lambda runs one wrapper. Trace it in code instead: LLMObsProps wrappedInCode and '
        + 'LLMObsLambda.wrap(...) or a Traced handler base class');
    }
    new Instrumented(f, settings);
    f.addLayers(props.layer);
    set(f, 'DD_LLMOBS_ML_APP', props.mlApp);
    set(f, 'DD_SITE', props.site);
    set(f, 'DD_SERVICE', props.service);
    set(f, 'DD_ENV', props.env);
    set(f, 'DD_VERSION', props.version);
    if (props.captureIo !== undefined) set(f, 'LLMOBS_CAPTURE_IO', String(props.captureIo));
    if (props.flushTimeoutMillis !== undefined) set(f, 'LLMOBS_FLUSH_TIMEOUT_MS', String(props.flushTimeoutMillis));
    if (zeroCode) set(f, 'AWS_LAMBDA_EXEC_WRAPPER', '/opt/llmobs-wrapper');
    if (via === 'extension') {
      f.addLayers(props.datadogExtension!);
      set(f, 'DD_API_KEY_SECRET_ARN', props.apiKey.secretArn);
      set(f, 'DD_LLMOBS_AGENTLESS_ENABLED', 'false');
      grantKey(f, props.apiKey);
    } else {
      set(f, 'DD_LLMOBS_AGENTLESS_ENABLED', 'true');
      set(f, 'DD_API_KEY', props.apiKey.secretValue.unsafeUnwrap()); // a dynamic reference, resolved at deploy
    }
    f.node.addValidation({ validate: () => noPlainKey(f) });
  }
}

/**
 * Lets the extension read the key: `secretsmanager:GetSecretValue` on the secret's complete ARN, or, for a secret
 * named by name (no random suffix known), on the name with Secrets Manager's six-character suffix; and `kms:Decrypt`
 * on its customer key when it has one.
 */
function grantKey(f: lambda.Function, secret: secretsmanager.ISecret) {
  const arn = secret.secretFullArn !== undefined ? secret.secretFullArn : `${secret.secretArn}-??????`;
  f.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.ALLOW, actions: ['secretsmanager:GetSecretValue'], resources: [arn] }));
  if (secret.encryptionKey) secret.encryptionKey.grantDecrypt(f);
}

/** The function's environment as the template will have it (values may be tokens). */
function environment(f: lambda.Function): Record<string, unknown> {
  const cfn = f.node.defaultChild as lambda.CfnFunction;
  const resolved = cdk.Stack.of(f).resolve(cfn.environment);
  const variables = resolved ? (resolved.variables ?? resolved.Variables) : undefined;
  return variables ?? {};
}

/** The choices a call makes, to tell a repeated call from a conflicting one. */
function describe(p: LLMObsProps, via: string): string {
  return `route ${via}, layer ${id(p.layer)}${p.datadogExtension ? `, extension ${id(p.datadogExtension)}` : ''}`
    + `, key ${id(p.apiKey)}, ml_app ${p.mlApp}, site ${p.site}, service ${p.service}, env ${p.env}`
    + `, version ${p.version}, capture ${p.captureIo}, flush ${p.flushTimeoutMillis}, zero code ${p.wrappedInCode !== true}`;
}

function id(c: IConstruct): string {
  return c.node.path;
}

/**
 * Datadog publishes the extension per architecture (`Datadog-Extension` for x86_64, `Datadog-Extension-ARM` for
 * arm64): one of the other kind would not start. Checked when the ARN is known at synth (a parameter's value is not).
 */
function checkArchitecture(f: lambda.Function, extension: lambda.ILayerVersion) {
  const arn = extension.layerVersionArn;
  if (!arn || cdk.Token.isUnresolved(arn)) return;
  const armLayer = arn.includes('Datadog-Extension-ARM');
  const armFunction = f.architecture !== undefined && f.architecture.name === 'arm64';
  if (armLayer !== armFunction) {
    throw new Error(`llmobs-lambda: ${f.node.path} runs on ${armFunction ? 'arm64' : 'x86_64'} but the Datadog `
      + `extension layer ${arn} is for ${armLayer ? 'arm64' : 'x86_64'}; use Datadog-Extension${armFunction ? '-ARM' : ''} instead`);
  }
}

function supported(runtime: string): boolean {
  if (!runtime.startsWith('java')) return false;
  const digits = runtime.substring(4).replace(/[^0-9].*$/, '');
  return digits.length > 0 && parseInt(digits, 10) >= 17;
}

function set(f: lambda.Function, key: string, value?: string) {
  if (value !== undefined) f.addEnvironment(key, value);
}

/** At synth: an API key in the function's environment must be a dynamic reference, never a literal. */
function noPlainKey(f: lambda.Function): string[] {
  const key = environment(f).DD_API_KEY;
  if (typeof key === 'string' && !key.startsWith('{{resolve:secretsmanager:')) {
    return [`llmobs-lambda: DD_API_KEY of ${f.node.path} is plain text in the template; keep the key in Secrets `
      + 'Manager and give it as LLMObsProps apiKey'];
  }
  return [];
}
