import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as config from 'aws-cdk-lib/aws-config';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as resourcegroups from 'aws-cdk-lib/aws-resourcegroups';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as xray from 'aws-cdk-lib/aws-xray';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ENV, safeFunction } from './guard-test-app';
import { Finding, GuardRules, NoLatestInvocations, SafeFunction } from '../../src';

/*
 * Issue #18 §6: selectors are not bindings (a sampling rule, Contributor Insights, a resource group,
 * a fault-injection target, a backup selection name a function to observe it, not to invoke it); a
 * custom resource whose SDK call creates a lasting invoker is one, unlike a one-off invoke at deployment.
 */

function check(build: (stack: Stack, fn: SafeFunction) => void): { findings: Finding[]; synth: () => void } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stack', { env: ENV });
  build(stack, safeFunction(stack));
  return { findings: NoLatestInvocations.findings(app), synth: () => app.synth() };
}

type Build = (stack: Stack, fn: SafeFunction) => void;

const SELECTORS: Array<[string, Build]> = [
  ['an X-Ray sampling rule\'s ResourceARN', (stack, fn) => new xray.CfnSamplingRule(stack, 'Sampling', {
    samplingRule: {
      ruleName: 'fn',
      priority: 1,
      fixedRate: 0.5,
      reservoirSize: 1,
      serviceName: '*',
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '*',
      version: 1,
      resourceArn: fn.function.functionArn,
    },
  })],
  ['a Contributor Insights rule body', (stack, fn) => new cloudwatch.CfnInsightRule(stack, 'Insight', {
    ruleName: 'r',
    ruleState: 'ENABLED',
    ruleBody: JSON.stringify({ Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogGroupNames: ['/x'], Contribution: { Keys: ['$.fn'], Filters: [{ Match: '$.fn', In: [''] }] } })
      .replace('"In":[""]', `"In":["${fn.function.functionArn}"]`),
  })],
  ['a resource group query', (stack, fn) => new resourcegroups.CfnGroup(stack, 'Group', {
    name: 'g', resourceQuery: { type: 'TAG_FILTERS_1_0', query: { resourceTypeFilters: ['AWS::Lambda::Function'], tagFilters: [{ key: 'fn', values: [fn.function.functionArn] }] } },
  })],
  ['a fault-injection experiment target', (stack, fn) => new fis.CfnExperimentTemplate(stack, 'Fis', {
    description: 'd',
    roleArn: 'arn:aws:iam::123456789012:role/fis',
    stopConditions: [{ source: 'none' }],
    tags: {},
    targets: { Functions: { resourceType: 'aws:lambda:function', resourceArns: [fn.function.functionArn], selectionMode: 'ALL' } },
    actions: { Delay: { actionId: 'aws:lambda:invocation-add-delay', targets: { Functions: 'Functions' } } },
  })],
  ['a backup selection', (stack, fn) => new backup.CfnBackupSelection(stack, 'Backup', {
    backupPlanId: 'p', backupSelection: { iamRoleArn: 'arn:aws:iam::123456789012:role/b', selectionName: 's', resources: [fn.function.functionArn] },
  })],
  ['a Config rule scope', (stack, fn) => new config.ManagedRule(stack, 'Rule', {
    identifier: 'LAMBDA_CONCURRENCY_CHECK', ruleScope: config.RuleScope.fromResource(config.ResourceType.LAMBDA_FUNCTION, fn.function.functionName),
  })],
  ['the function\'s ARN as an alarm\'s whole description (free text, not a trigger)', (stack, fn) => new cloudwatch.Alarm(stack, 'Alarm', {
    metric: fn.function.metricErrors(), threshold: 1, evaluationPeriods: 1, alarmDescription: fn.function.functionArn,
  })],
];

describe('selectors are not bindings', () => {
  test.each(SELECTORS)('%s naming the unqualified function is not reported, and synthesis succeeds', (_name, build) => {
    // GIVEN a selector that names the SafeFunction's inner function
    const { findings, synth } = check(build);
    // THEN nothing is reported
    expect(findings).toEqual([]);
    expect(synth).not.toThrow();
  });

  test('a custom Config rule still binds its function (the rule invokes it)', () => {
    // GIVEN a custom rule evaluated by the inner function, scoped to that same function
    const { findings } = check((stack, fn) => new config.CustomRule(stack, 'Rule', {
      lambdaFunction: fn.function,
      configurationChanges: true,
      ruleScope: config.RuleScope.fromResource(config.ResourceType.LAMBDA_FUNCTION, fn.function.functionName),
    }));
    // THEN the evaluator is a binding; the scope is not
    expect(findings.map((f) => [f.ruleId, f.propertyPath])).toEqual([[GuardRules.LATEST_BINDING, 'Properties.Source.SourceIdentifier']]);
  });
});

