import { App, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FUNCTION_KINDS, logicalIdOf } from './kinds';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations, SafeAlias, SafeFunction, VersionIntegrityWarnings } from '../../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #9 §1: a deploy-time number or list in a function's own props (memorySize from a CfnParameter)
// made every recording of the function's properties fail inside aws-cdk-lib's validators, so that
// SafeFunction, SafeAlias and MakeFunctionsSafe crashed synthesis of an app that synthesized before.

const ENV = { account: '123456789012', region: 'us-east-1' };

type Typed = [string, (scope: Construct) => Partial<lambda.FunctionProps>];

const number = (scope: Construct, id: string) => new CfnParameter(Stack.of(scope), id, { type: 'Number', default: 256 }).valueAsNumber;

const TYPED_PROPS: Typed[] = [
  ['memorySize from a Number parameter', (s) => ({ memorySize: number(s, 'Memory') })],
  ['timeout from a Number parameter', (s) => ({ timeout: Duration.seconds(number(s, 'Timeout')) })],
  ['reservedConcurrentExecutions from a Number parameter', (s) => ({ reservedConcurrentExecutions: number(s, 'Reserved') })],
  ['ephemeral storage from a Lazy.number', () => ({ ephemeralStorageSize: undefined, memorySize: Lazy.number({ produce: () => 512 }) })],
  ['every number prop from parameters at once', (s) => ({
    memorySize: number(s, 'Memory'), timeout: Duration.seconds(number(s, 'Timeout')), reservedConcurrentExecutions: number(s, 'Reserved'),
  })],
];

function newApp(): { app: App; stack: Stack } {
  const app = new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } });
  return { app, stack: new Stack(app, 'Service', { env: ENV }) };
}

function bind(stack: Stack, fn: lambda.IFunction): void {
  new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new targets.LambdaFunction(fn)] });
}

describe('deploy-time numbers in a function\'s own props', () => {
  test.each(TYPED_PROPS)('GIVEN a SafeFunction with %s WHEN synthesized THEN it binds the alias and the parameter reaches the template', (_name, props) => {
    // GIVEN
    const { app, stack } = newApp();
    const fn = new SafeFunction(stack, 'Fn', { ...plainFunctionProps(), ...props(stack) });
    bind(stack, fn);
    // WHEN / THEN
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 1);
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL })).toEqual([]);
  });

  const kindCases = FUNCTION_KINDS.flatMap((kind) => TYPED_PROPS.slice(0, 2)
    .map(([name, props]): [string, string, typeof kind, Typed[1]] => [kind.name, name, kind, props]));
  test.each(kindCases)(
    'GIVEN a %s with %s made safe by SafeAlias WHEN synthesized THEN nothing crashes and its logical ID stays',
    (_kindName, _name, kind, props) => {
      // GIVEN the kind's function, then the typed prop forced onto its L1 as an escape hatch would
      const { app, stack } = newApp();
      const fn = kind.build(stack, 'Orders');
      const typed = props(stack);
      const cfn = fn.node.defaultChild as lambda.CfnFunction;
      if (typed.memorySize !== undefined) cfn.memorySize = typed.memorySize;
      if (typed.timeout !== undefined) cfn.timeout = typed.timeout.toSeconds();
      const id = logicalIdOf(fn);
      bind(stack, new SafeAlias(stack, 'Safe', { function: fn }));
      // WHEN / THEN
      expect(() => app.synth()).not.toThrow();
      expect(Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function'))).toContain(id);
    });

  test.each(TYPED_PROPS)('GIVEN a plain function with %s bound to $LATEST WHEN MakeFunctionsSafe.applyTo(app) THEN the app still synthesizes, now safe', (_name, props) => {
    // GIVEN an app that synthesizes today
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), ...props(stack) });
    bind(stack, fn);
    // WHEN migrated
    MakeFunctionsSafe.applyTo(app);
    // THEN
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 1);
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });
});

describe('deploy-time lists in a function\'s own props', () => {
  test('GIVEN layers from a list parameter (an escape hatch) WHEN synthesized THEN the version-integrity warning still names the parameter', () => {
    // GIVEN
    const { stack } = newApp();
    const fn = new SafeFunction(stack, 'Fn', plainFunctionProps());
    const layers = new CfnParameter(stack, 'Layers', { type: 'CommaDelimitedList' });
    (fn.function.node.defaultChild as lambda.CfnFunction).layers = layers.valueAsList;
    // WHEN / THEN
    Annotations.fromStack(stack).hasWarning('/Service/Fn', Match.stringLikeRegexp(
      `Layers is the CfnParameter Service/Layers.*\\[ack: ${VersionIntegrityWarnings.DEPLOY_TIME_VALUE}\\]`));
  });

  test('GIVEN a function in a VPC whose subnets are a list parameter WHEN made safe THEN synthesis succeeds', () => {
    const { app, stack } = newApp();
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    (fn.node.defaultChild as lambda.CfnFunction).vpcConfig = {
      subnetIds: new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' }).valueAsList,
      securityGroupIds: new CfnParameter(stack, 'Groups', { type: 'List<AWS::EC2::SecurityGroup::Id>' }).valueAsList,
    };
    bind(stack, new SafeAlias(stack, 'Safe', { function: fn }));
    expect(() => app.synth()).not.toThrow();
  });
});
