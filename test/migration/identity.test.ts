import { App, CfnElement, CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §5: nothing a client holds changes without the user choosing it; an alias the app already
// has under the migration's name is adopted, not refused.

const ENV = { account: '123456789012', region: 'us-east-1' };
const CLIENT_HELD = 'cdk-safe-lambda:migration-client-held';

function newApp(): { app: App; stack: Stack; fn: lambda.Function } {
  const app = new App({ context: RECOGNIZE_LAYERS });
  const stack = new Stack(app, 'Service', { env: ENV });
  return { app, stack, fn: new lambda.Function(stack, 'Fn', plainFunctionProps()) };
}

function resourcesOf(stack: Stack, type: string): Record<string, any> {
  return Template.fromStack(stack).findResources(type);
}

function unsuppressed(app: App): string[] {
  return NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed).map((f) => `${f.resourcePath} ${f.propertyPath}`);
}

describe('a function URL', () => {
  test('GIVEN a function URL WHEN migrated THEN it is left as it was, with a warning naming it and both choices, and synthesis passes', () => {
    // GIVEN
    const original = newApp();
    original.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    const before = resourcesOf(original.stack, 'AWS::Lambda::Url');
    const { app, stack, fn } = newApp();
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    // WHEN
    MakeFunctionsSafe.applyTo(app);
    // THEN synthesis passes: the guard's findings for it are suppressed with the migration's reason
    expect(() => app.synth()).not.toThrow();
    const findings = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => f.resourcePath.includes('FunctionUrl'));
    expect(findings.map((f) => [f.suppressed, f.suppressionReason])).toEqual([[true, expect.stringMatching(/^MakeFunctionsSafe left it for you to choose/)]]);
    // AND the URL, its logical ID and its permissions are untouched (same hostname)
    expect(resourcesOf(stack, 'AWS::Lambda::Url')).toEqual(before);
    const fnId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    for (const permission of Object.values(resourcesOf(stack, 'AWS::Lambda::Permission'))) {
      expect(permission.Properties.FunctionName).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    }
    // AND the warning names the resource and both choices, its first line fitting a terminal
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(CLIENT_HELD)).map((w) => String(w.entry.data));
    expect(warnings).toEqual([expect.stringMatching(
      /^MakeFunctionsSafe left Service\/Fn\/FunctionUrl\/Resource on \$LATEST: moving it would replace it\.\nFunction: Service\/Fn\/Safe\. .*new function URL.*Choose: keep it on \$LATEST.*replaceClientHeldResources: true/s)]);
    expect(warnings[0].split('\n')[0].length).toBeLessThanOrEqual(125);
    // AND every suppression it made is used (the URL's permissions stay with it, suppressed with it)
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('UnusedSuppression'))).toEqual([]);
    // AND the stack's summary counts it
    expect(Annotations.fromStack(stack).findInfo('/Service', Match.stringLikeRegexp('1 of those left are for you to choose')).length).toBe(1);
  });

  test('GIVEN replaceClientHeldResources WHEN migrated THEN the URL binds the alias by its qualifier, its permissions move with it, and it says it is replaced', () => {
    const { app, stack, fn } = newApp();
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    MakeFunctionsSafe.applyTo(app, { replaceClientHeldResources: true });
    expect(() => app.synth()).not.toThrow();
    const fnId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    const aliasId = Object.keys(resourcesOf(stack, 'AWS::Lambda::Alias'))[0];
    expect(Object.values(resourcesOf(stack, 'AWS::Lambda::Url'))).toEqual([expect.objectContaining({
      Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Qualifier: 'live' },
      DependsOn: [aliasId],
    })]);
    // Lambda checks a URL's permissions on what it targets: both are on the alias now
    expect(Object.values(resourcesOf(stack, 'AWS::Lambda::Permission')).map((p) => [p.Properties.Action, p.Properties.FunctionName])).toEqual([
      ['lambda:InvokeFunctionUrl', { Ref: aliasId }],
      ['lambda:InvokeFunction', { Ref: aliasId }],
    ]);
    expect(Annotations.fromStack(stack).findInfo('/Service/Fn/FunctionUrl/Resource', Match.stringLikeRegexp('is replaced to bind the alias')).length).toBe(1);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(CLIENT_HELD))).toEqual([]);
    expect(unsuppressed(app)).toEqual([]);
  });
});

