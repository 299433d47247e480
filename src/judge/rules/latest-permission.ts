import { GuardRules } from '../../guard/guard-rules';
import { allowsInvoke } from '../../private/bindings/invoke-actions';
import { reachesLatest } from '../../private/bindings/qualifier';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';
import { describeReference } from '../reference';
import { valueAt } from '../value-at';

/**
 * `SafeLambda-LatestPermission` (error): an `AWS::Lambda::Permission` on a guarded function's unqualified ARN.
 *
 * Since Lambda's 2022 authorization change, a resource policy on the unqualified ARN does not authorize
 * invocations of an alias or a version (aws/aws-cdk#19273), so such a permission serves `$LATEST` only:
 * it is the counterpart of an unqualified binding. Fix: call `grantInvoke`/`addPermission` on the
 * SafeFunction itself (its alias), `.live` or `.currentVersion`.
 */
export const LATEST_PERMISSION: JudgeRule = {
  ruleId: GuardRules.LATEST_PERMISSION,
  /** Findings fail synthesis in `FailureMode.ERROR`. */
  isError: true,
  evaluate(input: JudgeInput): RuleOutcome {
    if (input.analysis.resourceType !== 'AWS::Lambda::Permission') {
      return undefined;
    }
    // A permission for anything but invoking (`lambda:GetFunction` for a deployment tool) binds nothing.
    if (input.occurrence.path !== 'Properties.FunctionName' || !reachesLatest(input.qualifier)
      || !allowsInvoke(valueAt(input.analysis.entry, 'Properties.Action'))) {
      return null;
    }
    return {
      problem: `grants invocation of ${describeReference(input.occurrence, input.qualifier)} of ${input.guarded.path} in ${input.shownPath()}, which only \`$LATEST\` needs`,
      fix: 'grant on the SafeFunction itself (`safeFn.grantInvoke(...)`, `safeFn.addPermission(...)`), on `.live` or on `.currentVersion`, and bind integrations to the same',
    };
  },
};
