import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SafeAlias, SafeFunction } from '../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from './fixtures/stacks';

// Issue #12, item 6: the library never hashes function properties itself. It follows aws-cdk-lib's
// classification of version-locked properties, so Lambda's newer properties (durable functions,
// Managed Instances, tenancy, function scaling) never make a SafeFunction throw "not recognized as
// version properties", on the floor (2.232.0) as on the newest aws-cdk-lib.

const ENV = { account: '123456789012', region: 'us-east-1' };

function newStack(): { app: App; stack: Stack } {
  const app = new App({ context: RECOGNIZE_LAYERS });
  return { app, stack: new Stack(app, 'Stack', { env: ENV }) };
}

/** The logical ID of the function's published version (it changes exactly when a version-locked property does). */
function versionId(stack: Stack): string {
  const ids = Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Version'));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** [property, L2 props that set it, whether aws-cdk-lib says it is version-locked]. */
const NEW_PROPERTIES: Array<[string, Partial<lambda.FunctionProps>, boolean]> = [
  ['DurableConfig', { durableConfig: { executionTimeout: Duration.minutes(15) } }, true],
  ['TenancyConfig', { tenancyConfig: lambda.TenancyConfig.PER_TENANT }, false],
];

describe('version hash with newer Lambda properties', () => {
  test.each(NEW_PROPERTIES)('GIVEN a SafeFunction with %s WHEN synthesizing THEN it renders and the version follows aws-cdk-lib', (property, extra, locked) => {
    // GIVEN
    const plain = newStack();
    new SafeFunction(plain.stack, 'Fn', plainFunctionProps());
    const withProp = newStack();
    new SafeFunction(withProp.stack, 'Fn', { ...plainFunctionProps(), ...extra });

    // WHEN / THEN
    expect(() => withProp.app.synth()).not.toThrow();
    Template.fromStack(withProp.stack).hasResourceProperties('AWS::Lambda::Function', { [property]: Match.anyValue() });
    expect(versionId(withProp.stack) !== versionId(plain.stack)).toBe(locked);
  });

  test('GIVEN a durable SafeFunction bound to an EventBridge rule WHEN synthesizing THEN the rule targets the alias', () => {
    const { app, stack } = newStack();
    const fn = new SafeFunction(stack, 'Workflow', { ...plainFunctionProps(), durableConfig: { executionTimeout: Duration.hours(1) } });
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['orders'] }, targets: [new eventsTargets.LambdaFunction(fn)] });
    expect(() => app.synth()).not.toThrow();
    const aliasId = Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Alias'))[0];
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { Ref: aliasId } })] });
  });

  test('GIVEN a SafeAlias over a function on a capacity provider WHEN synthesizing THEN its version renders with the provider config', () => {
    const { app, stack } = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const provider = new lambda.CapacityProvider(stack, 'Provider', {
      subnets: vpc.privateSubnets.length ? vpc.privateSubnets : vpc.isolatedSubnets.length ? vpc.isolatedSubnets : vpc.publicSubnets,
      securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
    });
    const fn = new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), memorySize: 2048 });
    provider.addFunction(fn, { latestPublishedScalingConfig: { minExecutionEnvironments: 0 } });
    new SafeAlias(stack, 'Safe', { function: fn });
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { CapacityProviderConfig: Match.anyValue() });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Version', 1);
  });

  test('GIVEN a property override of a version-locked property WHEN the currentVersion is computed THEN the library adds no hashing of its own', () => {
    // An escape hatch to a property this aws-cdk-lib classifies: aws-cdk-lib decides, the version moves.
    const a = newStack();
    new SafeFunction(a.stack, 'Fn', plainFunctionProps());
    const b = newStack();
    const fn = new SafeFunction(b.stack, 'Fn', plainFunctionProps());
    (fn.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride('DurableConfig', { ExecutionTimeout: 900 });
    expect(() => b.app.synth()).not.toThrow();
    expect(versionId(b.stack)).not.toEqual(versionId(a.stack));
  });
});
