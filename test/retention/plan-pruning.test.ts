import { ageSeconds, planPruning, PruningInput, versionQualifier } from '../../src/retention/private/plan-pruning';
import { parsePrunerProperties, renderPrunerProperties, rollbackTargets } from '../../src/retention/private/pruner-properties';
import { collectPages, isThrottling, withRetry } from '../../src/retention/private/retry';

const NOW = Date.parse('2026-11-22T06:00:00.000Z');
const OLD = '2026-11-01T00:00:00.000+0000';

function input(versions: string[], overrides: Partial<PruningInput> = {}): PruningInput {
  return {
    versions: versions.map((version) => ({ version, lastModified: OLD })),
    retain: 2,
    minAgeSeconds: 0,
    maxDeletions: 100,
    now: NOW,
    protections: [],
    ...overrides,
  };
}

describe('planPruning', () => {
  test('keeps the newest by number, not by text ("10" is newer than "9")', () => {
    // GIVEN versions listed in text order
    const plan = planPruning(input(['$LATEST', '1', '10', '11', '2', '9']));

    // THEN 11 and 10 are kept and the rest go oldest first
    expect(plan.delete).toEqual(['1', '2', '9']);
    expect(plan.keep.map((k) => k.version)).toEqual(['$LATEST', '11', '10']);
  });

  test('keeps a version every protection names, with all its reasons, and ignores protections of absent versions', () => {
    const plan = planPruning(input(['1', '2', '3', '4'], {
      protections: [{ version: '1', reason: 'alias a' }, { version: '1', reason: 'rollback target' }, { version: '77', reason: 'alias gone' }],
    }));
    expect(plan.delete).toEqual(['2']);
    expect(plan.keep.find((k) => k.version === '1')?.reasons).toEqual(['alias a', 'rollback target']);
    expect(plan.keep.find((k) => k.version === '77')).toBeUndefined();
  });

  test('keeps versions whose age cannot be read, and anything that is not a version number', () => {
    const plan = planPruning({
      ...input([]),
      retain: 1,
      versions: [{ version: '1' }, { version: '2', lastModified: 'yesterday' }, { version: '$LATEST.PUBLISHED', lastModified: OLD }, { version: '3', lastModified: OLD }],
    });
    expect(plan.delete).toEqual([]);
    expect(plan.keep.map((k) => `${k.version}:${k.reasons.join()}`)).toEqual(
      ['3:one of the 1 newest', '2:age unknown', '1:age unknown', '$LATEST.PUBLISHED:not a version number']);
  });

  test('caps deletions, taking the oldest, and keeps nothing back when blocked', () => {
    const versions = Array.from({ length: 10 }, (_, i) => String(i + 1));
    expect(planPruning(input(versions, { retain: 1, maxDeletions: 3 })).delete).toEqual(['1', '2', '3']);
    const blocked = planPruning(input(versions, { retain: 1, blockedBy: 'CodeDeploy deployment d-1 in progress' }));
    expect(blocked.delete).toEqual([]);
    expect(blocked.keep.find((k) => k.version === '1')?.reasons).toEqual(['CodeDeploy deployment d-1 in progress']);
  });

  test('reads Lambda timestamps with and without a colon in the offset, and version qualifiers of ARNs', () => {
    expect(ageSeconds('2026-11-22T05:00:00.000+0000', NOW)).toBe(3600);
    expect(ageSeconds('2026-11-22T06:00:00.000+01:00', NOW)).toBe(3600);
    expect(ageSeconds(undefined, NOW)).toBeUndefined();
    expect(versionQualifier('arn:aws:lambda:eu-west-1:123456789012:function:f:12')).toBe('12');
    expect(versionQualifier('arn:aws:lambda:eu-west-1:123456789012:function:f:live')).toBeUndefined();
    expect(versionQualifier('arn:aws:lambda:eu-west-1:123456789012:function:f')).toBeUndefined();
  });
});

