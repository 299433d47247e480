import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ENV, safeFunction } from './guard-test-app';
import { Finding, GuardRules, NoLatestInvocations, SafeFunction } from '../../src';

/*
 * Issue #16 §4, issue #18 §6: a binding is what a service invokes, decided by the property's role, not
 * by its key's suffix. Every Cognito user pool trigger (AWS::Cognito::UserPool.LambdaConfig) is one,
 * `CustomMessage` included (a key ending in `Message` was read as free text).
 */

function check(build: (stack: Stack, fn: SafeFunction) => void): { findings: Finding[]; synth: () => void } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stack', { env: ENV });
  build(stack, safeFunction(stack));
  return { findings: NoLatestInvocations.findings(app), synth: () => app.synth() };
}

/** Every trigger of LambdaConfig, where its ARN goes (deploy-semantics §6). */
type Trigger = [string, (arn: string) => cognito.CfnUserPool.LambdaConfigProperty];
const camel = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);
const TRIGGERS: Trigger[] = [
  ...['PreSignUp', 'PreAuthentication', 'PostAuthentication', 'PostConfirmation', 'CustomMessage', 'DefineAuthChallenge',
    'CreateAuthChallenge', 'VerifyAuthChallengeResponse', 'UserMigration', 'PreTokenGeneration']
    .map((key): Trigger => [key, (arn) => ({ [camel(key)]: arn })]),
  ['PreTokenGenerationConfig.LambdaArn', (arn) => ({ preTokenGenerationConfig: { lambdaArn: arn, lambdaVersion: 'V2_0' } })],
  ['CustomSMSSender.LambdaArn', (arn) => ({ customSmsSender: { lambdaArn: arn, lambdaVersion: 'V1_0' }, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k' })],
  ['CustomEmailSender.LambdaArn', (arn) => ({ customEmailSender: { lambdaArn: arn, lambdaVersion: 'V1_0' }, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k' })],
];

/** Triggers newer than the floor aws-cdk-lib's L1: written as the template holds them. */
const OVERRIDDEN_TRIGGERS: Array<[string, (arn: string) => unknown]> = [
  ['InboundFederation.LambdaArn', (arn) => ({ LambdaArn: arn, LambdaVersion: 'V1_0' })],
];

describe('every Cognito user pool trigger is a binding', () => {
  test.each(TRIGGERS)('LambdaConfig.%s on the unqualified function is reported there, by findings() and synthesis', (key, config) => {
    // GIVEN an L1 user pool whose trigger is the SafeFunction's inner function
    const { findings, synth } = check((stack, fn) => new cognito.CfnUserPool(stack, 'Pool', { lambdaConfig: config(fn.function.functionArn) }));
    // WHEN checked THEN the trigger is a LatestBinding at its own path
    expect(findings.map((f) => [f.ruleId, f.propertyPath])).toEqual([[GuardRules.LATEST_BINDING, `Properties.LambdaConfig.${key}`]]);
    expect(synth).toThrow(/SafeLambda-LatestBinding/);
  });

  test.each(TRIGGERS)('LambdaConfig.%s on the live alias is fine', (_key, config) => {
    // GIVEN the same trigger on the alias
    const { findings, synth } = check((stack, fn) => new cognito.CfnUserPool(stack, 'Pool', { lambdaConfig: config(fn.functionArn) }));
    // THEN nothing is reported
    expect(findings).toEqual([]);
    expect(synth).not.toThrow();
  });

  test.each(OVERRIDDEN_TRIGGERS)('LambdaConfig.%s (an escape hatch) on the unqualified function is reported there', (key, value) => {
    // GIVEN a trigger the L1 may not know, set with an escape hatch
    const { findings } = check((stack, fn) => new cognito.CfnUserPool(stack, 'Pool')
      .addPropertyOverride(`LambdaConfig.${key.split('.')[0]}`, value(fn.function.functionArn)));
    // THEN it is a binding like any trigger
    expect(findings.map((f) => [f.ruleId, f.propertyPath])).toEqual([[GuardRules.LATEST_BINDING, `Properties.LambdaConfig.${key}`]]);
  });

  /** Every operation this aws-cdk-lib's UserPool.addTrigger knows (feature-detected: later releases add more). */
  const OPERATIONS = Object.getOwnPropertyNames(cognito.UserPoolOperation)
    .map((key) => [key, (cognito.UserPoolOperation as any)[key]] as const)
    .filter(([, op]) => op instanceof cognito.UserPoolOperation);

  test.each(OPERATIONS)('UserPool.addTrigger(%s) with the inner function is one binding, its Cognito permission joined', (_key, operation) => {
    // GIVEN the L2 trigger (custom senders need their KMS key)
    const { findings } = check((stack, fn) => {
      const senders = /Sender$/.test(operation.operationName);
      const pool = new cognito.UserPool(stack, 'Pool', senders ? { customSenderKmsKey: new kms.Key(stack, 'Key') } : {});
      pool.addTrigger(operation, fn.function, /TokenGenerationConfig$/.test(operation.operationName) ? cognito.LambdaVersion.V2_0 : undefined);
    });
    // THEN the trigger's path under LambdaConfig is a LatestBinding, with the permission it brought
    expect(findings.map((f) => [f.ruleId, (f.relatedResources ?? []).map((r) => r.ruleId)]))
      .toEqual([[GuardRules.LATEST_BINDING, [GuardRules.LATEST_PERMISSION]]]);
    expect(findings[0].propertyPath).toMatch(/^Properties\.LambdaConfig\./);
  });

  test('the L2 customMessage trigger on the inner function is one finding with its Cognito permission', () => {
    // GIVEN UserPool.addTrigger(CUSTOM_MESSAGE, fn.function): LambdaConfig.CustomMessage and a permission for cognito-idp
    const { findings } = check((stack, fn) => new cognito.UserPool(stack, 'Pool').addTrigger(cognito.UserPoolOperation.CUSTOM_MESSAGE, fn.function));
    // THEN one binding finding, the permission joined to it
    expect(findings.map((f) => [f.ruleId, f.propertyPath, (f.relatedResources ?? []).map((r) => r.ruleId)])).toEqual([
      [GuardRules.LATEST_BINDING, 'Properties.LambdaConfig.CustomMessage', [GuardRules.LATEST_PERMISSION]],
    ]);
  });
});
