import { App, CfnElement, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations, SafeAlias, SafeFunction } from '../../src';
import { INTEGRATION_CASES } from '../fixtures/integrations';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** A user's own subclass, as large apps have. */
class TeamFunction extends lambda.Function {
  constructor(scope: Construct, id: string) {
    super(scope, id, { ...plainFunctionProps(), memorySize: 512 });
  }
}

/** An app that binds `$LATEST` everywhere: the state of most real apps before the migration. */
function legacyApp(): { app: App; stack: Stack; functions: lambda.Function[] } {
  const app = new App({ context: RECOGNIZE_LAYERS });
  const stack = new Stack(app, 'Service', { env: ENV });
  const api = new lambda.Function(stack, 'Api', plainFunctionProps());
  const worker = new TeamFunction(stack, 'Worker');
  const caller = new lambda.Function(stack, 'Caller', {
    ...plainFunctionProps(),
    environment: { WORKER: worker.functionName },
  });
  new apigateway.LambdaRestApi(stack, 'Rest', { handler: api });
  const queue = new sqs.Queue(stack, 'Queue');
  worker.addEventSource(new eventSources.SqsEventSource(queue, { batchSize: 5 }));
  new sns.Topic(stack, 'Topic').addSubscription(new snsSubscriptions.LambdaSubscription(worker));
  new events.Rule(stack, 'Rule', {
    eventPattern: { source: ['orders'] },
    targets: [new eventsTargets.LambdaFunction(api)],
  });
  new sfn.StateMachine(stack, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: worker })),
  });
  worker.grantInvoke(caller);
  return { app, stack, functions: [api, worker, caller] };
}

function logicalIdsOf(stack: Stack, type: string): string[] {
  return Object.keys(Template.fromStack(stack).findResources(type)).sort();
}