describe('pruner properties', () => {
  test('what the construct renders, CloudFormation stringifies and the handler reads back unchanged', () => {
    // GIVEN properties as the construct writes them
    const props = {
      functionName: 'f',
      aliasName: 'live',
      currentVersion: '7',
      liveVersion: '6',
      retainVersions: 3,
      minAgeSeconds: 60,
      maxDeletions: 10,
      dryRun: true,
      strict: false,
      codeDeployApplication: 'app',
      codeDeployDeploymentGroup: 'group',
      aliases: [{ name: 'live', version: '6', routed: ['5'] }, { name: 'beta', version: '7', routed: [] }],
    };
    // WHEN CloudFormation turns every scalar into a string (lists and objects stay, their scalars too)
    const stringified = (v: unknown): unknown => Array.isArray(v) ? v.map(stringified)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringified(x)])) : String(v);
    const asSent = stringified(renderPrunerProperties(props));
    // THEN the handler reads the same values
    expect(parsePrunerProperties(asSent)).toEqual(props);
  });

  test('rejects a deployment group without its application, and names every problem', () => {
    expect(() => parsePrunerProperties({ FunctionName: 'f', AliasName: 'live', CurrentVersion: '1', LiveVersion: '1', RetainVersions: '0', MinAgeSeconds: '-1', MaxDeletions: '1', CodeDeployDeploymentGroup: 'g' }))
      .toThrow(/RetainVersions must be a whole number of at least 1, got "0"; MinAgeSeconds must be a whole number of at least 0, got "-1"; CodeDeployApplication and CodeDeployDeploymentGroup must be set together/);
  });

  test.each([
    ['the previous published and live versions, once each', { CurrentVersion: '9', LiveVersion: '9', Aliases: [] }, ['9'], true],
    ['every recorded alias target and routed version', { CurrentVersion: '9', LiveVersion: '4', Aliases: [{ Name: 'beta', Version: '7', Routed: ['6'] }] }, ['9', '4', '7', '6'], true],
    ['old properties without Aliases (an older release of the library): incomplete', { CurrentVersion: '9', LiveVersion: '4' }, ['9', '4'], false],
    ['an alias entry that is not an object: incomplete', { CurrentVersion: '9', LiveVersion: '9', Aliases: ['x'] }, ['9'], false],
    ['an alias without a version: incomplete', { CurrentVersion: '9', LiveVersion: '9', Aliases: [{ Name: 'beta' }] }, ['9'], false],
    ['no old properties at all (Create): incomplete', undefined, [], false],
  ])('the rollback targets are %s', (_, old, versions, complete) => {
    // GIVEN the old properties WHEN read THEN these versions, and whether the list is complete
    expect(rollbackTargets(old as any)).toEqual({ versions, complete });
  });
});

describe('retry and pagination', () => {
  const options = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

  test('retries only throttling errors', async () => {
    const sleeps: number[] = [];
    const call = jest.fn().mockRejectedValue(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(withRetry(call, { ...options, sleep: async (ms) => { sleeps.push(ms); } })).rejects.toThrow('denied');
    expect(call).toHaveBeenCalledTimes(1);
    expect(isThrottling({ name: 'x', $metadata: { httpStatusCode: 429 } })).toBe(true);
  });

  test('does not start a retry that would end after the deadline', async () => {
    const call = jest.fn().mockRejectedValue(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(withRetry(call, { ...options, sleep: async () => undefined, now: () => 1000, deadline: 1050 })).rejects.toThrow('slow down');
    expect(call).toHaveBeenCalledTimes(1);
  });

  test('follows page tokens to the end, and fails on a repeated token instead of looping', async () => {
    const pages: Record<string, { items: number[]; next?: string }> = { first: { items: [1], next: 'a' }, a: { items: [2], next: 'b' }, b: { items: [3] } };
    await expect(collectPages(async (t) => pages[t ?? 'first'])).resolves.toEqual([1, 2, 3]);
    await expect(collectPages(async () => ({ items: [1], next: 'same' }))).rejects.toThrow('pagination token repeated: same');
  });
});
