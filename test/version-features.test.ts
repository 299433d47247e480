import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { GuardedFunctions, GuardRules, NoLatestInvocations, SafeFunction } from '../src';
import { plainFunctionProps, RECOGNIZE_LAYERS } from './fixtures/stacks';
import { run } from '../src/cli/main';

// Issue #12: durable functions, SnapStart and Managed Instances only work through versions, so the
// guard checks them whatever `GuardedFunctions` says, each with a rule that says why.

const ENV = { account: '123456789012', region: 'us-east-1' };

type Variant = [string, Partial<lambda.FunctionProps>, string];

const FEATURES: Variant[] = [
  ['durable', { durableConfig: { executionTimeout: Duration.minutes(15) } }, GuardRules.DURABLE_LATEST],
  ['SnapStart', { runtime: lambda.Runtime.PYTHON_3_12, snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS }, GuardRules.SNAP_START_LATEST],
];

type Binder = [string, (stack: Stack, fn: lambda.IFunction) => void];

const BINDERS: Binder[] = [
  ['an EventBridge rule', (stack, fn) => new events.Rule(stack, 'Rule', { eventPattern: { source: ['x'] }, targets: [new eventsTargets.LambdaFunction(fn)] })],
  ['an SQS event source', (_stack, fn) => fn.addEventSource(new eventSources.SqsEventSource(new sqs.Queue(fn.stack, 'Queue')))],
];

/** The template key and value of a feature's props (`durableConfig` → `DurableConfig`). */
function templateKey(props: Partial<lambda.FunctionProps>): string {
  return props.durableConfig ? 'DurableConfig' : 'SnapStart';
}

function templateValue(props: Partial<lambda.FunctionProps>): unknown {
  return props.durableConfig ? { ExecutionTimeout: 900 } : { ApplyOn: 'PublishedVersions' };
}

function cfnProperties(cfn: lambda.CfnFunction): Record<string, unknown> {
  const rendered = Stack.of(cfn).resolve((cfn as any)._toCloudFormation());
  return (Object.values(rendered.Resources)[0] as any).Properties;
}

function app(): { app: App; stack: Stack } {
  const a = new App({ context: RECOGNIZE_LAYERS });
  return { app: a, stack: new Stack(a, 'Stack', { env: ENV }) };
}

describe.each(FEATURES)('a %s function', (_name, props, ruleId) => {
  test.each(BINDERS)('GIVEN a plain one bound unqualified to %s WHEN the default guard runs THEN synthesis fails with its own rule', (_binder, bind) => {
    // GIVEN: no SafeFunction at all, the guard in its default mode (SAFE_FUNCTIONS)
    const { app: a, stack } = app();
    const fn = new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), ...props });
    bind(stack, fn);
    Aspects.of(a).add(new NoLatestInvocations());

    // WHEN / THEN
    const findings = NoLatestInvocations.findings(a).filter((f) => f.ruleId === ruleId);
    expect(findings.length).toBeGreaterThanOrEqual(1);
    expect(findings[0].message).toMatch(/Fix: make Stack\/Fn safe in place/);
    expect(() => a.synth()).toThrow(new RegExp(`\\[${ruleId}\\]`));
  });

  test.each<[string, (cfn: lambda.CfnFunction) => void]>([
    ['addPropertyOverride', (cfn) => cfn.addPropertyOverride(templateKey(props), templateValue(props))],
    ['addOverride of the whole Properties', (cfn) => cfn.addOverride('Properties', { ...cfnProperties(cfn), [templateKey(props)]: templateValue(props) })],
    ['addOverride of one nested key', (cfn) => {
      const [key, value] = Object.entries(templateValue(props) as Record<string, unknown>)[0];
      cfn.addOverride(`Properties.${templateKey(props)}.${key}`, value);
    }],
  ])('GIVEN a plain function that gets the feature through %s WHEN bound unqualified THEN the feature rule reports it', (_how, override) => {
    // GIVEN: the feature is nowhere in the function's props, only in an escape-hatch override
    const { app: a, stack } = app();
    const fn = new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), ...(props.runtime ? { runtime: props.runtime } : {}) });
    override(fn.node.defaultChild as lambda.CfnFunction);
    BINDERS[0][1](stack, fn);

    // WHEN / THEN
    expect(NoLatestInvocations.findings(a).map((f) => f.ruleId)).toEqual([ruleId]);
  });

  test.each(BINDERS)('GIVEN a SafeFunction bound to %s WHEN synthesizing THEN it binds the alias and passes', (_binder, bind) => {
    const { app: a, stack } = app();
    bind(stack, new SafeFunction(stack, 'Fn', { ...plainFunctionProps(), ...props }));
    expect(() => a.synth()).not.toThrow();
    expect(NoLatestInvocations.findings(a, { functions: GuardedFunctions.ALL })).toEqual([]);
  });

  test('GIVEN a SafeFunction whose inner function is bound WHEN synthesizing THEN the feature rule reports it with the SafeFunction fix', () => {
    const { app: a, stack } = app();
    const fn = new SafeFunction(stack, 'Fn', { ...plainFunctionProps(), ...props });
    BINDERS[0][1](stack, fn.function);
    expect(() => a.synth()).toThrow(new RegExp(`\\[${ruleId}\\].*never \`.function\``));
  });

  test('GIVEN a grant on the unqualified function WHEN checking THEN it stays a grant warning', () => {
    const { app: a, stack } = app();
    const fn = new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), ...props });
    fn.grantInvoke(new lambda.Function(stack, 'Caller', plainFunctionProps()));
    expect(NoLatestInvocations.findings(a).map((f) => f.ruleId)).toEqual([GuardRules.LATEST_GRANT]);
  });
});

