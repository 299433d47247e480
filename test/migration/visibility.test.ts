import * as core from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { MakeFunctionsSafe, VersionIntegrityWarnings } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §6: what the migration did reaches what `cdk synth` prints, and no warning of aws-cdk-lib
// (or of this library) contradicts it.

const ENV = { account: '123456789012', region: 'us-east-1' };
const PERMISSIONS_WARNING = '@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias';

function newApp(context: Record<string, unknown> = RECOGNIZE_LAYERS): { app: App; stack: Stack } {
  const app = new App({ context });
  return { app, stack: new Stack(app, 'Service', { env: ENV }) };
}

/** The messages of a type the stack's cloud assembly artifact carries: what `cdk synth` prints. */
function printed(app: App, stack: Stack, type: 'aws:cdk:info' | 'aws:cdk:warning'): string[] {
  return app.synth().getStackArtifact(stack.artifactId).findMetadataByType(type).map((m) => String(m.data));
}

describe('aws-cdk-lib\'s addPermissionsToVersionOrAlias warning', () => {
  test('GIVEN a function whose only invoke permission came with a rule WHEN migrated THEN the warning is acknowledged with the reason', () => {
    // GIVEN
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    // WHEN
    MakeFunctionsSafe.applyTo(app);
    // THEN the permission moved to the alias, so the warning that says to move it is not printed
    expect(printed(app, stack, 'aws:cdk:warning').filter((w) => w.includes(PERMISSIONS_WARNING))).toEqual([]);
  });

  test('GIVEN the same app without the migration but with a version WHEN synthesized THEN aws-cdk-lib warns (the warning the migration acknowledges exists)', () => {
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    fn.currentVersion;
    expect(printed(app, stack, 'aws:cdk:warning').filter((w) => w.includes(PERMISSIONS_WARNING)).length).toBe(1);
  });

  test('GIVEN a permission no binding of the app uses WHEN migrated THEN it stays on the function and the warning stays, being true', () => {
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    fn.addPermission('External', { principal: new iam.AccountPrincipal('210987654321') });
    MakeFunctionsSafe.applyTo(app);
    expect(printed(app, stack, 'aws:cdk:warning').filter((w) => w.includes(PERMISSIONS_WARNING)).length).toBe(1);
  });
});

describe('the layer warning', () => {
  const FLAG_OFF = { [cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION]: false };

  test.each([
    ['without layers', 0, false],
    ['with a layer', 1, true],
  ])('GIVEN recognizeLayerVersion off and a function %s WHEN migrated THEN the layer warning fires %i time(s)', (_how, count, withLayer) => {
    // GIVEN
    const { app, stack } = newApp(FLAG_OFF);
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    if (withLayer) {
      fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:123456789012:layer:shared:3'));
    }
    // WHEN
    MakeFunctionsSafe.applyTo(app);
    // THEN only where a layer can be kept old
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(VersionIntegrityWarnings.LAYER_VERSION_NOT_RECOGNIZED));
    expect(warnings.length).toBe(count);
  });
});

