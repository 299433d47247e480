import * as sdk from '@aws-sdk/client-lambda';
import { ListFunctionVersionsByCapacityProviderCommand } from '@aws-sdk/client-lambda';
import { awsError, deletedVersions, environment, event, lambdaMock, range, serve } from './fake-aws';
import { planProviderCap } from '../../src/retention/private/capacity-provider-cap';
import { onEvent } from '../../src/retention/version-pruner.lambda';

// issue #17 §1: Lambda Managed Instances cap function versions at 100 per capacity provider, shared
// by every function on it; the pruner keeps the provider under it across all its functions.
const PROVIDER = 'arn:aws:lambda:eu-west-1:123456789012:capacity-provider:shared';

/** `count` versions of `functions` other functions on the provider, spread evenly. */
function others(count: number, functions: number): string[] {
  return range(count).map((i) => `arn:aws:lambda:eu-west-1:123456789012:function:other-${i % functions}:${i}`);
}

/** Keep 10 of 1..20; the previous deployment published 19 (a rollback target), this one 20. */
const KEEP_10 = { props: { RetainVersions: '10', CurrentVersion: '20', LiveVersion: '20' }, oldProps: { CurrentVersion: '19', LiveVersion: '19' } };

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('the pruner keeps a capacity provider under its cap', () => {
  test('GIVEN a provider over its target THEN the oldest versions only the newest-N rule keeps go too, down to the target', async () => {
    // GIVEN 9 other functions holding 85 versions: after the planned deletions 95 remain, over 100 - 10 functions = 90
    serve({ versions: range(20), capacityProvider: { arn: PROVIDER, others: others(85, 9) } });

    // WHEN pruning to 10
    const response = await onEvent(event(KEEP_10), environment());

    // THEN 1..10 as planned, and 11..15 for the provider; no warning, since it reached 90
    expect(deletedVersions()).toEqual([...range(10), ...range(5, 11)].map(String));
    expect(response.Data.Warnings).toBe('');
    expect(lambdaMock.commandCalls(ListFunctionVersionsByCapacityProviderCommand)[0].args[0].input.CapacityProviderName).toBe('shared');
  });

  test('GIVEN a provider under its target THEN nothing beyond the plan is deleted', async () => {
    serve({ versions: range(20), capacityProvider: { arn: PROVIDER, others: others(70, 9) } });
    const response = await onEvent(event(KEEP_10), environment());
    expect(deletedVersions()).toEqual(range(10).map(String));
    expect(response.Data.Warnings).toBe('');
  });

  test('GIVEN protected versions in the way THEN they stay, and the answer says the provider is still over', async () => {
    // GIVEN an alias on 12, provisioned concurrency on 14, and 95 versions of 9 other functions
    serve({
      versions: range(20),
      aliases: [{ Name: 'live', FunctionVersion: '20' }, { Name: 'prod', FunctionVersion: '12' }],
      provisioned: ['14'],
      capacityProvider: { arn: PROVIDER, others: others(95, 9) },
    });

    // WHEN pruning to 10
    const response = await onEvent(event(KEEP_10), environment());

    // THEN only 11, 13, 15..18 go beyond the plan: 12 (alias), 14 (provisioned), 19 (rollback), 20 (current) stay
    expect(deletedVersions()).toEqual([...range(10), 11, 13, 15, 16, 17, 18].map(String));
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Kept).toMatch(/12 \(alias prod/);
    expect(response.Data.Warnings).toContain(`capacity provider ${PROVIDER} holds 99 versions of its 10 function(s), over the 90`);
    expect(response.Data.Warnings).toContain('keeps only protected versions');
    expect(response.Data.Warnings).toContain('lower retainVersions, or prune the other functions on the provider');
  });

  test('GIVEN the provider at its cap with nothing left to delete THEN the warning says the next publish fails, and strict mode still succeeds', async () => {
    serve({ versions: [19, 20], capacityProvider: { arn: PROVIDER, others: others(98, 9) } });
    const response = await onEvent(event({ ...KEEP_10, props: { ...KEEP_10.props, Strict: 'true' } }), environment());
    expect(deletedVersions()).toEqual([]);
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Warnings).toContain('holds 100 versions');
    expect(response.Data.Warnings).toContain('at the cap, the next publish on it fails');
  });

  test('GIVEN pruneMaxDeletions reached THEN the extra deletions stop there and the answer says the next deployment continues', async () => {
    serve({ versions: range(20), capacityProvider: { arn: PROVIDER, others: others(85, 9) } });
    const response = await onEvent(event({ ...KEEP_10, props: { ...KEEP_10.props, MaxDeletions: '12' } }), environment());
    expect(deletedVersions()).toEqual([...range(10), 11, 12].map(String));
    expect(response.Data.Warnings).toContain('reached pruneMaxDeletions; the next deployment continues');
  });

  test('GIVEN a dry run THEN the extra versions are reported as WouldDelete, none deleted', async () => {
    serve({ versions: range(20), capacityProvider: { arn: PROVIDER, others: others(85, 9) } });
    const response = await onEvent(event({ ...KEEP_10, props: { ...KEEP_10.props, DryRun: 'true' } }), environment());
    expect(deletedVersions()).toEqual([]);
    expect(response.Data.WouldDelete).toBe([...range(15)].join(','));
  });

  test('GIVEN the first run (Create) THEN nothing is deleted, the provider\'s overflow included', async () => {
    serve({ versions: range(20), capacityProvider: { arn: PROVIDER, others: others(95, 9) } });
    await onEvent(event({ requestType: 'Create', props: KEEP_10.props }), environment());
    expect(deletedVersions()).toEqual([]);
  });

  test('GIVEN a function on no capacity provider THEN the provider is never listed', async () => {
    serve({ versions: range(20) });
    await onEvent(event(KEEP_10), environment());
    expect(lambdaMock.commandCalls(ListFunctionVersionsByCapacityProviderCommand)).toHaveLength(0);
  });

  test('GIVEN the provider listing fails THEN the planned deletions still happen, the error is reported, and strict mode fails', async () => {
    serve({ versions: range(20), capacityProvider: { arn: PROVIDER, others: [] } });
    lambdaMock.on(ListFunctionVersionsByCapacityProviderCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    const lenient = await onEvent(event(KEEP_10), environment());
    expect(lenient).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: range(10).join(','), Errors: `capacity provider ${PROVIDER}: AccessDeniedException: not authorized` } });
    const strict = await onEvent(event({ ...KEEP_10, props: { ...KEEP_10.props, Strict: 'true' } }), environment());
    expect(strict.Status).toBe('FAILED');
  });

  test('GIVEN a runtime whose AWS SDK lacks the provider listing THEN the function is pruned on its own count, with a warning', async () => {
    let isolated: typeof import('../../src/retention/version-pruner.lambda') | undefined;
    jest.isolateModules(() => {
      const { ListFunctionVersionsByCapacityProviderCommand: _absent, ...rest } = sdk;
      jest.doMock('@aws-sdk/client-lambda', () => rest);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy, loaded against the mocked SDK
      isolated = require('../../src/retention/version-pruner.lambda');
    });
    serve({ versions: range(20), capacityProvider: { arn: PROVIDER, others: others(95, 9) } });
    const response = await isolated!.onEvent(event(KEEP_10), environment());
    expect(deletedVersions()).toEqual(range(10).map(String));
    expect(response.Data.Warnings).toContain('cannot list the provider\'s versions');
    jest.dontMock('@aws-sdk/client-lambda');
  });
});