describe('Managed Instances', () => {
  function managed(): { app: App; stack: Stack; fn: lambda.Function } {
    const { app: a, stack } = app();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const provider = new lambda.CapacityProvider(stack, 'Provider', {
      subnets: vpc.isolatedSubnets.length ? vpc.isolatedSubnets : vpc.publicSubnets,
      securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
    });
    const fn = new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), memorySize: 2048 });
    provider.addFunction(fn);
    return { app: a, stack, fn };
  }

  test('GIVEN an unqualified binding WHEN the strict guard runs THEN it is a LatestPublished warning naming $LATEST.PUBLISHED', () => {
    const { app: a, stack, fn } = managed();
    BINDERS[0][1](stack, fn);
    const findings = NoLatestInvocations.findings(a, { functions: GuardedFunctions.ALL });
    // The target and the permission it brought, one finding: only a warning.
    expect(findings.map((f) => [f.ruleId, f.propertyPath, (f.relatedResources ?? []).map((r) => [r.ruleId, r.propertyPath])])).toEqual([
      [GuardRules.LATEST_PUBLISHED, 'Properties.Targets[0].Arn', [[GuardRules.LATEST_PUBLISHED, 'Properties.FunctionName']]],
    ]);
    expect(findings[0].message).toMatch(/invokes `\$LATEST\.PUBLISHED`/);
    Aspects.of(a).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    expect(() => a.synth()).not.toThrow();
  });

  test('GIVEN a binding to :$LATEST.PUBLISHED WHEN the strict guard runs THEN it is qualified', () => {
    const { app: a, stack, fn } = managed();
    new events.Rule(stack, 'Rule', {
      eventPattern: { source: ['x'] },
      targets: [new eventsTargets.LambdaFunction(lambda.Function.fromFunctionArn(stack, 'Published', `${fn.functionArn}:$LATEST.PUBLISHED`))],
    });
    expect(NoLatestInvocations.findings(a, { functions: GuardedFunctions.ALL })).toEqual([]);
  });

  test('GIVEN the default guard WHEN a plain Managed Instances function is bound THEN it is not checked (only durable and SnapStart always are)', () => {
    const { app: a, stack, fn } = managed();
    BINDERS[0][1](stack, fn);
    expect(NoLatestInvocations.findings(a)).toEqual([]);
  });
});

describe('the template checker judges version features like the guard', () => {
  const template = (functionProperties: Record<string, unknown>) => ({
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'index.handler', Role: 'arn:aws:iam::1:role/r', Code: { ZipFile: 'x' }, ...functionProperties } },
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: { EventPattern: { source: ['x'] }, Targets: [{ Id: 't', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }] },
      },
    },
  });

  test.each([
    ['durable', { DurableConfig: { ExecutionTimeout: 900 } }, GuardRules.DURABLE_LATEST, 1],
    ['SnapStart', { SnapStart: { ApplyOn: 'PublishedVersions' } }, GuardRules.SNAP_START_LATEST, 1],
    ['Managed Instances', { CapacityProviderConfig: { LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: 'arn:cp' } } }, GuardRules.LATEST_PUBLISHED, 0],
    ['plain', {}, GuardRules.LATEST_BINDING, 1],
  ])('GIVEN a %s function bound unqualified in a template WHEN checked THEN the finding is %s', (_name, props, ruleId, exitCode) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-safe-lambda-features-'));
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, JSON.stringify(template(props as Record<string, unknown>)));
    const out: string[] = [];
    const code = run(['check', file, '--format', 'json'], { out: (t) => out.push(t), err: () => undefined });
    const findings = JSON.parse(out.join('')).findings;
    expect(findings.map((f: any) => [f.ruleId, f.templatePath])).toEqual([[ruleId, 'Resources.Rule.Properties.Targets[0].Arn']]);
    expect(code).toBe(exitCode);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
