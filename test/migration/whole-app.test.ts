import * as path from 'node:path';
import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';
import { RECOGNIZE_LAYERS } from '../fixtures/stacks';

// The done-when of issue #10: an app written with NodejsFunction everywhere, and one with
// PythonFunction, become safe with one line, pass the guard, and replace no function.

const ENV = { account: '123456789012', region: 'us-east-1' };
const CONTEXT = { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] };

type FunctionKind = (stack: Stack, id: string) => lambda.Function;

const KINDS: Array<[string, FunctionKind]> = [
  ['NodejsFunction', (stack, id) => new NodejsFunction(stack, id, {
    entry: path.join(__dirname, 'fixtures', 'orders.ts'),
    runtime: lambda.Runtime.NODEJS_22_X,
  })],
  ['PythonFunction', (stack, id) => new PythonFunction(stack, id, {
    entry: path.join(__dirname, 'fixtures', 'python'),
    runtime: lambda.Runtime.PYTHON_3_12,
  })],
];

function serviceApp(kind: FunctionKind, context: Record<string, unknown> = CONTEXT): { app: App; stack: Stack; fns: lambda.Function[] } {
  const app = new App({ context });
  const stack = new Stack(app, 'Orders', { env: ENV });
  const api = kind(stack, 'Api');
  const worker = kind(stack, 'Worker');
  const http = new apigwv2.HttpApi(stack, 'Http');
  http.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.POST], integration: new apigwv2Integrations.HttpLambdaIntegration('Orders', api) });
  worker.addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'Queue')));
  new events.Rule(stack, 'Nightly', { schedule: events.Schedule.cron({ hour: '3', minute: '0' }), targets: [new eventsTargets.LambdaFunction(worker)] });
  return { app, stack, fns: [api, worker] };
}

describe.each(KINDS)('an app of %s functions', (_kind, kind) => {
  test('GIVEN $LATEST bindings everywhere WHEN MakeFunctionsSafe.applyTo(app) THEN the default guard passes and no function is replaced', () => {
    // GIVEN
    const before = serviceApp(kind);
    const idsBefore = before.fns.map((fn) => before.stack.getLogicalId(fn.node.defaultChild as CfnElement));
    const { app, stack } = serviceApp(kind);

    // WHEN
    MakeFunctionsSafe.applyTo(app);

    // THEN
    expect(() => app.synth()).not.toThrow();
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual(expect.arrayContaining(idsBefore));
    template.resourcePropertiesCountIs('AWS::Lambda::Alias', { Name: 'live' }, 2);
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });

  test.each([
    ['with recognizeLayerVersion', CONTEXT],
    ['without recognizeLayerVersion (an app older than the flag)', { 'aws:cdk:bundling-stacks': [] }],
  ])('GIVEN the migrated app %s WHEN synthesized THEN its stack carries the summary, and no warning contradicts the migration', (_how, context) => {
    // GIVEN
    const { app, stack } = serviceApp(kind, context);
    MakeFunctionsSafe.applyTo(app);
    // WHEN
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    // THEN what `cdk synth` prints has the summary (issue #16 §6)
    const infos = artifact.findMetadataByType('aws:cdk:info').map((m) => String(m.data));
    expect(infos).toContainEqual(expect.stringMatching(/^MakeFunctionsSafe in this stack: 2 function\(s\) made safe in place, \d+ binding\(s\) moved to their alias, 0 left on \$LATEST\.$/));
    // AND no warning at all: not aws-cdk-lib's "grant on the alias" (the permissions are there), not the layer warning (no layers)
    expect(artifact.findMetadataByType('aws:cdk:warning').map((m) => String(m.data))).toEqual([]);
  });

  test('GIVEN the same app without the migration WHEN the strict guard runs THEN it reports the bindings the migration fixes', () => {
    const { app } = serviceApp(kind);
    const findings = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL });
    // One per integration (the HTTP route, the queue, the rule), each with the permission it brought.
    expect(findings.map((f) => [f.resourcePath, (f.relatedResources ?? []).map((r) => r.resourcePath)]).sort()).toEqual([
      ['Orders/Http/POST--orders/Orders/Resource', ['Orders/Http/POST--orders/Orders-Permission']],
      ['Orders/Nightly/Resource', [expect.stringMatching(/^Orders\/Nightly\/AllowEventRule/)]],
      [expect.stringMatching(/^Orders\/Worker\/SqsEventSource:.*\/Resource$/), []],
    ]);
  });
});
