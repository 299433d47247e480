import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { HAZARD_CASES } from './diff-templates';
import { isKnownResourceType, replacingChanges, replacingReferences } from '../../src/private/replacement';

// issue #16 §7: diff's replacement verdicts are the ones `cdk diff` gives. @aws-cdk/cloudformation-diff
// (cdk diff's engine) judges each pair of templates; the committed table (src/private/replacement.ts)
// must agree on every resource both templates hold. Two documented differences: a custom resource's
// new ServiceToken is 'refused' here (CloudFormation refuses it; the spec says replacement), and a
// nested replacing path (reached through the spec's type tree) is a replacement here, where
// cloudformation-diff, which reads top-level properties only, sees an update.

type Verdict = 'replace' | 'may replace' | 'update' | 'none';

function knownToCdkDiff(type: string): boolean {
  return !type.startsWith('Custom::') && isKnownResourceType(type);
}

function ours(type: string, before: any, after: any, replaced: Set<string>): Verdict {
  const changes = [
    ...replacingChanges(type, before.Properties, after.Properties) ?? [],
    ...replacingReferences(type, after.Properties, replaced) ?? [],
  ];
  if (changes.some((c) => c.verdict === 'yes' || c.verdict === 'refused')) return 'replace';
  if (changes.some((c) => c.verdict === 'maybe')) return 'may replace';
  return JSON.stringify(before) === JSON.stringify(after) ? 'none' : 'update';
}

function theirs(impact: ResourceImpact): Verdict {
  switch (impact) {
    case ResourceImpact.WILL_REPLACE: return 'replace';
    case ResourceImpact.MAY_REPLACE: return 'may replace';
    case ResourceImpact.NO_CHANGE: return 'none';
    default: return 'update';
  }
}

/** The resources replaced by their own changes (what references to them propagate). */
function replacedIds(before: any, after: any): Set<string> {
  return new Set(Object.entries<any>(after.Resources ?? {}).filter(([id, a]) => {
    const b = before.Resources?.[id];
    return b && b.Type === a.Type && (replacingChanges(a.Type, b.Properties, a.Properties) ?? []).some((c) => c.verdict !== 'maybe');
  }).map(([id]) => id));
}

/** Per resource both templates hold under one type: [logical ID, ours, cloudformation-diff's]. */
function verdicts(before: any, after: any): Array<[string, Verdict, Verdict]> {
  const result: Array<[string, Verdict, Verdict]> = [];
  fullDiff(before, after).resources.forEachDifference((id, change) => {
    const b = before.Resources?.[id];
    const a = after.Resources?.[id];
    // cloudformation-diff judges nothing of a type the spec does not name (`Custom::*`): it says NO_CHANGE
    if (!b || !a || b.Type !== a.Type || !knownToCdkDiff(a.Type)) return;
    result.push([id, ours(a.Type, b, a, replacedIds(before, after)), theirs(change.changeImpact)]);
  });
  return result;
}

describe('diff judges replacement as cdk diff does', () => {
  test.each(HAZARD_CASES)('GIVEN %s THEN every resource held by both templates gets the verdict of @aws-cdk/cloudformation-diff', (_label, before, after) => {
    for (const [id, mine, cdk] of verdicts(before, after)) {
      expect([id, mine]).toEqual([id, cdk]);
    }
  });

  test('GIVEN the replacing changes of the hazard table THEN cloudformation-diff sees them too (the cross-check is not vacuous)', () => {
    const replaced = HAZARD_CASES.flatMap(([, b, a]) => verdicts(b, a)).filter(([, , cdk]) => cdk === 'replace');
    expect(replaced.length).toBeGreaterThanOrEqual(8);
  });

  test('GIVEN a Custom:: resource\'s new ServiceToken THEN cloudformation-diff sees no change, where diff says CloudFormation refuses it', () => {
    const custom = (token: unknown) => ({ Resources: { C: { Type: 'Custom::Thing', Properties: { ServiceToken: token } } } });
    const change = fullDiff(custom('a'), custom('b')).resources.get('C');
    expect(change.changeImpact).toEqual(ResourceImpact.NO_CHANGE);
    expect(replacingChanges('Custom::Thing', { ServiceToken: 'a' }, { ServiceToken: 'b' })).toEqual([{ path: 'ServiceToken', verdict: 'refused' }]);
  });

  test('GIVEN a nested replacing path (a pipe\'s Kinesis StartingPosition) THEN diff replaces where cloudformation-diff, top-level only, updates', () => {
    const pipe = (position: string) => ({
      Resources: { P: { Type: 'AWS::Pipes::Pipe', Properties: { RoleArn: 'r', Source: 's', Target: 't', SourceParameters: { KinesisStreamParameters: { StartingPosition: position } } } } },
    });
    expect(verdicts(pipe('LATEST'), pipe('TRIM_HORIZON'))).toEqual([['P', 'replace', 'update']]);
  });
});
