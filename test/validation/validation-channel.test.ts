import * as cdk from 'aws-cdk-lib';
import { Annotations, Stage } from 'aws-cdk-lib';
import { HAS_VALIDATIONS, newApp, recordReports, REPORT_IS_COMPLETE, Seen, seenByUser, synthError, unqualifiedRule } from './validation-helpers';
import { FailureMode, GuardedFunctions, GuardRules, GuardSuppressions } from '../../src/guard';
import { SafeLambdaValidation } from '../../src/validation';

process.env.CDK_VALIDATION = 'false';

/*
 * Issue #17 §5: what a user sees of the guard as a validation plugin, per failure mode, per kind of finding,
 * on the aws-cdk-lib under test (CI: the floor 2.232.2, 2.255.0 from the middle of the range, the newest).
 * 2.278's report carries everything (a failure throws); before it, the guard also runs as an aspect: errors
 * fail synthesis, the rest are annotations `cdk synth` prints, and the plugin repeats none of it.
 */
const RELEASE = REPORT_IS_COMPLETE ? 'report' : 'aspect';
const BINDING = 'Stack/Rule/Resource';

type Case = 'finding' | 'suppressed' | 'acknowledged' | 'acknowledged warning' | 'unmatched acknowledgement';

function build(mode: FailureMode, kase: Case) {
  const app = newApp();
  const { stack, rule } = unqualifiedRule(app);
  const reports = recordReports(SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL, failureMode: mode }));
  const ack = (id: string, reason: string) => HAS_VALIDATIONS
    ? (cdk as any).Validations.of(rule).acknowledge({ id, reason })
    // The floor has no Validations.acknowledge(): the metadata it would write, by hand.
    : rule.node.addMetadata('aws:cdk:acknowledged-rules', { [id]: reason });
  switch (kase) {
    case 'suppressed':
      GuardSuppressions.add(rule, { ruleId: GuardRules.LATEST_BINDING, reason: 'deleted next release' });
      break;
    case 'acknowledged':
      ack(`SafeLambda::${GuardRules.LATEST_BINDING}`, 'deleted next release');
      break;
    case 'acknowledged warning':
      Annotations.of(rule).acknowledgeWarning(GuardRules.LATEST_BINDING, 'deleted next release');
      break;
    case 'unmatched acknowledgement':
      // The binding is suppressed (synthesis passes); these two match no finding of the app.
      GuardSuppressions.add(rule, { ruleId: GuardRules.LATEST_BINDING, reason: 'deleted next release' });
      ack(`SafeLambda::${GuardRules.SNAP_START_LATEST}`, 'no SnapStart here');
      Annotations.of(stack).acknowledgeWarning(GuardRules.DURABLE_LATEST, 'no durable function here');
      break;
  }
  return { app, reports };
}

function only(seen: Seen[], ruleId: string, path: string): Seen[] {
  return seen.filter((s) => s.ruleId === ruleId && s.path === path);
}