/** An AwsCustomResource making one SDK call at creation. */
function sdkCall(service: string, action: string, parameters: (fn: SafeFunction, stack: Stack) => Record<string, unknown>): Build {
  return (stack, fn) => new cr.AwsCustomResource(stack, 'Call', {
    onCreate: { service, action, parameters: parameters(fn, stack), physicalResourceId: cr.PhysicalResourceId.of('x') },
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })]),
    installLatestAwsSdk: false,
  });
}

const queueArn = (stack: Stack) => new sqs.Queue(stack, 'Queue').queueArn;

const LASTING_CALLS: Array<[string, Build]> = [
  ['Lambda.createEventSourceMapping', sdkCall('Lambda', 'createEventSourceMapping', (fn, stack) => ({ FunctionName: fn.function.functionName, EventSourceArn: queueArn(stack) }))],
  ['Lambda.addPermission', sdkCall('Lambda', 'addPermission', (fn) => ({ FunctionName: fn.function.functionArn, Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', StatementId: 's' }))],
  ['Lambda.createFunctionUrlConfig', sdkCall('Lambda', 'createFunctionUrlConfig', (fn) => ({ FunctionName: fn.function.functionName, AuthType: 'NONE' }))],
  ['SNS.subscribe', sdkCall('SNS', 'subscribe', (fn) => ({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Protocol: 'lambda', Endpoint: fn.function.functionArn }))],
  ['EventBridge.putTargets', sdkCall('EventBridge', 'putTargets', (fn) => ({ Rule: 'r', Targets: [{ Id: '1', Arn: fn.function.functionArn }] }))],
  ['CloudWatchEvents.putTargets (SDK v2 name)', sdkCall('CloudWatchEvents', 'putTargets', (fn) => ({ Rule: 'r', Targets: [{ Id: '1', Arn: fn.function.functionArn }] }))],
  ['@aws-sdk/client-lambda CreateEventSourceMappingCommand (SDK v3 name)',
    sdkCall('@aws-sdk/client-lambda', 'CreateEventSourceMappingCommand', (fn, stack) => ({ FunctionName: fn.function.functionName, EventSourceArn: queueArn(stack) }))],
];

const ONE_OFF_CALLS: Array<[string, Build]> = [
  ['Lambda.invoke', sdkCall('Lambda', 'invoke', (fn) => ({ FunctionName: fn.function.functionName }))],
  ['Lambda.updateFunctionConfiguration (the function is the subject, not a target)', sdkCall('Lambda', 'updateFunctionConfiguration', (fn) => ({ FunctionName: fn.function.functionName, Description: 'x' }))],
  ['Lambda.getFunction', sdkCall('Lambda', 'getFunction', (fn) => ({ FunctionName: fn.function.functionArn }))],
  ['SNS.publish with the ARN in the message', sdkCall('SNS', 'publish', (fn) => ({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: fn.function.functionArn }))],
];

describe('custom resources whose call creates a lasting invoker', () => {
  test.each(LASTING_CALLS)('an AwsCustomResource calling %s with the unqualified function is a binding', (_name, build) => {
    // GIVEN a deployment-time call that configures a service to invoke the inner function later
    const { findings, synth } = check(build);
    // THEN it is a LatestBinding of the call
    expect(findings.map((f) => [f.ruleId, f.resourcePath, f.propertyPath])).toEqual([[GuardRules.LATEST_BINDING, 'Stack/Call/Resource/Default', 'Properties.Create']]);
    expect(synth).toThrow(/SafeLambda-LatestBinding/);
  });

  test.each(LASTING_CALLS)('an AwsCustomResource calling %s with the live alias is fine', (_name, build) => {
    // GIVEN the same call on the alias (the inner function swapped for the SafeFunction itself)
    const { findings } = check((stack, fn) => build(stack, { function: fn, live: fn } as any));
    // THEN nothing is reported
    expect(findings).toEqual([]);
  });

  test.each(ONE_OFF_CALLS)('an AwsCustomResource calling %s is deployment-time data, not a binding', (_name, build) => {
    const { findings, synth } = check(build);
    expect(findings).toEqual([]);
    expect(synth).not.toThrow();
  });

  test('an integ-tests awsApiCall creating an event source mapping is a binding; one that invokes is not', () => {
    // GIVEN two assertions: one maps a queue to the inner function, one invokes it
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack');
    const fn = safeFunction(stack);
    const integ = new IntegTest(app, 'Integ', { testCases: [stack] });
    integ.assertions.awsApiCall('Lambda', 'createEventSourceMapping', { FunctionName: fn.function.functionName, EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' });
    integ.assertions.awsApiCall('Lambda', 'invoke', { FunctionName: fn.function.functionName });
    // THEN only the mapping call is a binding
    const bindings = NoLatestInvocations.findings(app).filter((f) => f.ruleId === GuardRules.LATEST_BINDING);
    expect(bindings.map((f) => [f.resourcePath, f.propertyPath])).toEqual([[expect.stringMatching(/createEventSourceMapping/), 'Properties.parameters.FunctionName']]);
  });
});
