import { App, CfnParameter, CfnResource, Fn, Lazy, Stack, Stage, Tags } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXTRA_CASES } from './extra-cases';
import { ENV, safeFunction, subscribe } from './guard-test-app';
import { Finding, GuardRules, GuardSuppressions, NoLatestInvocations, SafeFunction } from '../../src';
import { INTEGRATION_CASES, IntegrationCase } from '../fixtures/integrations';

/**
 * §2 of issue 9, as a property: over random apps mixing the integration table, qualified and
 * unqualified bindings, token-valued properties, suppressions and Stages,
 * - synthesis never throws anything but guard findings;
 * - the errors synthesis reports are exactly the unsuppressed error findings of `findings()`, messages
 *   included (so both group a binding with the same permissions and grants);
 * - every unqualified binding of a guarded function is found.
 */
/** The logical ID of the function behind `target`, when it is a plain function (the unqualified inner one). */
function logicalIdOf(target: lambda.IFunction): string | undefined {
  return target instanceof lambda.Function ? (target.node.defaultChild as lambda.CfnFunction).logicalId : undefined;
}

/** Shapes that once split findings() from synthesis: raw logical IDs, logical-ID tokens, tag values. */
const EDGE_CASES: IntegrationCase[] = [
  {
    name: 'raw { Fn::GetAtt } object inside a CfnResource',
    row: 0,
    resourceType: 'AWS::SNS::Subscription',
    propertyPath: 'Properties.Endpoint',
    bind: (stack, target) => new CfnResource(stack, 'Raw', {
      type: 'AWS::SNS::Subscription',
      properties: {
        Protocol: 'lambda',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
        Endpoint: logicalIdOf(target) ? { 'Fn::GetAtt': [stack.resolve(logicalIdOf(target)), 'Arn'] } : target.functionArn,
      },
    }),
  },
  {
    name: 'Fn.getAtt given the logical ID token',
    row: 0,
    resourceType: 'AWS::SNS::Subscription',
    propertyPath: 'Properties.Endpoint',
    bind: (stack, target) => subscribe(stack, logicalIdOf(target) ? Fn.getAtt(logicalIdOf(target)!, 'Arn').toString() : target.functionArn),
  },
  {
    name: 'Fn.ref given the logical ID token, in an event source mapping',
    row: 0,
    resourceType: 'AWS::Lambda::EventSourceMapping',
    propertyPath: 'Properties.FunctionName',
    bind: (stack, target) => new lambda.CfnEventSourceMapping(stack, 'Esm', {
      functionName: logicalIdOf(target) ? Fn.ref(logicalIdOf(target)!) : target.functionName,
      eventSourceArn: new sqs.Queue(stack, 'EsmQueue').queueArn,
    }),
  },
  // Raw logical IDs that only a rendering shows: produced by tokens that keep their value to themselves.
  {
    name: 'Lazy.string producing Fn.getAtt(logicalId, Arn)',
    row: 0,
    resourceType: 'AWS::SNS::Subscription',
    propertyPath: 'Properties.Endpoint',
    bind: (stack, target) => subscribe(stack, rawOr(stack, target, (id) => Lazy.string({ produce: () => Fn.getAtt(id, 'Arn').toString() })) as string, 'LazySub'),
  },
  {
    name: 'Lazy.uncachedString producing Fn.getAtt(logicalId, Arn)',
    row: 0,
    resourceType: 'AWS::SNS::Subscription',
    propertyPath: 'Properties.Endpoint',
    bind: (stack, target) => subscribe(stack, rawOr(stack, target, (id) => Lazy.uncachedString({ produce: () => Fn.getAtt(id, 'Arn').toString() })) as string, 'UncachedSub'),
  },
  {
    name: 'Lazy.any producing a raw { Fn::GetAtt } object inside a CfnResource',
    row: 0,
    resourceType: 'AWS::SNS::Subscription',
    propertyPath: 'Properties.Endpoint',
    bind: (stack, target) => new CfnResource(stack, 'LazyRaw', {
      type: 'AWS::SNS::Subscription',
      properties: {
        Protocol: 'lambda',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
        Endpoint: rawOr(stack, target, (id) => Lazy.any({ produce: () => ({ 'Fn::GetAtt': [id, 'Arn'] }) })),
      },
    }),
  },
  {
    name: 'a Lazy producing a Lazy producing Fn.sub, inside Fn.join, in an event source mapping',
    row: 0,
    resourceType: 'AWS::Lambda::EventSourceMapping',
    propertyPath: 'Properties.FunctionName',
    bind: (stack, target) => new lambda.CfnEventSourceMapping(stack, 'LazyEsm', {
      functionName: logicalIdOf(target)
        ? Fn.join('', [Lazy.string({ produce: () => Lazy.string({ produce: () => Fn.sub(`\${${stack.resolve(logicalIdOf(target))}}`) }) })])
        : target.functionName,
      eventSourceArn: new sqs.Queue(stack, 'LazyEsmQueue').queueArn,
    }),
  },
  {
    name: 'Lazy.list producing Fn.getAtt(logicalId, Arn) as an alarm action',
    row: 0,
    resourceType: 'AWS::CloudWatch::Alarm',
    propertyPath: 'Properties.AlarmActions[0]',
    bind: (stack, target) => new cloudwatch.CfnAlarm(stack, 'LazyAlarm', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      metricName: 'Errors',
      namespace: 'AWS/Lambda',
      period: 60,
      statistic: 'Sum',
      alarmActions: logicalIdOf(target)
        ? Lazy.list({ produce: () => [Fn.getAtt(stack.resolve(logicalIdOf(target)), 'Arn').toString()] })
        : [target.functionArn],
    }),
  },
  {
    name: 'a tag value holding the function name',
    row: 0,
    resourceType: 'AWS::SQS::Queue',
    propertyPath: 'Properties.Tags',
    guardIgnores: true,
    bind: (stack, target) => Tags.of(new sqs.Queue(stack, 'Tagged')).add('function', target.functionName),
  },
];

