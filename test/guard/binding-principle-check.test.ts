import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as resourcegroups from 'aws-cdk-lib/aws-resourcegroups';
import * as xray from 'aws-cdk-lib/aws-xray';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ENV, FUNCTION_PROPS } from './guard-test-app';
import { GuardedFunctions, NoLatestInvocations } from '../../src';
import { checkTemplates } from '../../src/cli/private/template-check';

/*
 * The binding principle lives in the one judge (issue #18 §1, §6): the construct guard and
 * `cdk-safe-lambda check` on the synthesized template find the same bindings for each shape fixed here.
 */

type Build = (stack: Stack, fn: lambda.Function) => void;

const invoke = (arn: string) => ({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arn });

function sdkCall(action: string, parameters: (fn: lambda.Function) => Record<string, unknown>): Build {
  return (stack, fn) => new cr.AwsCustomResource(stack, 'Call', {
    onCreate: { service: 'Lambda', action, parameters: parameters(fn), physicalResourceId: cr.PhysicalResourceId.of('x') },
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })]),
    installLatestAwsSdk: false,
  });
}

const SHAPES: Array<[string, number, Build]> = [
  ['a Cognito CustomMessage trigger', 1, (stack, fn) => new cognito.CfnUserPool(stack, 'Pool', { lambdaConfig: { customMessage: fn.functionArn } })],
  ['a Cognito InboundFederation trigger (escape hatch)', 1, (stack, fn) => new cognito.CfnUserPool(stack, 'Pool')
    .addPropertyOverride('LambdaConfig.InboundFederation', { LambdaArn: fn.functionArn, LambdaVersion: 'V1_0' })],
  ['an X-Ray sampling rule', 0, (stack, fn) => new xray.CfnSamplingRule(stack, 'Sampling', {
    samplingRule: {
      ruleName: 'r',
      priority: 1,
      fixedRate: 0.5,
      reservoirSize: 1,
      serviceName: '*',
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      version: 1,
      resourceArn: fn.functionArn,
    },
  })],
  ['a Contributor Insights rule', 0, (stack, fn) => new cloudwatch.CfnInsightRule(stack, 'Insight', {
    ruleName: 'r', ruleState: 'ENABLED', ruleBody: `{"Contribution":{"Filters":[{"Match":"$.fn","In":["${fn.functionArn}"]}]}}`,
  })],
  ['a resource group query', 0, (stack, fn) => new resourcegroups.CfnGroup(stack, 'Group', {
    name: 'g', resourceQuery: { type: 'TAG_FILTERS_1_0', query: { tagFilters: [{ key: 'fn', values: [fn.functionArn] }] } },
  })],
  ['an AwsCustomResource creating an event source mapping', 1, sdkCall('createEventSourceMapping', (fn) => ({ FunctionName: fn.functionName, EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' }))],
  ['an AwsCustomResource adding a permission', 1, sdkCall('addPermission', (fn) => ({ FunctionName: fn.functionArn, Principal: 'sns.amazonaws.com', Action: 'lambda:InvokeFunction', StatementId: 's' }))],
  ['an AwsCustomResource invoking once', 0, sdkCall('invoke', (fn) => ({ FunctionName: fn.functionName }))],
  ['two identical IAM statements', 2, (stack, fn) => new iam.CfnPolicy(stack, 'P', {
    policyName: 'p', roles: ['r'], policyDocument: { Version: '2012-10-17', Statement: [invoke(fn.functionArn), invoke(fn.functionArn)] },
  })],
];

test.each(SHAPES)('%s: the guard and check on the synthesized template agree (%i finding(s))', (_name, count, build) => {
  // GIVEN the shape on a plain function (check guards every function, as GuardedFunctions.ALL does)
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stack', { env: ENV });
  build(stack, new lambda.Function(stack, 'Fn', FUNCTION_PROPS));
  // WHEN judged both ways
  const guard = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).map((f) => `${f.ruleId} ${f.propertyPath}`).sort();
  const template = app.synth().getStackByName('Stack').template;
  const check = checkTemplates([{ file: 'template.json', stackName: 'Stack', template } as any], { ungrouped: true })
    .map((f) => `${f.ruleId} ${f.propertyPath}`).sort();
  // THEN the same findings, as many as the principle says
  expect(check).toEqual(guard);
  expect(guard).toHaveLength(count);
});
