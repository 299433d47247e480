import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SMOKE_TEST_SOURCE } from './private/smoke-test-source';
import { fail, fitDescription, wholeDuration } from './private/validate';
import { markInternalHandler } from '../private/bindings/guarded-function';

/**
 * Options of the built-in smoke-test hook.
 */
export interface SmokeTestOptions {
  /**
   * The event the new version is invoked with, as a JSON document.
   *
   * @default '{}'
   */
  readonly payload?: string;

  /**
   * How long the smoke test may take, invocation of the new version included.
   *
   * It should exceed the function's own timeout: a hook that dies without reporting leaves the
   * deployment waiting for CodeDeploy's one-hour hook timeout.
   *
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
}

/**
 * A function CodeDeploy runs before traffic moves to the new version (pre-traffic) or after all of
 * it has moved (post-traffic). The deployment fails, and the alias stays or goes back on the
 * previous version, unless the hook reports `Succeeded`.
 *
 * SafeFunction grants the deployment group's role the right to invoke the hook and the hook
 * `codedeploy:PutLifecycleEventHookExecutionStatus` on the deployment group: the hook may have any
 * name (SAM's generated role only invokes functions named `CodeDeployHook_*`).
 */
export class TrafficHook {
  /**
   * Name of the environment variable that hands the hook the ARN of the version under test
   * (`arn:aws:lambda:region:account:function:name:7`).
   *
   * Set on hooks that accept environment variables (`lambda.Function`, `SafeFunction`); an imported
   * function gets none and can read the target version from its CodeDeploy deployment instead.
   */
  public static readonly TARGET_VERSION_ARN_ENV = 'SAFE_LAMBDA_TARGET_VERSION_ARN';

  /**
   * Your own hook function: a SafeFunction, a `lambda.Function`, or any `lambda.IFunction`.
   *
   * It receives `DeploymentId` and `LifecycleEventHookExecutionId` and must call
   * `PutLifecycleEventHookExecutionStatus` with them; the version under test is in the environment
   * variable `TrafficHook.TARGET_VERSION_ARN_ENV`. A hook serves one SafeFunction.
   */
  public static fromFunction(hook: lambda.IFunction): TrafficHook {
    return new TrafficHook((_scope, _id, target) => {
      handTargetVersion(hook, target);
      return hook;
    });
  }

  /**
   * A built-in hook that invokes the new version once with a payload and fails the deployment when
   * the invocation fails or the function returns an error.
   *
   * As the pre-traffic hook it tests the new version before any traffic moves. Its role may only
   * invoke the version under test.
   */
  public static smokeTest(options: SmokeTestOptions = {}): TrafficHook {
    const payload = options.payload ?? '{}';
    return new TrafficHook((scope, id, target) => {
      checkPayload(scope, id, payload);
      const timeout = options.timeout ?? Duration.minutes(15);
      wholeDuration(scope, `the smoke test ${id}'s timeout`, timeout, 'seconds', 1, 900,
        'Use a Duration of whole seconds from Duration.seconds(1) to Duration.minutes(15), Lambda\'s limits.');
      const smokeTest = new lambda.Function(scope, id, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(SMOKE_TEST_SOURCE),
        timeout,
        // Cut to Lambda's 256 characters however deep the SafeFunction sits in the app.
        description: fitDescription(`Smoke test of ${target.node.path}: invokes the version under test before CodeDeploy moves traffic`),
        environment: { TARGET_VERSION_ARN: target.functionArn, PAYLOAD: payload },
      });
      target.grantInvoke(smokeTest);
      markInternalHandler(smokeTest);
      return smokeTest;
    });
  }

  private constructor(private readonly produce: (scope: Construct, id: string, target: lambda.IVersion) => lambda.IFunction) {}

  /**
   * The hook function for `target`, the version under test; created under `scope` when built in.
   *
   * @internal
   */
  public _bind(scope: Construct, id: string, target: lambda.IVersion): lambda.IFunction {
    return this.produce(scope, id, target);
  }
}

/** The version each hook function was handed: one environment variable can only hold one. */
const HANDED = new WeakMap<lambda.IFunction, lambda.IVersion>();

function handTargetVersion(hook: lambda.IFunction, target: lambda.IVersion): void {
  // A SafeFunction or an alias exposes its underlying function as `lambda`.
  const underlying = (hook as { lambda?: lambda.IFunction }).lambda ?? hook;
  if (underlying === target.lambda) {
    fail(hook, 'the function is its own hook: its version would depend on itself and it would test itself before it exists',
      'Use a separate hook function, or TrafficHook.smokeTest() to invoke the new version.');
  }
  const previous = HANDED.get(hook);
  if (previous && previous !== target) {
    fail(hook, `this hook already tests ${previous.node.path}, and ${TrafficHook.TARGET_VERSION_ARN_ENV} can only hold one version`,
      'Give each SafeFunction its own hook function (a hook serves one deployment).');
  }
  HANDED.set(hook, target);
  const withEnvironment = hook as unknown as { addEnvironment?: (key: string, value: string) => unknown };
  if (typeof withEnvironment.addEnvironment === 'function') {
    withEnvironment.addEnvironment(TrafficHook.TARGET_VERSION_ARN_ENV, target.functionArn);
  }
}

/**
 * Lambda's 4 KB limit on all of a function's environment variables, keys and values; the smoke test
 * also holds `TARGET_VERSION_ARN`, up to about 170 bytes (a 64-character name in a long partition and region).
 */
const MAX_PAYLOAD_BYTES = 4096 - 'TARGET_VERSION_ARN'.length - 'PAYLOAD'.length - 170;

/** Fails on a literal payload that is not JSON or does not fit in the hook's environment. */
function checkPayload(scope: Construct, id: string, payload: string): void {
  if (Token.isUnresolved(payload)) {
    return;
  }
  try {
    JSON.parse(payload);
  } catch (e) {
    fail(scope, `the smoke test ${id}'s payload is not JSON (${(e as Error).message}), got ${payload.slice(0, 80)}`,
      'Pass a JSON document, for example JSON.stringify({ ping: true }).');
  }
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    fail(scope, `the smoke test ${id}'s payload is ${bytes} bytes, over the ${MAX_PAYLOAD_BYTES} that fit in the hook's environment (Lambda's 4 KB limit)`,
      'Send a smaller event, or write your own hook and pass it with TrafficHook.fromFunction().');
  }
}
