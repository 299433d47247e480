import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FUNCTION_KINDS, FunctionKind, logicalIdOf, newBundlingFreeStack } from './kinds';
import { GuardRules, GuardSuppressions, SafeAlias, SafeFunction } from '../../src';
import { VERSION_PRUNER_RESOURCE_TYPE } from '../../src/private/version-pruner-resource-type';
import { INTEGRATION_CASES } from '../fixtures/integrations';
import { plainFunctionProps } from '../fixtures/stacks';
import { referencesLogicalId, valuesAt } from '../fixtures/template-paths';
import { subscribe, synthError } from '../guard/guard-test-app';

const KINDS = FUNCTION_KINDS.map((k) => [k.name, k] as const);

/** `kind` built at Default/Orders, made safe (or not) by a SafeAlias at Default/OrdersLive. */
function build(kind: FunctionKind, safe: boolean, options: Partial<ConstructorParameters<typeof SafeAlias>[2]> = {}) {
  const stack = newBundlingFreeStack();
  const fn = kind.build(stack, 'Orders');
  const alias = safe ? new SafeAlias(stack, 'OrdersLive', { function: fn, ...options }) : undefined;
  return { stack, fn, alias };
}

describe('SafeAlias makes an existing function safe in place', () => {
  test.each(KINDS)('%s keeps its logical ID and its properties, and nothing is removed from the template', (_name, kind) => {
    // GIVEN
    const before = build(kind, false);
    const beforeTemplate = Template.fromStack(before.stack).toJSON();

    // WHEN
    const after = build(kind, true);
    const afterTemplate = Template.fromStack(after.stack).toJSON();

    // THEN
    const id = logicalIdOf(before.fn);
    expect(logicalIdOf(after.fn)).toBe(id);
    expect(after.fn.node.path).toBe(before.fn.node.path);
    expect(afterTemplate.Resources[id]).toEqual(beforeTemplate.Resources[id]);
    expect(Object.keys(afterTemplate.Resources)).toEqual(expect.arrayContaining(Object.keys(beforeTemplate.Resources)));
    const added = Object.keys(afterTemplate.Resources).filter((r) => !(r in beforeTemplate.Resources))
      .map((r) => afterTemplate.Resources[r].Type).sort();
    expect(added).toEqual(['AWS::Lambda::Alias', 'AWS::Lambda::Version']);
  });

  test.each(KINDS)('%s: the SafeAlias is the live alias of the function, on its current version', (_name, kind) => {
    // GIVEN / WHEN
    const { stack, fn, alias } = build(kind, true);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: logicalIdOf(fn) },
      FunctionVersion: { 'Fn::GetAtt': [logicalIdOf(fn.currentVersion), 'Version'] },
    });
    expect(alias!.function).toBe(fn);
    expect(stack.resolve(alias!.functionArn)).toEqual({ Ref: logicalIdOf(alias!.live) });
  });

  const sample = INTEGRATION_CASES.filter((c) => ['lambda_event_sources.SqsEventSource', 'sns_subscriptions.LambdaSubscription',
    'apigatewayv2_integrations.HttpLambdaIntegration', 'events_targets.LambdaFunction'].includes(c.name));
  test.each(FUNCTION_KINDS.flatMap((k) => sample.map((c) => [k.name, c.name, k, c] as const)))(
    '%s: %s binds the alias, never the function', (_kind, _integration, kind, integration) => {
      // GIVEN
      const { stack, fn, alias } = build(kind, true);

      // WHEN
      integration.bind(stack, alias!);

      // THEN
      const bindings = Object.values(valuesAt(Template.fromStack(stack), integration.resourceType, integration.propertyPath));
      expect(bindings.length).toBeGreaterThan(0);
      for (const value of bindings) {
        expect(referencesLogicalId(value, logicalIdOf(alias!.live))).toBe(true);
        expect(referencesLogicalId(value, logicalIdOf(fn))).toBe(false);
      }
    });

  test.each(INTEGRATION_CASES.filter((c) => c.form !== 'qualifier').map((c) => [c.name, c] as const))(
    'a wrapped lambda.Function: %s binds the alias', (_name, integration) => {
      // GIVEN
      const { stack, fn, alias } = build(FUNCTION_KINDS[0], true);

      // WHEN
      integration.bind(stack, alias!);

      // THEN
      const bindings = Object.values(valuesAt(Template.fromStack(stack), integration.resourceType, integration.propertyPath));
      expect(bindings.length).toBeGreaterThan(0);
      for (const value of bindings) {
        expect(referencesLogicalId(value, logicalIdOf(fn))).toBe(false);
      }
    });

  test.each(KINDS)('%s: the automatic guard fails synthesis when the function itself is bound', (_name, kind) => {
    // GIVEN
    const { stack, fn } = build(kind, true);

    // WHEN
    subscribe(stack, fn.functionArn);

    // THEN
    const error = synthError(stack.node.root as App);
    expect(error).toContain('Default/Sub binds Properties.Endpoint to the unqualified ARN of Default/OrdersLive');
  });

  test.each(KINDS)('%s: guard: false leaves the function to the guards the user adds', (_name, kind) => {
    // GIVEN
    const { stack, fn } = build(kind, true, { guard: false });

    // WHEN
    subscribe(stack, fn.functionArn);

    // THEN
    expect(synthError(stack.node.root as App)).toBe('');
  });

  test.each(KINDS)('%s: deployment, stage aliases and retainVersions work as on a SafeFunction', (_name, kind) => {
    // GIVEN / WHEN
    const { stack, alias } = build(kind, true, { deployment: {}, stageAliases: [{ aliasName: 'dev' }], retainVersions: 3 });
    alias!.addStageAlias('beta');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 1);
    expect(Object.values(template.findResources('AWS::Lambda::Alias')).map((a) => a.Properties.Name).sort()).toEqual(['beta', 'dev', 'live']);
    template.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.resourceCountIs(VERSION_PRUNER_RESOURCE_TYPE, 1);
  });

  test.each(KINDS)('%s: provisioned concurrency and async-invoke settings go on the alias', (_name, kind) => {
    // GIVEN / WHEN
    const { stack } = build(kind, true, { provisionedConcurrentExecutions: 2, retryAttempts: 0 });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { Qualifier: Match.anyValue(), MaximumRetryAttempts: 0 });
    expect(template.findResources('AWS::Lambda::Version', { Properties: { ProvisionedConcurrencyConfig: Match.anyValue() } })).toEqual({});
  });

  test('grants go to the alias ARN only', () => {
    // GIVEN
    const { stack, alias } = build(FUNCTION_KINDS[0], true);
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });

    // WHEN
    alias!.grantInvoke(role);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Resource: { Ref: logicalIdOf(alias!.live) } }] },
    });
  });

  test('the function itself is a fine scope for its SafeAlias', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new lambda.Function(stack, 'Orders', plainFunctionProps());

    // WHEN
    const alias = new SafeAlias(fn, 'Safe', { function: fn });

    // THEN
    expect(alias.live.node.path).toBe('Default/Orders/Safe/Alias');
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 1);
  });

  test('a currentVersion read before the SafeAlias is adopted when its options do not conflict', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new lambda.Function(stack, 'Orders', plainFunctionProps());
    const version = fn.currentVersion;

    // WHEN
    const alias = new SafeAlias(stack, 'OrdersLive', { function: fn });

    // THEN
    expect(alias.currentVersion).toBe(version);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Version', 1);
  });

  test('a currentVersion read before the SafeAlias gets the policy retainVersions needs', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new lambda.Function(stack, 'Orders', plainFunctionProps());
    fn.currentVersion;

    // WHEN
    new SafeAlias(stack, 'OrdersLive', { function: fn, retainVersions: 3 });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Version', 1);
    template.hasResource('AWS::Lambda::Version', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('refused at construction, naming the value and the fix', () => {
  const cases: Array<[string, (stack: Stack) => void, RegExp]> = [
    ['an imported function', (stack) => new SafeAlias(stack, 'Live', {
      function: lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:function:orders'),
    }), /Default\/Live: the function Default\/Imported is not defined by this app .*Fix: make it safe in the app that defines it/],
    ['a SingletonFunction', (stack) => new SafeAlias(stack, 'Live', {
      function: new lambda.SingletonFunction(stack, 'Single', { ...plainFunctionProps(), uuid: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' }),
    }), /Default\/Live: the function Default\/Single is a lambda\.SingletonFunction.*Fix: use a lambda\.Function/],
    ['a SafeFunction', (stack) => new SafeAlias(stack, 'Live', { function: new SafeFunction(stack, 'Safe', plainFunctionProps()) }),
      /Default\/Live: Default\/Safe is already safe .*Fix: pass it to integrations as it is/],
    ['the inner function of a SafeFunction', (stack) => new SafeAlias(stack, 'Live', {
      function: new SafeFunction(stack, 'Safe', plainFunctionProps()).function,
    }), /Default\/Live: the function Default\/Safe\/Function is already safe \(it is Default\/Safe\)/],
    ['a function wrapped twice', (stack) => {
      const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
      new SafeAlias(stack, 'One', { function: fn });
      new SafeAlias(stack, 'Live', { function: fn });
    }, /Default\/Live: the function Default\/Fn is already safe \(it is Default\/One\)/],
    ['a lambda.Alias', (stack) => new SafeAlias(stack, 'Live', {
      function: new lambda.Function(stack, 'Fn', plainFunctionProps()).addAlias('prod'),
    }), /Default\/Live: Default\/Fn\/Aliasprod is already a lambda\.Alias.*Fix: pass the function it belongs to \(Default\/Fn\)/],
    ['a function that already has an alias of that name', (stack) => {
      const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
      fn.addAlias('live');
      new SafeAlias(stack, 'Live', { function: fn });
    }, /Default\/Live: the function Default\/Fn already has an alias named 'live' \(Default\/Fn\/Aliaslive\).*Fix: remove that alias/],
    ['a function in another stack', (stack) => {
      const other = new Stack(stack.node.root as App, 'Other');
      new SafeAlias(stack, 'Live', { function: new lambda.Function(other, 'Fn', plainFunctionProps()) });
    }, /Default\/Live: the function Other\/Fn is in the stack Other, not in Default.*Fix: create the SafeAlias in the function's stack/],
    ['a removal policy on the function\'s versions that retainVersions contradicts', (stack) => new SafeAlias(stack, 'Live', {
      function: new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), currentVersionOptions: { removalPolicy: RemovalPolicy.DESTROY } }),
      retainVersions: 3,
    }), /Default\/Live: retainVersions is 3, but the version removal policy is destroy.*Fix: remove versionRemovalPolicy \(and currentVersionOptions\.removalPolicy\)/],
    ['provisioned concurrency on the function\'s version', (stack) => new SafeAlias(stack, 'Live', {
      function: new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), currentVersionOptions: { provisionedConcurrentExecutions: 5 } }),
    }), /Default\/Live: currentVersionOptions\.provisionedConcurrentExecutions is 5.*Use the provisionedConcurrentExecutions prop instead/],
    ['provisioned concurrency set on a version created before (an escape hatch)', (stack) => {
      const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
      (fn.currentVersion.node.defaultChild as lambda.CfnVersion).provisionedConcurrencyConfig = { provisionedConcurrentExecutions: 5 };
      new SafeAlias(stack, 'Live', { function: fn });
    }, /Default\/Live: the currentVersion of Default\/Fn was created before the SafeAlias .*with provisioned concurrency.*Fix: remove currentVersionOptions\.provisionedConcurrentExecutions/],
    ['an invalid alias name', (stack) => new SafeAlias(stack, 'Live', {
      function: new lambda.Function(stack, 'Fn', plainFunctionProps()), aliasName: '123',
    }), /Default\/Live: invalid aliasName '123': it is all digits/],
  ];
  test.each(cases)('%s', (_name, act, message) => {
    // GIVEN
    const stack = newBundlingFreeStack();

    // WHEN / THEN
    expect(() => act(stack)).toThrow(message);
  });
});

describe('callers outside the app', () => {
  test('a grant kept on the bare function, with a suppression saying why, synthesizes without the guard\'s warning', () => {
    // GIVEN
    const { stack, fn, alias } = build(FUNCTION_KINDS[0], true);
    const legacy = new iam.Role(stack, 'Legacy', { assumedBy: new iam.AccountRootPrincipal() });

    // WHEN
    fn.grantInvoke(legacy);
    GuardSuppressions.add(legacy, { ruleId: GuardRules.LATEST_GRANT, reason: 'legacy batch job, moves to :live by June' });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('allows lambda:InvokeFunction'));
    expect(stack.resolve(alias!.functionArn)).toEqual({ Ref: logicalIdOf(alias!.live) });
  });

  test('without the suppression, the grant on the bare function is a guard warning', () => {
    // GIVEN
    const { stack, fn } = build(FUNCTION_KINDS[0], true);

    // WHEN
    fn.grantInvoke(new iam.Role(stack, 'Legacy', { assumedBy: new iam.AccountRootPrincipal() }));

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Legacy/DefaultPolicy/Resource',
      Match.stringLikeRegexp(`allows lambda:InvokeFunction .*Default/OrdersLive.*${GuardRules.LATEST_GRANT}`));
  });
});
