import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ENV, FUNCTION_PROPS, safeFunction } from './guard-test-app';
import { GuardRules, NoLatestInvocations } from '../../src';
import { valueAt } from '../fixtures/template-paths';

/** §3 of issue 9: the property path a finding names is the path in the template the user reads. */
describe('finding paths with @aws-cdk/aws-iam:minimizePolicies', () => {
  test.each([
    ['a grant merged after other functions\' grants', (stack: Stack, role: iam.Role) => {
      new lambda.Function(stack, 'Other', FUNCTION_PROPS).grantInvoke(role);
      role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: ['arn:aws:lambda:us-east-1:123456789012:function:zzz'] }));
    }],
    ['a grant merged with a literal ARN that sorts first', (_stack: Stack, role: iam.Role) => {
      role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: ['arn:aws:lambda:us-east-1:123456789012:function:aaa'] }));
    }],
    ['a grant next to a statement on another service', (_stack: Stack, role: iam.Role) => {
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));
    }],
  ])('%s: the finding names the Resource index that holds the unqualified ARN in the synthesized template', (_name, more) => {
    // GIVEN minimized policies, and the inner function granted among other resources
    const app = new App({ context: { '@aws-cdk/aws-iam:minimizePolicies': true } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const fn = safeFunction(stack);
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    more(stack, role);
    fn.function.grantInvoke(role);
    // WHEN the guard reports the grant
    const grants = NoLatestInvocations.findings(app).filter((f) => f.ruleId === GuardRules.LATEST_GRANT);
    expect(grants).toHaveLength(1);
    // THEN its path, read in the synthesized template, holds the inner function's unqualified ARN
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const [entry] = Object.values(policies);
    expect(valueAt(entry, grants[0].propertyPath)).toEqual({ 'Fn::GetAtt': [stack.resolve((fn.function.node.defaultChild as lambda.CfnFunction).logicalId), 'Arn'] });
    expect(grants[0].message).toContain(grants[0].propertyPath);
  });
});
