import * as path from 'path';
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { cliJson, synthAssembly } from './cli-helpers';
import { GuardedFunctions, GuardRules, GuardSuppressions, NoLatestInvocations } from '../../src';
import { INTEGRATION_CASES, IntegrationCase } from '../fixtures/integrations';
import { plainFunctionProps } from '../fixtures/stacks';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** A finding as both front ends can name it: rule, construct path of the binding resource, property path. */
function key(ruleId: string, resourcePath: string, propertyPath: string): string {
  return `${ruleId} ${resourcePath.replace(/^\//, '')} ${propertyPath}`;
}

/** A finding as both front ends group it: the binding's key, and the keys of the permissions and grants it lists. */
interface Group {
  readonly head: string;
  readonly related: string[];
}

function groupOf(head: string, related: string[]): Group {
  return { head, related: [...related].sort() };
}

function sortedGroups(groups: Group[]): Group[] {
  const unique = new Map(groups.map((g) => [JSON.stringify(g), g]));
  return [...unique.values()].sort((a, b) => (a.head < b.head ? -1 : a.head > b.head ? 1 : 0));
}

/** One app, a plain function bound by `c`: the groups the guard reports, and those `check` reports on the assembly. */
function both(c: IntegrationCase, pick: (fn: lambda.Function) => lambda.IFunction): { guard: Group[]; check: Group[] } {
  let guard: Group[] = [];
  const dir = synthAssembly((app: App) => {
    const stack = new Stack(app, 'Default', { env: ENV });
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    c.bind(stack, pick(fn));
  }, (app) => {
    // After synthesis: resources aws-cdk-lib adds lazily (S3 bucket notifications) are in the tree.
    // Both report a binding with the permissions and grants its integration brought (relatedResources).
    guard = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL })
      .filter((f) => !f.suppressed)
      .map((f) => groupOf(key(f.ruleId, f.resourcePath, f.propertyPath),
        (f.relatedResources ?? []).map((r) => key(r.ruleId, r.resourcePath, r.propertyPath))));
  });
  const { findings } = cliJson('check', dir);
  const check = findings.filter((f) => !f.suppressed)
    .map((f) => groupOf(key(f.ruleId, f.constructPath, f.propertyPath),
      (f.relatedResources ?? []).map((r: any) => key(r.ruleId, r.constructPath, r.propertyPath))));
  return { guard: sortedGroups(guard), check: sortedGroups(check) };
}

describe('check on a cloud assembly agrees with the guard on every row of the integration table', () => {
  test.each(INTEGRATION_CASES.map((c) => [`${c.name} (row ${c.row})`, c] as const))(
    'GIVEN %s bound to the unqualified function WHEN synthesized and checked THEN check reports the groups NoLatestInvocations.findings() reports: the same bindings, each with the same permissions and grants',
    (_name, c) => {
      // GIVEN / WHEN
      const { guard, check } = both(c, (fn) => fn);

      // THEN
      expect(check).toEqual(guard);
    });

  test('GIVEN every row of the table bound to the unqualified function WHEN checked THEN most rows report a binding at the row\'s property', () => {
    // GIVEN / WHEN
    const reported = INTEGRATION_CASES.filter((c) => !c.guardIgnores)
      .filter((c) => both(c, (fn) => fn).check.some((g) => g.head.startsWith(GuardRules.LATEST_BINDING) && g.head.endsWith(` ${c.propertyPath}`)));

    // THEN a regression in the template front end cannot pass silently by agreeing with an empty guard.
    expect(reported.length).toBeGreaterThan(INTEGRATION_CASES.length * 0.8);
  });

  test('GIVEN every row of the table bound to the unqualified function WHEN checked THEN the rows whose integration brings a permission or grant list it in the binding\'s finding', () => {
    // GIVEN / WHEN
    const rows = INTEGRATION_CASES.filter((c) => !c.guardIgnores).map((c) => both(c, (fn) => fn));
    const listing = (groups: Group[]) => groups.some((g) => g.related.length > 0);

    // THEN the agreement above cannot pass by both front ends grouping nothing.
    expect(rows.filter((r) => listing(r.check)).length).toBe(rows.filter((r) => listing(r.guard)).length);
    expect(rows.filter((r) => listing(r.check)).length).toBeGreaterThan(rows.length / 2);
  });

  /** aws-cdk-lib refuses a function URL on a version: nothing to compare. */
  const takesVersions = (c: IntegrationCase) => !/FunctionUrl/.test(c.name);
  const QUALIFIED: Array<[string, (fn: lambda.Function) => lambda.IFunction, (c: IntegrationCase) => boolean]> = [
    ['an alias', (fn) => fn.addAlias('live'), () => true],
    ['its current version', (fn) => fn.currentVersion, takesVersions],
  ];
  describe.each(QUALIFIED)('bound to %s', (_target, pick, applies) => {
    test.each(INTEGRATION_CASES.filter(applies).map((c) => [c.name, c] as const))(
      'GIVEN %s WHEN checked THEN check reports what the guard reports, and no binding',
      (_name, c) => {
        const { guard, check } = both(c, pick);

        expect(check).toEqual(guard);
        expect(check.filter((g) => g.head.startsWith(GuardRules.LATEST_BINDING))).toEqual([]);
      });
  });
});