describe('every rewrite in the cloud assembly', () => {
  test('GIVEN a migrated rule WHEN synthesized THEN its rewrite and the stack summary are in the stack artifact, not only in the tree', () => {
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    MakeFunctionsSafe.applyTo(app);
    const infos = printed(app, stack, 'aws:cdk:info');
    expect(infos).toEqual(expect.arrayContaining([
      'MakeFunctionsSafe: Properties.Targets[0].Arn now binds the alias of Service/Fn/Safe instead of its $LATEST.',
      'MakeFunctionsSafe in this stack: 1 function(s) made safe in place, 2 binding(s) moved to their alias, 0 left on $LATEST.',
    ]));
  });

  test('GIVEN two stacks WHEN migrated THEN each has its own counts', () => {
    const app = new App({ context: RECOGNIZE_LAYERS });
    const producer = new Stack(app, 'Producer', { env: ENV });
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    const fn = new lambda.Function(producer, 'Fn', plainFunctionProps());
    new lambda.Function(producer, 'Idle', plainFunctionProps());
    new events.Rule(consumer, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    MakeFunctionsSafe.applyTo(app);
    const summary = (stack: Stack) => Annotations.fromStack(stack).findInfo(`/${stack.stackName}`, Match.stringLikeRegexp('^MakeFunctionsSafe in this stack:')).map((m) => m.entry.data);
    // The rule and the permission it brought are the consumer's; the functions are the producer's.
    expect(summary(producer)).toEqual([expect.stringMatching(/^MakeFunctionsSafe in this stack: 2 function\(s\) made safe in place, 0 binding\(s\) moved/)]);
    expect(summary(consumer)).toEqual([expect.stringMatching(/^MakeFunctionsSafe in this stack: 0 function\(s\) made safe in place, 2 binding\(s\) moved/)]);
  });
});

describe('the migration\'s own messages', () => {
  test('GIVEN an app with every kind of outcome WHEN migrated THEN each message\'s first line fits a terminal and names a path', () => {
    // GIVEN a rewrite, a qualifier rewrite, a URL left for the user, an adopted alias, an excluded function
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), retryAttempts: 1 });
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    fn.addFunctionUrl();
    const adopted = new lambda.Function(stack, 'Adopted', plainFunctionProps());
    adopted.addAlias('live');
    const excluded = new lambda.Function(stack, 'Legacy', plainFunctionProps());
    // WHEN
    MakeFunctionsSafe.applyTo(app, { exclude: [excluded] });
    // THEN
    const messages = [...printed(app, stack, 'aws:cdk:info'), ...printed(app, stack, 'aws:cdk:warning')].filter((m) => m.startsWith('MakeFunctionsSafe'));
    expect(messages.length).toBeGreaterThanOrEqual(6);
    for (const message of messages) {
      const first = message.split('\n')[0];
      expect(first.length).toBeLessThanOrEqual(120);
      expect(first).toMatch(/Service\/|Properties\.|this stack/);
    }
  });
});

describe('aws-cdk-lib\'s template validation (2.278: CloudFormation Validate)', () => {
  // CI turns aws-cdk-lib's built-in validation off (CDK_VALIDATION=false, scripts/test-all.sh, issue #19);
  // these tests are about what it prints, so they turn it on (process.env is this file's own in jest).
  beforeAll(() => { process.env.CDK_VALIDATION = 'true'; });
  afterAll(() => { delete process.env.CDK_VALIDATION; });
  /** What aws-cdk-lib's validation printed while the app synthesized. */
  function validationOutput(app: App): string {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      app.synth();
      return spy.mock.calls.map((c) => c.join(' ')).join('\n');
    } finally {
      spy.mockRestore();
    }
  }

  function snsApp(migrate: boolean): App {
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    new sns.Topic(stack, 'Topic').addSubscription(new snsSubscriptions.LambdaSubscription(migrate ? fn : fn.addAlias('live')));
    if (migrate) {
      MakeFunctionsSafe.applyTo(app);
    }
    return app;
  }

  test('GIVEN an SNS subscription rewritten to the alias WHEN synthesized THEN no validation warning says the endpoint must be a function', () => {
    expect(validationOutput(snsApp(true))).not.toMatch(/W3694|expects a Lambda Function/);
  });

  test('GIVEN an SNS subscription rewritten to the alias WHEN synthesized THEN the acknowledgement is recorded with its reason where aws-cdk-lib has them', () => {
    const app = snsApp(true);
    app.synth();
    const subscription = app.node.findAll().find((c) => c instanceof sns.CfnSubscription)!;
    const acknowledged = subscription.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data);
    const hasValidations = typeof (core as any).Validations?.of === 'function';
    expect(acknowledged).toEqual(hasValidations ? [expect.objectContaining({ 'CloudFormation-Validate::W3694': expect.stringMatching(/alias/) })] : []);
  });
});
