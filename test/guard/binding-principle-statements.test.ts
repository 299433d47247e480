import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ENV, safeFunction } from './guard-test-app';
import { GuardRules, NoLatestInvocations, SafeFunction } from '../../src';

/*
 * Issue #18 §6: identical statements each count. Two identical IAM statements are two grants: each is
 * a finding at its own template path (they were reported once, at the first one's path).
 */

function grantPaths(build: (stack: Stack, fn: SafeFunction) => void): string[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stack', { env: ENV });
  build(stack, safeFunction(stack));
  return NoLatestInvocations.findings(app).filter((f) => f.ruleId === GuardRules.LATEST_GRANT)
    .map((f) => `${f.resourcePath.replace('Stack/', '')} ${f.propertyPath}`).sort();
}

const invoke = (arn: string) => ({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arn });

describe('identical IAM statements each count', () => {
  test.each([
    ['two identical statements in one L1 policy', (stack: Stack, fn: SafeFunction) => new iam.CfnPolicy(stack, 'P', {
      policyName: 'p', roles: ['r'], policyDocument: { Version: '2012-10-17', Statement: [invoke(fn.function.functionArn), invoke(fn.function.functionArn)] },
    }), ['P Properties.PolicyDocument.Statement[0].Resource', 'P Properties.PolicyDocument.Statement[1].Resource']],
    ['identical statements in two inline policies of one L1 role', (stack: Stack, fn: SafeFunction) => new iam.CfnRole(stack, 'R', {
      assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      policies: ['a', 'b'].map((policyName) => ({ policyName, policyDocument: { Version: '2012-10-17', Statement: [invoke(fn.function.functionArn)] } })),
    }), ['R Properties.Policies[0].PolicyDocument.Statement[0].Resource', 'R Properties.Policies[1].PolicyDocument.Statement[0].Resource']],
    ['the same ARN twice in one statement\'s resources', (stack: Stack, fn: SafeFunction) => new iam.CfnPolicy(stack, 'P', {
      policyName: 'p', roles: ['r'], policyDocument: { Version: '2012-10-17', Statement: [{ ...invoke(fn.function.functionArn), Resource: [fn.function.functionArn, fn.function.functionArn] }] },
    }), ['P Properties.PolicyDocument.Statement[0].Resource[0]', 'P Properties.PolicyDocument.Statement[0].Resource[1]']],
    ['an identical statement in two roles\' policies', (stack: Stack, fn: SafeFunction) => ['A', 'B'].forEach((id) =>
      fn.function.grantInvoke(new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }))),
    ['A/DefaultPolicy/Resource Properties.PolicyDocument.Statement[0].Resource[0]', 'B/DefaultPolicy/Resource Properties.PolicyDocument.Statement[0].Resource[0]']],
  ])('%s: one finding each', (_name, build, expected) => {
    expect(grantPaths(build as any)).toEqual(expected);
  });
});