/** `raw(logicalId)` for a plain (unqualified) function, else the qualified ARN itself. */
function rawOr<T>(stack: Stack, target: lambda.IFunction, raw: (logicalId: string) => T): T | string {
  const id = logicalIdOf(target);
  return id ? raw(stack.resolve(id)) : target.functionArn;
}

const CASES: IntegrationCase[] = [...INTEGRATION_CASES, ...EXTRA_CASES, ...EDGE_CASES, ...EDGE_CASES]
  // aws-cdk-lib refuses these with a version, and the qualified pick below may be a version.
  .filter((c) => !/FunctionUrl/.test(c.name));
const APPS = 50;
const WARNING_RULES = new Set<string>([GuardRules.LATEST_GRANT, GuardRules.UNUSED_SUPPRESSION, GuardRules.GUARD_INTERNAL_ERROR]);

/** mulberry32: a small seeded PRNG, so that a failing app can be rebuilt from its seed. */
/* eslint-disable no-bitwise */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

interface Expected {
  readonly resourceType: string;
  readonly propertyPath: string;
  readonly stackPath: string;
  readonly functionPath: string;
}

interface RandomApp {
  readonly app: App;
  readonly expected: Expected[];
  readonly description: string[];
}

const QUALIFIED: Array<(fn: SafeFunction) => lambda.IFunction> = [(fn) => fn, (fn) => fn.live, (fn) => fn.currentVersion];