describe(`the validation channel where the release's report is ${RELEASE === 'report' ? 'complete (2.278)' : 'not (the guard runs as an aspect too)'}`, () => {
  test.each([
    [FailureMode.ERROR, 'error'],
    [FailureMode.WARNING, 'warning'],
  ])('GIVEN %s mode WHEN a finding is not suppressed THEN the user sees it once, as %s, and an error fails synthesis', (mode, level) => {
    const { app, reports } = build(mode, 'finding');
    const error = synthError(app);
    if (mode === FailureMode.ERROR) {
      // never weaker than the aspect alone: app.synth() throws on every release
      expect(error?.message).toMatch(/SafeLambda-LatestBinding/);
    } else {
      expect(error).toBeUndefined();
    }
    const seen = only(seenByUser(app), GuardRules.LATEST_BINDING, BINDING);
    if (REPORT_IS_COMPLETE) {
      expect(seen.map((s) => [s.channel, s.level])).toEqual([['report', level]]);
    } else if (mode === FailureMode.ERROR) {
      // the aspect's error failed synthesis before any plugin ran
      expect(seen).toEqual([]);
      expect(reports).toHaveLength(0);
      expect(error!.message.match(/SafeLambda-LatestBinding Stack\/Rule/g)?.length ?? 0).toBeLessThanOrEqual(2);
    } else {
      expect(seen.map((s) => [s.channel, s.level])).toEqual([['annotation', 'warning']]);
      expect(reports.flatMap((r) => r.violations)).toEqual([]);
    }
  });

  test.each([
    [FailureMode.ERROR, 'suppressed' as Case],
    [FailureMode.WARNING, 'suppressed' as Case],
    [FailureMode.ERROR, 'acknowledged' as Case],
    [FailureMode.WARNING, 'acknowledged' as Case],
    [FailureMode.WARNING, 'acknowledged warning' as Case],
  ])('GIVEN %s mode WHEN the binding is %s THEN synthesis passes and the user still sees it once, as suppressed', (mode, kase) => {
    const { app } = build(mode, kase);
    expect(synthError(app)).toBeUndefined();
    const seen = only(seenByUser(app), GuardRules.LATEST_BINDING, BINDING);
    const expected = !REPORT_IS_COMPLETE ? ['annotation', 'info']
      // 2.278 files an acknowledgement with the plugin's namespace under the suppressed violations itself
      : kase === 'acknowledged' ? ['suppressed in report', 'info'] : ['report', 'info'];
    expect(seen.map((s) => [s.channel, s.level])).toEqual([expected]);
    expect(seen[0].text).toMatch(/^\[suppressed: .*\] \[?SafeLambda-LatestBinding/);
  });

  test.each([FailureMode.ERROR, FailureMode.WARNING])('GIVEN %s mode WHEN acknowledgements match no finding THEN each is reported once as SafeLambda-UnusedSuppression', (mode) => {
    const { app } = build(mode, 'unmatched acknowledgement');
    expect(synthError(app)).toBeUndefined();
    const unused = seenByUser(app).filter((s) => s.ruleId === GuardRules.UNUSED_SUPPRESSION);
    const channel = REPORT_IS_COMPLETE ? 'report' : 'annotation';
    expect(unused.map((s) => [s.channel, s.level, s.path, /acknowledged (SafeLambda-\w+)/.exec(s.text)?.[1]]).sort()).toEqual([
      [channel, 'warning', 'Stack', GuardRules.DURABLE_LATEST],
      [channel, 'warning', 'Stack/Rule', GuardRules.SNAP_START_LATEST],
    ]);
    // the first line names the scope, the problem and the fix, and fits a terminal
    expect(unused.every((s) => s.text.split('\n')[0].length <= 120)).toBe(true);
    // AND the acknowledgement that suppresses a finding is used: not reported
    expect(unused.some((s) => s.text.includes(`of ${GuardRules.LATEST_BINDING}`))).toBe(false);
  });

  test('GIVEN an acknowledgement of a rule ID with a typo WHEN the app synthesizes THEN it is reported and the finding is not suppressed', () => {
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL, failureMode: FailureMode.WARNING });
    Annotations.of(rule).acknowledgeWarning('SafeLambda-LatestBindings', 'typo');
    expect(synthError(app)).toBeUndefined();
    const seen = seenByUser(app);
    expect(only(seen, GuardRules.LATEST_BINDING, BINDING).map((s) => s.level)).toEqual(['warning']);
    expect(only(seen, GuardRules.UNUSED_SUPPRESSION, 'Stack/Rule').map((s) => s.text.split('\n')[0])).toEqual([
      'SafeLambda-UnusedSuppression Stack/Rule: acknowledged SafeLambda-LatestBindings matches no finding — fix: remove it',
    ]);
  });
  test.each([FailureMode.ERROR, FailureMode.WARNING])('GIVEN %s mode WHEN a GuardSuppressions entry matches no finding THEN it is reported once as SafeLambda-UnusedSuppression', (mode) => {
    const app = newApp();
    const { rule } = unqualifiedRule(app);
    SafeLambdaValidation.addTo(app, { functions: GuardedFunctions.ALL, failureMode: mode });
    GuardSuppressions.add(rule, { ruleId: GuardRules.LATEST_BINDING, reason: 'deleted next release' });
    GuardSuppressions.add(rule, { ruleId: GuardRules.SNAP_START_LATEST, reason: 'no SnapStart function here' });
    expect(synthError(app)).toBeUndefined();
    const unused = only(seenByUser(app), GuardRules.UNUSED_SUPPRESSION, 'Stack/Rule');
    expect(unused.map((s) => [s.channel, s.level])).toEqual([[REPORT_IS_COMPLETE ? 'report' : 'annotation', 'warning']]);
    expect(unused[0].text).toContain(GuardRules.SNAP_START_LATEST);
  });

  test('GIVEN the plugin on a nested Stage in WARNING mode WHEN the app synthesizes THEN the Stage\'s finding is seen once', () => {
    const app = newApp();
    const prod = new Stage(app, 'Prod');
    unqualifiedRule(prod);
    SafeLambdaValidation.addTo(prod, { functions: GuardedFunctions.ALL, failureMode: FailureMode.WARNING });
    expect(synthError(app)).toBeUndefined();
    const seen = only(seenByUser(app), GuardRules.LATEST_BINDING, 'Prod/Stack/Rule/Resource');
    // 2.278 writes a nested Stage's plugin into the App's report
    expect(seen.map((s) => [s.channel, s.level])).toEqual([[REPORT_IS_COMPLETE ? 'report' : 'annotation', 'warning']]);
  });
});
