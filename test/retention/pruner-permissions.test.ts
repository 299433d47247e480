import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SafeFunction, SafeFunctionProps } from '../../src';

// issue #18 §7: the pruner's role must fit IAM's limits however many SafeFunctions a stack prunes.
const MANAGED_POLICY_MAX = 6_144;
const INLINE_PER_ROLE_MAX = 10_240;
const MANAGED_POLICIES_PER_ROLE_DEFAULT_QUOTA = 10;

/** The longest deployed function ARN: 64-character name (CloudFormation's generated names reach it), long partition and region. */
const WORST_FUNCTION_ARN = `arn:aws-iso-b:lambda:ap-southeast-5:123456789012:function:${'N'.repeat(64)}`;
const WORST_GROUP_ARN = `arn:aws-iso-b:codedeploy:ap-southeast-5:123456789012:deploymentgroup:${'A'.repeat(100)}/${'G'.repeat(100)}`;

/** A policy document as IAM counts it: intrinsics replaced by the longest values they can take, no whitespace. */
function deployedSize(doc: unknown): number {
  const text = JSON.stringify(doc, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (value['Fn::GetAtt']) return WORST_FUNCTION_ARN;
      if (value['Fn::Join']) {
        return value['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : p['Fn::GetAtt'] ? WORST_FUNCTION_ARN : 'x'.repeat(20))).join('');
      }
      if (value.Ref) return WORST_GROUP_ARN;
    }
    return value;
  });
  return text.replace(/\s/g, '').length;
}

function prunedStack(count: number, extra: (stack: Stack, i: number) => Partial<SafeFunctionProps> = () => ({})): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'OrdersServiceProductionStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  for (let i = 0; i < count; i++) {
    new SafeFunction(stack, `OrderProcessingFunction${i}`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      retainVersions: 3,
      ...extra(stack, i),
    });
  }
  return stack;
}

/** The pruner role's policies: inline (AWS::IAM::Policy) and managed, with their deployed sizes. */
function prunerPolicies(stack: Stack): { inline: number[]; managed: number[]; managedIds: string[] } {
  const template = Template.fromStack(stack).toJSON();
  const inline: number[] = [];
  const managed: number[] = [];
  const managedIds: string[] = [];
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    const onPruner = JSON.stringify(resource.Properties?.Roles ?? '').includes('CdkSafeLambdaVersionPruner');
    if (!onPruner) continue;
    if (resource.Type === 'AWS::IAM::Policy') inline.push(deployedSize(resource.Properties.PolicyDocument));
    if (resource.Type === 'AWS::IAM::ManagedPolicy') {
      managed.push(deployedSize(resource.Properties.PolicyDocument));
      managedIds.push(id);
    }
  }
  return { inline, managed, managedIds };
}

describe('the pruner role fits IAM\'s policy limits', () => {
  test.each([1, 20, 60, 95])('GIVEN %i pruned SafeFunctions in one stack THEN every pruner policy fits IAM\'s size limits', (count) => {
    const { inline, managed } = prunerPolicies(prunedStack(count));

    // THEN each managed policy ≤ 6,144 characters, the inline ones ≤ 10,240 together, and the
    // managed policies (plus the basic execution role's) within the default quota of 10 per role
    expect(managed.length).toBeGreaterThan(0);
    for (const size of managed) expect(size).toBeLessThanOrEqual(MANAGED_POLICY_MAX);
    expect(inline.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(INLINE_PER_ROLE_MAX);
    expect(managed.length + 1).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE_DEFAULT_QUOTA);
  });

  test('GIVEN 60 pruned SafeFunctions with a CodeDeploy deployment group each THEN every pruner policy still fits', () => {
    const stack = prunedStack(60, (s, i) => {
      const application = codedeploy.LambdaApplication.fromLambdaApplicationName(s, `App${i}`, `orders-${i}`);
      return { pruneDeploymentGroup: codedeploy.LambdaDeploymentGroup.fromLambdaDeploymentGroupAttributes(s, `Group${i}`, { application, deploymentGroupName: `g${i}` }) };
    });
    const { managed } = prunerPolicies(stack);
    for (const size of managed) expect(size).toBeLessThanOrEqual(MANAGED_POLICY_MAX);
    expect(managed.length + 1).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE_DEFAULT_QUOTA);
  });

  test('GIVEN 60 pruned SafeFunctions THEN each function\'s permissions sit in one policy, which its pruner resource waits for', () => {
    const stack = prunedStack(60);
    const template = Template.fromStack(stack).toJSON();
    const { managedIds } = prunerPolicies(stack);
    expect(managedIds.length).toBeGreaterThan(1);
    const pruners = Object.values<any>(template.Resources).filter((r) => r.Type === 'Custom::SafeLambdaVersionPruner');
    expect(pruners).toHaveLength(60);
    for (const pruner of pruners) {
      const fnId = JSON.stringify(pruner.Properties.FunctionName).match(/"Ref":"([^"]+)"/)![1];
      const holding = managedIds.filter((id) => JSON.stringify(template.Resources[id].Properties.PolicyDocument).includes(`"${fnId}"`));
      expect(holding).toHaveLength(1);
      expect(pruner.DependsOn).toContain(holding[0]);
    }
  });

  test('GIVEN one pruned SafeFunction THEN its permissions are one managed policy on the pruner role', () => {
    const template = Template.fromStack(prunedStack(1));
    const prunerRole = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('CdkSafeLambdaVersionPruner'));
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: prunerRole }] });
  });
});

describe('the capacity provider listing', () => {
  test.each([
    ['a pruned function on a capacity provider', true],
    ['pruned functions on none', false],
  ])('GIVEN %s THEN the pruner may list the versions of the account\'s capacity providers accordingly', (_what, onProvider) => {
    const stack = prunedStack(2);
    if (onProvider) {
      const fn = stack.node.findChild('OrderProcessingFunction1') as SafeFunction;
      (fn.function.node.defaultChild as any).capacityProviderConfig = {
        lambdaManagedInstancesCapacityProviderConfig: { capacityProviderArn: 'arn:aws:lambda:eu-west-1:123456789012:capacity-provider:shared' },
      };
    }
    const template = Template.fromStack(stack).toJSON();
    const statements = Object.values<any>(template.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s) => [s.Action].flat().includes('lambda:ListFunctionVersionsByCapacityProvider'));
    expect(statements).toHaveLength(onProvider ? 1 : 0);
    if (onProvider) {
      expect(JSON.stringify(statements[0].Resource)).toContain(':capacity-provider:*');
    }
  });
});