function randomApp(seed: number): RandomApp {
  const random = prng(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const root: Construct = random() < 0.5 ? new Stage(app, 'Stage', { env: ENV }) : app;
  const expected: Expected[] = [];
  const description: string[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const c = pick(CASES);
    const stack = new Stack(root, `S${i}`, { env: ENV });
    const fn = safeFunction(stack);
    const unqualified = random() < 0.5;
    const target = unqualified ? fn.function : pick(QUALIFIED)(fn);
    c.bind(stack, target);
    description.push(`${c.name} ${unqualified ? 'unqualified' : 'qualified'}`);
    if (unqualified && !c.guardIgnores) {
      expected.push({ resourceType: c.resourceType, propertyPath: c.propertyPath, stackPath: stack.node.path, functionPath: fn.node.path });
    }
    if (random() < 0.4) {
      // A token-valued neighbour: an SQS event source whose batch size is a Number parameter.
      const tokenTarget = random() < 0.5 ? fn.function : fn;
      tokenTarget.addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'TokenQueue'), {
        batchSize: new CfnParameter(stack, 'Batch', { type: 'Number', default: 5 }).valueAsNumber,
      }));
      description.push(`token ESM ${tokenTarget === fn ? 'qualified' : 'unqualified'}`);
      if (tokenTarget !== fn) {
        expected.push({ resourceType: 'AWS::Lambda::EventSourceMapping', propertyPath: 'Properties.FunctionName', stackPath: stack.node.path, functionPath: fn.node.path });
      }
    }
    if (random() < 0.25) {
      GuardSuppressions.add(stack, { ruleId: GuardRules.LATEST_BINDING, reason: 'property test: suppressed on purpose' });
      description.push('suppressed');
    }
  }
  return { app, expected, description };
}

/**
 * `resourcePath ruleId` of every error synthesis reports, then its message (which lists the permissions
 * and grants of the binding's group); throws if it reports anything else.
 */
function synthErrors(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (e) {
    const message = (e as Error).message;
    expect(message).toMatch(/^Validation failed with the following errors:/);
    // One entry per error, `  [<path>] <message>` (a message runs over several lines: its headline, then
    // its details); the first is the summary of headlines (issue #19 §4).
    const entries = message.split('\n').slice(1).join('\n').split(/\n(?= {2}\[)/).filter((entry) => entry.trim() !== '');
    expect(entries[0]).toMatch(/^\s*\[[^\]]*\] cdk-safe-lambda: \d+ findings? of the \$LATEST guard fail synthesis/);
    return entries.slice(1).map((entry) => {
      const match = /^\s*\[([^\]]+)\] (\[(SafeLambda-[A-Za-z]+)\][\s\S]*)$/.exec(entry);
      expect(match).not.toBeNull();
      return `${match![1]} ${match![3]} ${match![2]}`;
    });
  }
}

function errorFindings(findings: Finding[]): string[] {
  return findings.filter((f) => !f.suppressed && !WARNING_RULES.has(f.ruleId)).map((f) => `${f.resourcePath} ${f.ruleId} ${f.message}`);
}

function resourceTypeAt(app: App, path: string): string | undefined {
  return (app.node.findAll().find((c) => c.node.path === path) as any)?.cfnResourceType;
}

