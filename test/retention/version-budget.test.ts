import { App, Annotations as CoreAnnotations, CfnParameter, Fn, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SafeAlias, SafeFunction, SafeFunctionProps } from '../../src';

// issue #17 §1: Lambda Managed Instances allow 100 versions per capacity provider, shared by every
// function on it; synthesis adds up what the SafeFunctions on one provider may hold.
const WARNING_ID = 'cdk-safe-lambda:SafeFunction.capacityProviderVersionBudget';
const ENV = { account: '123456789012', region: 'eu-west-1' };
const PROVIDER_ARN = 'arn:aws:lambda:eu-west-1:123456789012:capacity-provider:shared';

function props(extra: Partial<SafeFunctionProps> = {}): SafeFunctionProps {
  return { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'), ...extra };
}

/** Puts `fn` on the provider named by `arn`, through the typed prop (aws-cdk-lib ≥ 2.231, so both tested versions). */
function onProvider(fn: SafeFunction | lambda.Function, arn: string): void {
  const target = fn instanceof SafeFunction ? fn.function : fn;
  (target.node.defaultChild as any).capacityProviderConfig = { lambdaManagedInstancesCapacityProviderConfig: { capacityProviderArn: arn } };
}

/** `count` SafeFunctions keeping `retain` versions each on the provider `arn`. */
function fleet(stack: Stack, count: number, retain: number | undefined, arn: (i: number) => string = () => PROVIDER_ARN, prefix = 'Fn'): SafeFunction[] {
  return Array.from({ length: count }, (_, i) => {
    const fn = new SafeFunction(stack, `${prefix}${i}`, props(retain === undefined ? {} : { retainVersions: retain }));
    onProvider(fn, arn(i));
    return fn;
  });
}

function budgetWarnings(stack: Stack) {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING_ID.replace(/\./g, '\\.')));
}

