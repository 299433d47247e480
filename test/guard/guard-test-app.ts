import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { FailureMode, Finding, NoLatestInvocations, NoLatestInvocationsProps, SafeFunction, SafeFunctionProps } from '../../src';

/** Shared by the engine, suppression and registration tests: small apps and short finding lists. */
export const ENV = { account: '123456789012', region: 'us-east-1' };

export const FUNCTION_PROPS: lambda.FunctionProps = {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => {};'),
};

export function safeFunction(scope: Construct, id = 'Fn', props: Partial<SafeFunctionProps> = {}): SafeFunction {
  return new SafeFunction(scope, id, { ...FUNCTION_PROPS, ...props });
}

export function plainFunction(scope: Construct, id = 'Plain'): lambda.Function {
  return new lambda.Function(scope, id, FUNCTION_PROPS);
}

/** An app with one stack holding one SafeFunction. */
export function guardedStack(): { app: App; stack: Stack; fn: SafeFunction } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  return { app, stack, fn: safeFunction(stack) };
}

/**
 * An unguarded SafeFunction (`guard: false`) bound unqualified at `Stack/Sub`, checked by a guard in
 * `FailureMode.WARNING` added to the app.
 */
export function warningModeBinding(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  subscribe(stack, safeFunction(stack, 'Fn', { guard: false }).function.functionArn);
  Aspects.of(app).add(new NoLatestInvocations({ failureMode: FailureMode.WARNING }));
  return { app, stack };
}

/** A minimal binding: an SNS subscription whose endpoint is `endpoint` (`Properties.Endpoint`). */
export function subscribe(scope: Construct, endpoint: string, id = 'Sub'): sns.CfnSubscription {
  return new sns.CfnSubscription(scope, id, { protocol: 'lambda', topicArn: 'arn:aws:sns:us-east-1:123456789012:t', endpoint });
}

/**
 * `ruleId resourcePath propertyPath -> functionPath`, then ` + resourcePath propertyPath` for each
 * permission or grant the finding groups, one line per finding, sorted: easy to compare.
 */
export function summary(scope: IConstruct, props?: NoLatestInvocationsProps): string[] {
  return NoLatestInvocations.findings(scope, props).map(line).sort();
}

export function line(f: Finding): string {
  const related = (f.relatedResources ?? []).map((r) => ` + ${r.resourcePath} ${r.propertyPath}`).join('');
  return `${f.ruleId} ${f.resourcePath} ${f.propertyPath} -> ${f.functionPath}${related}${f.suppressed ? ` (suppressed: ${f.suppressionReason})` : ''}`;
}

/** The message `app.synth()` throws, or '' when it does not throw. */
export function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