describe('check follows the whole cloud assembly', () => {
  test('GIVEN a topic in another stack subscribing a function through a cross-stack export WHEN checked THEN the import is reported', () => {
    // GIVEN
    const dir = synthAssembly((app) => {
      const producer = new Stack(app, 'Producer', { env: ENV });
      const fn = new lambda.Function(producer, 'Fn', plainFunctionProps());
      const consumer = new Stack(app, 'Consumer', { env: ENV });
      new sns.CfnSubscription(consumer, 'Sub', { topicArn: 'arn:aws:sns:us-east-1:123456789012:t', protocol: 'lambda', endpoint: fn.functionArn });
    });

    // WHEN
    const { code, findings } = cliJson('check', dir);

    // THEN
    expect(code).toBe(1);
    expect(findings).toEqual([expect.objectContaining({
      ruleId: GuardRules.LATEST_BINDING, stackName: 'Consumer', templatePath: 'Resources.Sub.Properties.Endpoint', functionStack: 'Producer',
    })]);
  });

  test('GIVEN a Stage with a nested stack binding a function of its parent WHEN checked THEN the nested template is reported', () => {
    // GIVEN
    const dir = synthAssembly((app) => {
      const stage = new Stage(app, 'Prod', { env: ENV });
      const parent = new Stack(stage, 'Parent');
      const fn = new lambda.Function(parent, 'Fn', plainFunctionProps());
      const nested = new NestedStack(parent, 'Nested');
      new sns.CfnSubscription(nested, 'Sub', { topicArn: 'arn:aws:sns:us-east-1:123456789012:t', protocol: 'lambda', endpoint: fn.functionArn });
    });

    // WHEN
    const { findings } = cliJson('check', dir);

    // THEN
    expect(findings.map((f) => [f.ruleId, f.constructPath, f.propertyPath])).toEqual([
      [GuardRules.LATEST_BINDING, 'Prod/Parent/Nested/Sub', 'Properties.Endpoint'],
    ]);
  });

  test('GIVEN a GuardSuppressions entry with a reason WHEN checked THEN the finding is suppressed and the exit code is 0', () => {
    // GIVEN
    const dir = synthAssembly((app) => {
      const stack = new Stack(app, 'Default', { env: ENV });
      const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
      const sub = new sns.CfnSubscription(stack, 'Sub', { topicArn: 'arn:aws:sns:us-east-1:123456789012:t', protocol: 'lambda', endpoint: fn.functionArn });
      GuardSuppressions.add(sub, { ruleId: GuardRules.LATEST_BINDING, reason: 'the topic is only used by the nightly job' });
    });

    // WHEN
    const { code, findings } = cliJson('check', dir);

    // THEN
    expect(code).toBe(0);
    expect(findings).toEqual([expect.objectContaining({ suppressed: true, suppressionReason: 'the topic is only used by the nightly job' })]);
  });
});

describe('check on the integ tests\' cloud assemblies (SafeFunctions with releases, smoke-test hooks and the version pruner)', () => {
  test.each(['integ.release.ts.snapshot', 'integ.retention.ts.snapshot', 'integ.safe-function.ts.snapshot'])(
    'GIVEN %s, which the guard passes WHEN checked THEN nothing is reported (the library\'s own handlers are exempt, assertion stacks without resources are read)',
    (snapshot) => {
      const { code, findings } = cliJson('check', path.join(__dirname, '..', snapshot));

      expect(findings).toEqual([]);
      expect(code).toBe(0);
    });
});