describe('a resource whose value a client may hold', () => {
  /** An SNS subscription: moving it to the alias replaces it (Endpoint is create-only). */
  function subscribed(): { app: App; stack: Stack; subscription: sns.Subscription } {
    const { app, stack, fn } = newApp();
    const topic = new sns.Topic(stack, 'Topic');
    const subscription = new sns.Subscription(stack, 'Subscription', { topic, protocol: sns.SubscriptionProtocol.LAMBDA, endpoint: fn.functionArn });
    fn.addPermission('FromTopic', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: topic.topicArn });
    return { app, stack, subscription };
  }

  const refOf = (s: sns.Subscription) => (s.node.defaultChild as sns.CfnSubscription).ref;
  test.each<[string, boolean, (stack: Stack, subscription: sns.Subscription) => void]>([
    ['nothing publishes it', true, () => undefined],
    ['a CfnOutput publishes its ARN', false, (stack, s) => new CfnOutput(stack, 'SubscriptionArn', { value: refOf(s) })],
    ['a CfnOutput publishes it inside a string', false, (stack, s) => new CfnOutput(stack, 'Text', { value: Fn.join('', ['arn=', refOf(s)]) })],
    ['an export publishes it', false, (stack, s) => new CfnOutput(stack, 'Exported', { value: refOf(s), exportName: 'SubscriptionArn' })],
    ['another stack reads it', false, (stack, s) => new sqs.Queue(new Stack(stack.node.root as App, 'Reader', { env: ENV }), 'Q', {
      queueName: Fn.select(6, Fn.split(':', refOf(s))),
    })],
  ])('GIVEN a subscription moving would replace, and %s, WHEN migrated THEN it moves: %s', (_how, moves, publish) => {
    // GIVEN
    const { app, stack, subscription } = subscribed();
    publish(stack, subscription);
    // WHEN
    MakeFunctionsSafe.applyTo(app);
    app.synth();
    // THEN it moves unless a client may hold it; then it is a warning naming the publisher
    const endpoint = JSON.stringify(Object.values(resourcesOf(stack, 'AWS::SNS::Subscription'))[0].Properties.Endpoint);
    expect(endpoint.includes('FnSafeAlias')).toBe(moves);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(CLIENT_HELD)).map((w) => String(w.entry.data));
    expect(warnings).toEqual(moves ? [] : [expect.stringMatching(/^MakeFunctionsSafe left Service\/Subscription\/Resource on \$LATEST: moving it would replace it\.\n.*Why: its Ref is (published by the output|exported to)/)]);
    expect(unsuppressed(app)).toEqual([]);
  });

  test('GIVEN a rule target whose rule ARN is published WHEN migrated THEN it moves: the rule is updated in place, its ARN kept', () => {
    const { app, stack, fn } = newApp();
    const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    new CfnOutput(stack, 'RuleArn', { value: rule.ruleArn });
    MakeFunctionsSafe.applyTo(app);
    app.synth();
    expect(JSON.stringify(Object.values(resourcesOf(stack, 'AWS::Events::Rule'))[0].Properties.Targets)).toMatch(/FnSafeAlias/);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(CLIENT_HELD))).toEqual([]);
  });
});

describe('stream and queue mappings', () => {
  test.each<[string, (stack: Stack, fn: lambda.Function) => void]>([
    ['Kinesis', (stack, fn) => fn.addEventSource(new eventSources.KinesisEventSource(new kinesis.Stream(stack, 'Stream'), { startingPosition: lambda.StartingPosition.TRIM_HORIZON }))],
    ['DynamoDB', (stack, fn) => fn.addEventSource(new eventSources.DynamoEventSource(new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE,
    }), { startingPosition: lambda.StartingPosition.LATEST }))],
    ['SQS', (stack, fn) => fn.addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'Queue')))],
  ])('GIVEN a %s mapping WHEN migrated THEN it keeps its logical ID and only FunctionName changes, in place', (_kind, bind) => {
    // GIVEN the app before and after
    const before = newApp();
    bind(before.stack, before.fn);
    const mappingsBefore = resourcesOf(before.stack, 'AWS::Lambda::EventSourceMapping');
    const { app, stack, fn } = newApp();
    bind(stack, fn);
    // WHEN
    MakeFunctionsSafe.applyTo(app);
    // THEN the same mapping (no second consumer of the stream: no duplicates, no skipped records)
    const after = resourcesOf(stack, 'AWS::Lambda::EventSourceMapping');
    expect(Object.keys(after)).toEqual(Object.keys(mappingsBefore));
    const [id] = Object.keys(after);
    const { FunctionName: nameAfter, ...restAfter } = after[id].Properties;
    const { FunctionName: nameBefore, ...restBefore } = mappingsBefore[id].Properties;
    expect(restAfter).toEqual(restBefore);
    expect(JSON.stringify(nameAfter)).toMatch(/FnSafeAlias/);
    expect(nameAfter).not.toEqual(nameBefore);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(CLIENT_HELD))).toEqual([]);
  });
});

