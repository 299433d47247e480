import * as cdk from 'aws-cdk-lib';
import { App, CfnResource, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GuardedFunctions, GuardRules, NoLatestInvocations, SafeFunctionMixin } from '../../src';

// Issue #17 §6: the in-place adoption as a Mixin, for the functions it is applied to only.

/** aws-cdk-lib's Mixins (2.27x and later); the floor has only constructs' `with()`. */
const Mixins = (cdk as any).Mixins;

function plainFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
}

function scheduled(stack: Stack, id: string, fn: lambda.Function): events.Rule {
  return new events.Rule(stack, id, { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
}

function twoFunctions(scope: Construct = new App({ context: { 'aws:cdk:bundling-stacks': [] } })) {
  const stack = new Stack(scope, 'Stack');
  const orders = plainFunction(stack, 'Orders');
  const reports = plainFunction(stack, 'Reports');
  scheduled(stack, 'OrdersRule', orders);
  scheduled(stack, 'ReportsRule', reports);
  return { stack, orders, reports };
}

/** The rule's target: `{ Ref: <alias> }` once bound to the alias, `{ Fn::GetAtt: [<function>, Arn] }` on $LATEST. */
function targetOf(stack: Stack, ruleId: string): unknown {
  const rule = stack.node.findChild(ruleId).node.defaultChild as CfnResource;
  const template = Template.fromStack(stack).toJSON();
  return template.Resources[stack.resolve(rule.logicalId)].Properties.Targets[0].Arn;
}

function liveAliasOf(stack: Stack, fn: lambda.Function): string | undefined {
  const template = Template.fromStack(stack).toJSON();
  const fnId = stack.resolve((fn.node.defaultChild as CfnResource).logicalId);
  return Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Alias'
    && r.Properties.Name === 'live' && JSON.stringify(r.Properties.FunctionName).includes(fnId))?.[0];
}

/** What a guard of every function still finds, by resource path. */
function findingsOf(scope: Construct): string[] {
  return NoLatestInvocations.findings(scope, { functions: GuardedFunctions.ALL })
    .filter((f) => !f.suppressed && f.ruleId === GuardRules.LATEST_BINDING).map((f) => f.resourcePath);
}

describe('SafeFunctionMixin', () => {
  test('GIVEN two functions bound unqualified WHEN fn.with(mixin) on one THEN only its binding moves to its live alias and it keeps its logical ID', () => {
    // GIVEN
    const { stack, orders, reports } = twoFunctions();
    const ordersId = stack.resolve((orders.node.defaultChild as CfnResource).logicalId);

    // WHEN
    orders.with(new SafeFunctionMixin());

    // THEN the selected function is bound through its alias, the other one is untouched
    const alias = liveAliasOf(stack, orders);
    expect(alias).toBeDefined();
    expect(targetOf(stack, 'OrdersRule')).toEqual({ Ref: alias });
    expect(liveAliasOf(stack, reports)).toBeUndefined();
    expect(targetOf(stack, 'ReportsRule')).toEqual({ 'Fn::GetAtt': [stack.resolve((reports.node.defaultChild as CfnResource).logicalId), 'Arn'] });
    expect(stack.resolve((orders.node.defaultChild as CfnResource).logicalId)).toBe(ordersId);
    // AND a guard of every function finds the unselected function's binding only
    expect(findingsOf(stack)).toEqual(['Stack/ReportsRule/Resource']);
  });

  test('GIVEN the mixin applied first WHEN a binding is added afterwards THEN it is rewritten too, at synthesis', () => {
    // GIVEN
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack');
    const fn = plainFunction(stack, 'Fn').with(new SafeFunctionMixin()) as lambda.Function;

    // WHEN a rule and a queue mapping are added after the Mixin
    scheduled(stack, 'Rule', fn);
    fn.addEventSourceMapping('Queue', { eventSourceArn: new sqs.Queue(stack, 'Queue').queueArn });

    // THEN both bind the alias
    const alias = liveAliasOf(stack, fn);
    expect(targetOf(stack, 'Rule')).toEqual({ Ref: alias });
    const mapping = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping'))[0];
    expect(JSON.stringify(mapping.Properties.FunctionName)).toContain(':live');
    expect(findingsOf(stack)).toEqual([]);
  });

  test('GIVEN a stack WHEN stack.with(mixin) THEN every function in it is made safe; a construct that is not a function is skipped', () => {
    const { stack, orders, reports } = twoFunctions();
    stack.with(new SafeFunctionMixin());
    expect(targetOf(stack, 'OrdersRule')).toEqual({ Ref: liveAliasOf(stack, orders) });
    expect(targetOf(stack, 'ReportsRule')).toEqual({ Ref: liveAliasOf(stack, reports) });
  });

  test('GIVEN exclude WHEN the mixin is applied to a scope THEN the excluded function stays as it is', () => {
    const { stack, reports } = twoFunctions();
    stack.with(new SafeFunctionMixin({ exclude: [reports] }));
    expect(liveAliasOf(stack, reports)).toBeUndefined();
    expect(findingsOf(stack)).toEqual(['Stack/ReportsRule/Resource']);
  });

  test('GIVEN a function in a nested Stage WHEN fn.with(mixin) THEN the Stage\'s binding is rewritten and the App synthesizes', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { stack, orders } = twoFunctions(new Stage(app, 'Prod'));
    orders.with(new SafeFunctionMixin());
    expect(() => app.synth()).not.toThrow();
    expect(targetOf(stack, 'OrdersRule')).toEqual({ Ref: liveAliasOf(stack, orders) });
  });

  test.each([
    ['a queue', (stack: Stack) => new sqs.Queue(stack, 'Q'), /'Stack\/Q' is a Queue\w*, not a lambda.Function\. Fix: apply it to functions/],
  ])('applyTo() on %s names the construct and the fix', (_name, make, message) => {
    const { stack } = twoFunctions();
    expect(new SafeFunctionMixin().supports(make(stack))).toBe(false);
    expect(() => new SafeFunctionMixin().applyTo(stack.node.findChild('Q'))).toThrow(message);
  });

  test('GIVEN a Stage already synthesized WHEN the mixin is applied to its function THEN it fails with the fix', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { orders } = twoFunctions(new Stage(app, 'Prod'));
    (orders.node.scope!.node.scope as Stage).synth();
    expect(() => orders.with(new SafeFunctionMixin())).toThrow(/Stage 'Prod' of 'Prod\/Stack\/Orders' was already synthesized.*Fix: apply the Mixin in the Stage's constructor/);
  });

  test('an unknown exclude entry is refused like MakeFunctionsSafe refuses it', () => {
    expect(() => new SafeFunctionMixin({ exclude: ['Orders' as any] })).toThrow(/exclude holds Orders, which is not a construct/);
  });

  test('Mixins.of(scope, selector).apply(mixin) makes the selected functions safe where aws-cdk-lib has Mixins', () => {
    const { stack, orders, reports } = twoFunctions();
    if (!Mixins) {
      // the floor: no Mixins; fn.with() is the way (above)
      expect((cdk as any).ConstructSelector).toBeUndefined();
      return;
    }
    Mixins.of(stack, (cdk as any).ConstructSelector.byId('Orders')).apply(new SafeFunctionMixin());
    expect(targetOf(stack, 'OrdersRule')).toEqual({ Ref: liveAliasOf(stack, orders) });
    expect(liveAliasOf(stack, reports)).toBeUndefined();
    expect(findingsOf(stack)).toEqual(['Stack/ReportsRule/Resource']);
  });
});