describe('planProviderCap', () => {
  const base = { providerArn: PROVIDER, functionName: 'fn', plannedDeletions: [], keptOnlyByCount: [], deletionsLeft: 50 };

  test.each([
    // [what, provider versions, kept only by count (newest first), expected extra, expected warning]
    ['one function alone, 99 versions: room for 1', range(99).map((v) => `arn:aws:lambda:r:a:function:fn:${v}`), ['99', '98'], [], false],
    ['one function alone, 100 versions: 1 goes', range(100).map((v) => `arn:aws:lambda:r:a:function:fn:${v}`), ['99', '98'], ['98'], false],
    ['$LATEST and aliases in the listing are not versions', ['arn:aws:lambda:r:a:function:fn:$LATEST', 'arn:aws:lambda:r:a:function:fn:live', 'arn:aws:lambda:r:a:function:fn:1'], ['1'], [], false],
    ['nothing may go: over, with a warning', range(100).map((v) => `arn:aws:lambda:r:a:function:fn:${v}`), [], [], true],
  ] as const)('%s', (_what, arns, kept, extra, warns) => {
    const plan = planProviderCap({ ...base, providerVersionArns: [...arns], keptOnlyByCount: [...kept] });
    expect(plan.extra).toEqual(extra);
    expect(plan.warning !== undefined).toBe(warns);
  });

  test('the planned deletions of this function no longer count, other functions\' versions of the same number do', () => {
    const arns = ['arn:aws:lambda:r:a:function:fn:1', 'arn:aws:lambda:r:a:function:other:1'];
    const plan = planProviderCap({ ...base, providerVersionArns: arns, plannedDeletions: ['1'], cap: 3 });
    expect(plan).toMatchObject({ remaining: 1, functions: 2, target: 1, extra: [] });
  });
});