describe('MakeFunctionsSafe', () => {
  test('GIVEN an app that binds $LATEST everywhere WHEN the aspect is applied THEN the guard passes and no function is replaced', () => {
    // GIVEN
    const before = legacyApp();
    const functionIdsBefore = logicalIdsOf(before.stack, 'AWS::Lambda::Function');
    const { app, stack } = legacyApp();

    // WHEN
    MakeFunctionsSafe.applyTo(app);

    // THEN the same functions, under the same logical IDs, each with a version and a live alias
    expect(() => app.synth()).not.toThrow();
    const template = Template.fromStack(stack);
    expect(logicalIdsOf(stack, 'AWS::Lambda::Function')).toEqual(functionIdsBefore);
    template.resourceCountIs('AWS::Lambda::Alias', 3);
    template.resourcePropertiesCountIs('AWS::Lambda::Alias', { Name: 'live' }, 3);
    // AND no binding left on $LATEST, even under the strict guard
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });

  test('GIVEN the migrated app WHEN reading the bindings THEN each names an alias', () => {
    const { app, stack } = legacyApp();
    MakeFunctionsSafe.applyTo(app);
    app.synth();
    const template = Template.fromStack(stack);
    const aliasIds = Object.keys(template.findResources('AWS::Lambda::Alias'));
    const workerAlias = aliasIds.find((id) => id.startsWith('WorkerSafe'))!;
    expect(workerAlias).toBeDefined();
    // A name-typed binding gets the alias-qualified name, `name:live`.
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0];
    expect(JSON.stringify(mapping.Properties.FunctionName)).toMatch(new RegExp(`${workerAlias}.*|:live`));
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { Ref: workerAlias } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { WORKER: Match.objectLike({ 'Fn::Join': Match.anyValue() }) } },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { Ref: aliasIds.find((id) => id.startsWith('ApiSafe')) } })],
    });
  });

  test('GIVEN the aspect WHEN it rewrites THEN each rewrite is an info annotation and the stack has the summary cdk synth prints', () => {
    const { app, stack } = legacyApp();
    MakeFunctionsSafe.applyTo(app);
    const assembly = app.synth();
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('now binds the alias of'));
    expect(infos.length).toBeGreaterThanOrEqual(6);
    // In the cloud assembly's stack metadata (what `cdk synth` prints), not on the App, whose metadata no artifact carries.
    const summary = Annotations.fromStack(stack).findInfo('/Service', Match.stringLikeRegexp('^MakeFunctionsSafe in this stack:'));
    expect(summary.map((s) => s.entry.data)).toEqual([
      expect.stringMatching(/^MakeFunctionsSafe in this stack: 3 function\(s\) made safe in place, \d+ binding\(s\) moved to their alias, 0 left on \$LATEST\.$/),
    ]);
    const printed = assembly.getStackArtifact(stack.artifactId).findMetadataByType('aws:cdk:info').map((m) => String(m.data));
    expect(printed.filter((m) => m.startsWith('MakeFunctionsSafe')).length).toBeGreaterThanOrEqual(7);
    expect(app.node.metadata.filter((m) => String(m.data).startsWith('MakeFunctionsSafe'))).toEqual([]);
  });

  test('GIVEN the aspect applied twice WHEN synthesizing THEN the template is the same as applying it once', () => {
    const once = legacyApp();
    MakeFunctionsSafe.applyTo(once.app);
    const twice = legacyApp();
    MakeFunctionsSafe.applyTo(twice.app);
    MakeFunctionsSafe.applyTo(twice.app);
    expect(Template.fromStack(twice.stack).toJSON()).toEqual(Template.fromStack(once.stack).toJSON());
  });

  test('GIVEN an excluded function WHEN migrating THEN it and its bindings are untouched', () => {
    const { app, stack, functions: [api] } = legacyApp();
    MakeFunctionsSafe.applyTo(app, { exclude: [api] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Alias', 2);
    const apiId = stack.getLogicalId(api.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [apiId, 'Arn'] } })],
    });
  });

  test('GIVEN a consumer in another stack WHEN migrating THEN the binding imports the alias ARN', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const producer = new Stack(app, 'Producer', { env: ENV });
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    const fn = new lambda.Function(producer, 'Fn', plainFunctionProps());
    new events.Rule(consumer, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    const aliasId = Object.keys(Template.fromStack(producer).findResources('AWS::Lambda::Alias'))[0];
    Template.fromStack(consumer).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::ImportValue': Match.stringLikeRegexp(aliasId) } })],
    });
  });

  test('GIVEN a SafeFunction bound through its inner function WHEN migrating THEN that binding is rewritten too', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'S', { env: ENV });
    const safe = new SafeFunction(stack, 'Fn', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(safe.function)] });
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 1);
  });

  test('GIVEN a nested Stage WHEN applyTo is called on the app THEN the Stage is migrated too', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stage = new Stage(app, 'Prod', { env: ENV });
    const stack = new Stack(stage, 'Service');
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 1);
    expect(NoLatestInvocations.findings(stage, { functions: GuardedFunctions.ALL })).toEqual([]);
  });

  test('GIVEN a function whose version has provisioned concurrency WHEN migrating THEN synthesis fails naming it, the reason and the migration\'s routes', () => {
    // GIVEN a function a SafeAlias refuses (provisioned concurrency on one version would be stranded)
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'Service', { env: ENV });
    const fn = new lambda.Function(stack, 'Hot', { ...plainFunctionProps(), currentVersionOptions: { provisionedConcurrentExecutions: 2 } });
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    // WHEN the whole app is migrated THEN it refuses with the path, the value and both fixes
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).toThrow(/MakeFunctionsSafe: Service\/Hot cannot be made safe in place: .*provisionedConcurrentExecutions is 2.*Fix: wrap this function yourself .*or leave it alone with `exclude: \[fn\]`/);
  });

  test('GIVEN that function wrapped by hand with provisionedConcurrentExecutions WHEN migrating THEN the aspect leaves it and rewrites its bindings', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'Service', { env: ENV });
    const fn = new lambda.Function(stack, 'Hot', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    new SafeAlias(fn, 'Safe', { function: fn, provisionedConcurrentExecutions: 2 });
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });

  describe('one property naming several functions', () => {
    /** A state machine calling three functions in a row, and a caller whose environment lists two ARNs. */
    function manyInOneProperty(context: Record<string, unknown> = {}): { app: App; stack: Stack; functions: lambda.Function[] } {
      const app = new App({ context: { ...RECOGNIZE_LAYERS, ...context } });
      const stack = new Stack(app, 'Service', { env: ENV });
      const functions = ['F', 'G', 'H'].map((id) => new lambda.Function(stack, id, plainFunctionProps()));
      const [f, g, h] = functions.map((fn, i) => new tasks.LambdaInvoke(stack, `Invoke${i}`, { lambdaFunction: fn }));
      new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(f.next(g).next(h)) });
      functions.push(new lambda.Function(stack, 'Caller', {
        ...plainFunctionProps(), environment: { TARGETS: `${functions[0].functionArn},${functions[1].functionArn}` },
      }));
      return { app, stack, functions };
    }

    test.each([
      ['as written', {}],
      ['with @aws-cdk/aws-iam:minimizePolicies', { '@aws-cdk/aws-iam:minimizePolicies': true }],
    ])('GIVEN %s WHEN MakeFunctionsSafe.applyTo(app) THEN every function in the property binds its alias, each rewrite reported', (_how, context) => {
      // GIVEN
      const { app, stack } = manyInOneProperty(context);
      // WHEN
      MakeFunctionsSafe.applyTo(app);
      // THEN the strict guard finds nothing left, and each function's rewrite of the definition is reported
      expect(() => app.synth()).not.toThrow();
      expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
      const infos = Annotations.fromStack(stack).findInfo('/Service/Flow/Resource', Match.stringLikeRegexp('now binds the alias of'));
      expect(infos.map((i) => /alias of (\S+) instead/.exec(String(i.entry.data))?.[1]).sort()).toEqual(['Service/F/Safe', 'Service/G/Safe', 'Service/H/Safe']);
      const template = Template.fromStack(stack);
      const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
      const aliasIds = Object.keys(template.findResources('AWS::Lambda::Alias'));
      expect(aliasIds.filter((id) => definition.includes(`"Ref":"${id}"`)).length).toBe(3);
    });

    test('GIVEN it WHEN MakeFunctionsSafe is applied twice THEN the template is the same as once', () => {
      const once = manyInOneProperty();
      MakeFunctionsSafe.applyTo(once.app);
      const twice = manyInOneProperty();
      MakeFunctionsSafe.applyTo(twice.app);
      MakeFunctionsSafe.applyTo(twice.app);
      expect(Template.fromStack(twice.stack).toJSON()).toEqual(Template.fromStack(once.stack).toJSON());
    });
  });

  test('GIVEN a user\'s SingletonFunction with a plain uuid WHEN migrating THEN it is not touched (no alias, binding as written)', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const stack = new Stack(app, 'Service', { env: ENV });
    const singleton = new lambda.SingletonFunction(stack, 'Shared', { ...plainFunctionProps(), uuid: 'shared-worker' });
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(singleton)] });
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 0);
  });

  test('GIVEN a Stage added after applyTo WHEN synthesizing THEN each stack of the app warns that it was not reached', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const root = new Stack(app, 'Root');
    MakeFunctionsSafe.applyTo(app);
    const stage = new Stage(app, 'Late', { env: ENV });
    new lambda.Function(new Stack(stage, 'S'), 'Fn', plainFunctionProps());
    app.synth();
    const warnings = Annotations.fromStack(root).findWarning('/Root', Match.stringLikeRegexp('the Stage Late was synthesized before'));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringMatching(/^MakeFunctionsSafe: the Stage Late was synthesized before this aspect could reach it.*\n.*Fix: call MakeFunctionsSafe.applyTo\(app\) after every Stage is added/s),
    ]);
    expect(String(warnings[0].entry.data).split('\n')[0].length).toBeLessThanOrEqual(125);
  });

  test('GIVEN a Stage added after applyTo to an app without stacks of its own WHEN synthesizing THEN it fails naming the Stage, as no stack could show a warning', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    new Stack(new Stage(app, 'Early', { env: ENV }), 'S');
    MakeFunctionsSafe.applyTo(app);
    const late = new Stage(app, 'Late', { env: ENV });
    new lambda.Function(new Stack(late, 'S'), 'Fn', plainFunctionProps());
    expect(() => app.synth()).toThrow(/the Stage Late was synthesized before this aspect could reach it[\s\S]*no stack of its own/);
  });

  test('GIVEN a late Stage that is excluded WHEN synthesizing THEN nothing warns about it', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const root = new Stack(app, 'Root');
    const late = new Stage(app, 'Late', { env: ENV });
    MakeFunctionsSafe.applyTo(app, { exclude: [late] });
    new lambda.Function(new Stack(late, 'S'), 'Fn', plainFunctionProps());
    app.synth();
    expect(Annotations.fromStack(root).findWarning('*', Match.stringLikeRegexp('synthesized before'))).toEqual([]);
  });

  test('GIVEN aws-cdk-lib handlers and a grant policy WHEN migrating THEN internal handlers keep no alias', () => {
    const { app, stack } = legacyApp();
    new iam.Role(stack, 'Extra', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    MakeFunctionsSafe.applyTo(app);
    app.synth();
    // Only the three user functions get an alias, not the log-retention or custom-resource handlers.
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 3);
  });

  test('GIVEN exclude holding a non-construct WHEN creating the aspect THEN it fails with the fix', () => {
    expect(() => new MakeFunctionsSafe({ exclude: ['Service/Api' as any] })).toThrow(/exclude holds Service\/Api, which is not a construct\. Fix:/);
  });
});

describe('MakeFunctionsSafe over the integration table', () => {
  const rewritable = INTEGRATION_CASES.filter((c) => !c.guardIgnores);
  test.each(rewritable.map((c) => [c.name, c] as const))('GIVEN %s bound to a plain function WHEN migrating THEN the strict guard finds nothing left', (_name, integration) => {
    const app = new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Default', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    integration.bind(stack, fn);
    const idBefore = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    MakeFunctionsSafe.applyTo(app);
    app.synth();
    const left = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed && f.functionPath.startsWith('Default/Fn'));
    expect(left).toEqual([]);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function'))).toContain(idBefore);
  });
});