describe('the version budget of a capacity provider', () => {
  test('GIVEN eleven functions keeping ten versions each on one provider THEN synthesis fails naming the provider, the sum and the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: ENV });
    fleet(stack, 11, 10);
    expect(() => app.synth()).toThrow(new RegExp(`\\[Orders/Fn0\\] the SafeFunctions on one capacity provider may hold 121 versions, over Lambda's cap of 100 per provider\n  capacity provider: ${PROVIDER_ARN}\n`));
    expect(() => app.synth({ force: true })).toThrow(/Orders\/Fn10: 11 \(retainVersions 10, \+1 in flight\)[\s\S]*Fix: lower retainVersions/);
  });

  test('GIVEN eight functions keeping ten versions each THEN one warning, on the first of them, with every share and the fix', () => {
    const stack = new Stack(new App(), 'Orders', { env: ENV });
    fleet(stack, 8, 10);
    const warnings = budgetWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Orders/Fn0');
    const text = warnings[0].entry.data as string;
    expect(text.split('\n')[0]).toBe('Orders/Fn0: its capacity provider may hold 88 of its 100 versions (a warning from 80).');
    expect(text.split('\n')[1]).toBe(`  capacity provider: ${PROVIDER_ARN}`);
    expect(text.split('\n')[0].length).toBeLessThanOrEqual(120);
    expect(text).toContain('Orders/Fn7: 11 (retainVersions 10, +1 in flight)');
    expect(text).toMatch(/Fix: lower retainVersions .* or spread the functions over more capacity providers/);
    expect(text).toContain(WARNING_ID);
  });

  test.each([
    // [what, functions, retainVersions, expected sum, level]
    ['under 80', 7, 10, 77, 'none'],
    ['exactly 80', 8, 9, 80, 'warning'],
    ['exactly 100', 10, 9, 100, 'warning'],
    ['101', 1, 100, 101, 'error'],
    ['retainVersions 1 counts its rollback target', 27, 1, 81, 'warning'],
    ['no retainVersions counts the current version and the one in flight', 41, undefined, 82, 'warning'],
  ] as const)('GIVEN %s THEN the sum and the level follow the rule', (_what, count, retain, sum, level) => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: ENV });
    fleet(stack, count, retain);
    if (level === 'error') {
      expect(() => app.synth()).toThrow(new RegExp(`may hold ${sum} versions, over Lambda's cap`));
      return;
    }
    const warnings = budgetWarnings(stack);
    expect(warnings).toHaveLength(level === 'warning' ? 1 : 0);
    if (level === 'warning') expect(warnings[0].entry.data).toContain(`may hold ${sum} of its 100 versions`);
  });

  test('GIVEN the same provider as a CfnCapacityProvider, named by its Ref and by its ARN, from two stacks THEN it is one pool', () => {
    const app = new App();
    const shared = new Stack(app, 'Shared', { env: ENV });
    const provider = new lambda.CfnCapacityProvider(shared, 'Provider', {
      vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
      permissionsConfig: { capacityProviderOperatorRoleArn: 'arn:aws:iam::123456789012:role/operator' },
    } as any);
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    fleet(a, 6, 10, () => provider.attrArn);
    fleet(b, 5, 10, () => provider.ref);
    expect(() => app.synth()).toThrow(/may hold 121 versions, over Lambda's cap of 100 per provider\n  capacity provider: Shared\/Provider\n/);
  });

  test('GIVEN two providers THEN each is counted on its own', () => {
    const stack = new Stack(new App(), 'Orders', { env: ENV });
    fleet(stack, 6, 10, () => `${PROVIDER_ARN}-a`, 'A');
    fleet(stack, 6, 10, () => `${PROVIDER_ARN}-b`, 'B');
    expect(budgetWarnings(stack)).toHaveLength(0);
  });

  test('GIVEN the provider as a literal ARN in one function and its name in another THEN they are one pool in the stack\'s account and Region', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: ENV });
    fleet(stack, 6, 10, () => PROVIDER_ARN, 'ByArn');
    fleet(stack, 5, 10, () => 'shared', 'ByName');
    expect(() => app.synth()).toThrow(/may hold 121 versions/);
  });

  test('GIVEN the provider as one CfnParameter in eleven functions THEN they are one pool', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: ENV });
    const param = new CfnParameter(stack, 'ProviderArn');
    fleet(stack, 11, 10, () => param.valueAsString);
    expect(() => app.synth()).toThrow(/may hold 121 versions.*\n  capacity provider: the CfnParameter Orders\/ProviderArn\n/);
  });

  test('GIVEN providers as different deploy-time values THEN each passes on its own, with a note', () => {
    const stack = new Stack(new App(), 'Orders', { env: ENV });
    fleet(stack, 11, 10, (i) => Fn.importValue(`provider-${i}`));
    expect(budgetWarnings(stack)).toHaveLength(0);
    const notes = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('known only at deploy time'));
    expect(notes).toHaveLength(11);
  });

  test('GIVEN eleven functions on the same imported value THEN they are one pool', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: ENV });
    fleet(stack, 11, 10, () => Fn.importValue('shared-provider'));
    expect(() => app.synth()).toThrow(/may hold 121 versions.*\n  capacity provider: the deploy-time value .*Fn::ImportValue.*shared-provider/);
  });

  test('GIVEN a deploy-time retainVersions THEN that function is not counted and the note says so', () => {
    const stack = new Stack(new App(), 'Orders', { env: ENV });
    const param = new CfnParameter(stack, 'Keep', { type: 'Number' });
    fleet(stack, 1, Token.asNumber(param.valueAsNumber));
    fleet(stack, 7, 10, undefined, 'Known');
    const notes = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('could not be counted'));
    expect(notes).toHaveLength(1);
    expect(notes[0].entry.data).toMatch(/Orders\/Fn0: not counted: retainVersions is only known at deploy time/);
    expect(budgetWarnings(stack)).toHaveLength(0);
  });

  test('GIVEN versions retained with no pruner THEN a warning says the function is unbounded', () => {
    const stack = new Stack(new App(), 'Orders', { env: ENV });
    const fn = new SafeFunction(stack, 'Fn', props({ versionRemovalPolicy: RemovalPolicy.RETAIN }));
    onProvider(fn, PROVIDER_ARN);
    const warnings = budgetWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/unbounded: replaced versions are retained and no pruner deletes them \(set retainVersions\)/);
  });

  test('GIVEN stage aliases pinned to older versions THEN each other version they point to counts once', () => {
    const stack = new Stack(new App(), 'Orders', { env: ENV });
    const fns = fleet(stack, 7, 10);
    fns[0].addStageAlias('prod', { pinnedVersion: '3' });
    fns[1].addStageAlias('beta', { pinnedVersion: '3' });
    fns[1].addStageAlias('qa', { pinnedVersion: '4' });
    const warnings = budgetWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('may hold 80 of its 100 versions');
    expect(warnings[0].entry.data).toContain('Orders/Fn1: 13 (retainVersions 10, +1 in flight, +2 other version(s) its aliases point or route to)');
  });

  test('GIVEN a SafeAlias around a function on the provider THEN it counts like a SafeFunction', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: ENV });
    fleet(stack, 10, 10);
    const plain = new lambda.Function(stack, 'Plain', props());
    onProvider(plain, PROVIDER_ARN);
    new SafeAlias(stack, 'Adopted', { function: plain, retainVersions: 10 });
    expect(() => app.synth()).toThrow(/may hold 121 versions[\s\S]*Orders\/Adopted: 11/);
  });

  test('GIVEN functions on one provider in two Stages THEN each Stage reports, with the sum of the whole app', () => {
    const app = new App();
    const stacks = ['Beta', 'Prod'].map((name) => new Stack(new Stage(app, name), 'Orders', { env: ENV }));
    fleet(stacks[0], 4, 10);
    fleet(stacks[1], 4, 10);
    app.synth();
    for (const stack of stacks) {
      const warnings = budgetWarnings(stack);
      expect(warnings).toHaveLength(1);
      expect(warnings[0].entry.data).toContain('may hold 88 of its 100 versions');
    }
  });

  test('GIVEN the warning acknowledged on the function THEN it is not reported, and an error can never be', () => {
    const app = new App();
    const stack = new Stack(app, 'Orders', { env: ENV });
    const fns = fleet(stack, 8, 10);
    CoreAnnotations.of(fns[0]).acknowledgeWarning(WARNING_ID, 'a second provider is on its way');
    expect(budgetWarnings(stack)).toHaveLength(0);

    const app2 = new App();
    const stack2 = new Stack(app2, 'Orders', { env: ENV });
    const fns2 = fleet(stack2, 11, 10);
    CoreAnnotations.of(fns2[0]).acknowledgeWarning(WARNING_ID, 'no');
    expect(() => app2.synth()).toThrow(/may hold 121 versions/);
  });

  test('GIVEN functions on no capacity provider THEN nothing is counted, however many versions they keep', () => {
    const stack = new Stack(new App(), 'Orders', { env: ENV });
    Array.from({ length: 11 }, (_, i) => new SafeFunction(stack, `Fn${i}`, props({ retainVersions: 10 })));
    expect(budgetWarnings(stack)).toHaveLength(0);
  });
});