describe('an alias of the migration\'s name the app already has', () => {
  test.each<[string, (stack: Stack, fn: lambda.Function) => lambda.Alias]>([
    ['fn.addAlias(\'live\')', (_stack, fn) => fn.addAlias('live')],
    ['a lambda.Alias named live elsewhere in the stack', (stack, fn) => new lambda.Alias(stack, 'ProdLive', { aliasName: 'live', version: fn.currentVersion })],
  ])('GIVEN %s WHEN migrated THEN the migration binds that alias and makes no second one', (_how, makeAlias) => {
    // GIVEN
    const { app, stack, fn } = newApp();
    const alias = makeAlias(stack, fn);
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    // WHEN
    MakeFunctionsSafe.applyTo(app);
    // THEN synthesis passes, with one alias named live, which the rule and its permission now bind
    expect(() => app.synth()).not.toThrow();
    const aliasId = stack.getLogicalId(alias.node.defaultChild as CfnElement);
    expect(Object.keys(resourcesOf(stack, 'AWS::Lambda::Alias'))).toEqual([aliasId]);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { Ref: aliasId } })] });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { Ref: aliasId } });
    expect(unsuppressed(app)).toEqual([]);
    // AND it says so, where cdk synth shows it
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('already has the alias \'live\'')).length).toBe(1);
    expect(Annotations.fromStack(stack).findInfo('/Service', Match.stringLikeRegexp('1 function\\(s\\) bound through the alias they already had')).length).toBe(1);
  });

  test('GIVEN a function with its own live alias and a URL WHEN migrated THEN the URL is left with the warning, and synthesis passes', () => {
    const { app, stack, fn } = newApp();
    fn.addAlias('live');
    fn.addFunctionUrl();
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(CLIENT_HELD)).map((w) => String(w.entry.data).split('\n')[0]))
      .toEqual(['MakeFunctionsSafe left Service/Fn/FunctionUrl/Resource on $LATEST: moving it would replace it.']);
    // No SafeAlias guards it, so nothing was suppressed, and no suppression is left unused
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('UnusedSuppression'))).toEqual([]);
  });

  test('GIVEN an alias named live on $LATEST WHEN migrated THEN it fails naming the alias and the fix', () => {
    const { app, fn } = newApp();
    fn.latestVersion.addAlias('live');
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).toThrow(/MakeFunctionsSafe: Service\/Fn has an alias 'live' \(.*\) on \$LATEST.*Fix: point the alias at a published version/);
  });

  test('GIVEN an alias named live and a migration to another alias name WHEN migrated THEN a SafeAlias of that name is made beside it', () => {
    const { app, stack, fn } = newApp();
    fn.addAlias('live');
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    MakeFunctionsSafe.applyTo(app, { aliasName: 'prod' });
    expect(() => app.synth()).not.toThrow();
    expect(Object.values(resourcesOf(stack, 'AWS::Lambda::Alias')).map((a) => a.Properties.Name).sort()).toEqual(['live', 'prod']);
  });
});

describe('properties of one resource naming the same function move together', () => {
  test('GIVEN PreTokenGeneration and a PreTokenGenerationConfig.LambdaArn that names :$LATEST WHEN migrated THEN neither moves and the guard reports both', () => {
    // GIVEN the two keys Cognito reads for one trigger; one cannot be rewritten (`:$LATEST` spelled out)
    const { app, stack, fn } = newApp();
    new cognito.CfnUserPool(stack, 'Pool', {
      lambdaConfig: {
        preTokenGeneration: fn.functionArn,
        preTokenGenerationConfig: { lambdaArn: `${fn.functionArn}:$LATEST`, lambdaVersion: 'V2_0' },
      },
    });
    // WHEN
    MakeFunctionsSafe.applyTo(app);
    // THEN the guard fails synthesis on both: the user must bind the alias in both, or neither
    expect(() => app.synth()).toThrow(/binds Properties.LambdaConfig.PreTokenGeneration to[\s\S]*binds Properties.LambdaConfig.PreTokenGenerationConfig.LambdaArn to/);
    // AND the pair stays as written, with the reason on the pool
    const pool = app.node.findChild('Service').node.findChild('Pool') as cognito.CfnUserPool;
    const config = stack.resolve((pool as any)._toCloudFormation()).Resources.Pool.Properties.LambdaConfig;
    const fnId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    expect(config.PreTokenGeneration).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(JSON.stringify(config.PreTokenGenerationConfig.LambdaArn)).not.toMatch(/Alias/);
    expect(pool.node.metadata.map((m) => String(m.data)).filter((m) => /PreTokenGeneration still binds [\s\S]*move together/.test(m)).length).toBe(1);
  });
});