describe('findings() and synthesis agree on random apps', () => {
  test('the random apps mix every dimension: unqualified and qualified bindings, token values, suppressions, Stages', () => {
    // GIVEN the descriptions of the apps the property runs on
    const all = Array.from({ length: APPS }, (_, i) => randomApp(i + 1));
    const text = all.flatMap((a) => a.description);
    // THEN each dimension occurs several times
    for (const word of [/ unqualified$/, / qualified$/, /^token ESM/, /^suppressed$/, /^raw|^Fn\./]) {
      expect(text.filter((d) => word.test(d)).length).toBeGreaterThanOrEqual(3);
    }
    expect(all.filter((a) => a.app.node.tryFindChild('Stage')).length).toBeGreaterThanOrEqual(10);
    expect(all.filter((a) => a.expected.length > 0).length).toBeGreaterThanOrEqual(15);
  });

  test.each(Array.from({ length: APPS }, (_, i) => [i + 1]))('app #%i: synthesis throws only guard findings, the same as findings(), and finds every unqualified binding', (seed) => {
    // GIVEN a random app
    const { app, expected, description } = randomApp(seed);
    // WHEN findings() checks it, then it synthesizes
    const findings = NoLatestInvocations.findings(app);
    const errors = synthErrors(app);
    // THEN both report the same errors
    expect({ description, errors: [...new Set(errors)].sort() }).toEqual({ description, errors: [...new Set(errorFindings(findings))].sort() });
    // AND every unqualified binding is among the findings (suppressed or not)
    for (const binding of expected) {
      const found = findings.some((f) => f.ruleId === GuardRules.LATEST_BINDING && f.functionPath === binding.functionPath
        && f.propertyPath === binding.propertyPath && f.resourcePath.startsWith(`${binding.stackPath}/`)
        && resourceTypeAt(app, f.resourcePath) === binding.resourceType);
      expect({ description, binding, found }).toEqual({ description, binding, found: true });
    }
    // AND no unexpected failure inside the guard
    expect(findings.filter((f) => f.ruleId === GuardRules.GUARD_INTERNAL_ERROR)).toEqual([]);
  });
});

describe('shapes that once split findings() from synthesis', () => {
  const OPENAPI = (logicalId: string) => ({
    openapi: '3.0.1',
    info: { title: 'api', version: '1' },
    paths: {
      '/': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            httpMethod: 'POST',
            uri: { 'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${logicalId}.Arn}/invocations` },
          },
        },
      },
    },
  });
  test.each<[string, (stack: Stack, fn: SafeFunction) => void, boolean]>([
    ['a raw Fn::Sub naming the logical ID inside an inline OpenAPI body', (stack, fn) => {
      new apigateway.SpecRestApi(stack, 'Spec', { apiDefinition: apigateway.ApiDefinition.fromInline(OPENAPI(stack.resolve(logicalIdOf(fn.function)))) });
    }, true],
    ...EDGE_CASES.map((c): [string, (stack: Stack, fn: SafeFunction) => void, boolean] =>
      [c.name, (stack, fn) => c.bind(stack, fn.function), !c.guardIgnores]),
  ])('%s: findings() and synthesis report the same errors', (_name, build, binds) => {
    // GIVEN the shape bound to a SafeFunction's inner function
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    build(stack, safeFunction(stack));
    // WHEN both check it THEN they agree
    const findings = errorFindings(NoLatestInvocations.findings(app));
    expect([...new Set(synthErrors(app))].sort()).toEqual([...new Set(findings)].sort());
    expect(findings.length > 0).toBe(binds);
  });
});

describe('grants that only a rendering shows', () => {
  test.each<[string, (stack: Stack, logicalId: string) => iam.PolicyStatement]>([
    ['Fn.getAtt(logicalId, Arn) in a policy statement (the policy document is one opaque token)', (_stack, id) =>
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [Fn.getAtt(id, 'Arn').toString()] })],
    ['a Lazy.string producing the raw ARN in a policy statement', (_stack, id) =>
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [Lazy.string({ produce: () => Fn.getAtt(id, 'Arn').toString() })] })],
  ])('GIVEN %s WHEN synthesized THEN it warns exactly as findings() does', (_name, statement) => {
    // GIVEN a role allowed to invoke a SafeFunction's inner function through its raw logical ID
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const fn = safeFunction(stack);
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(statement(stack, stack.resolve(logicalIdOf(fn.function))));
    // WHEN findings() checks it, then it synthesizes
    const found = NoLatestInvocations.findings(app).filter((f) => f.ruleId === GuardRules.LATEST_GRANT);
    // THEN both report one grant warning on the role's policy
    expect(found.map((f) => f.resourcePath)).toEqual(['Stack/Caller/DefaultPolicy/Resource']);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`\\[${GuardRules.LATEST_GRANT}\\]`));
    expect(warnings.map((w) => w.id)).toEqual(['/Stack/Caller/DefaultPolicy/Resource']);
  });
});
