import { GuardRules } from '../../guard/guard-rules';
import { allowsInvoke, notActionAllowsInvoke } from '../../private/bindings/invoke-actions';
import { reachesLatest } from '../../private/bindings/qualifier';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';
import { describeReference } from '../reference';
import { valueAt } from '../value-at';

/**
 * `SafeLambda-LatestGrant` (warning): an IAM policy statement allows `lambda:InvokeFunction` on a guarded
 * function's unqualified ARN (`fn.grantInvoke(role)` on the inner function grants `[arn, arn:*]`).
 *
 * Its holder can then invoke `$LATEST` with the SDK. A warning, not an error: the grant alone binds
 * nothing. Fix: grant on the SafeFunction itself, `.live` or `.currentVersion`. The `arn:*` wildcard
 * alone is not a finding.
 */
export const LATEST_GRANT: JudgeRule = {
  ruleId: GuardRules.LATEST_GRANT,
  /** Findings are warnings, even in `FailureMode.ERROR`. */
  isError: false,
  evaluate(input: JudgeInput): RuleOutcome {
    const path = input.occurrence.path;
    if (!path.includes('Statement[')) {
      return undefined;
    }
    const match = /^(.*\.Statement\[\d+\])\.Resource(\[\d+\])?$/.exec(path);
    if (!match || !reachesLatest(input.qualifier)) {
      return null;
    }
    const statement: any = valueAt(input.analysis.entry, match[1]);
    // `NotAction` allows every action it does not list: invoke, unless it is listed.
    const allows = statement?.NotAction !== undefined ? notActionAllowsInvoke(statement.NotAction) : allowsInvoke(statement?.Action);
    if (statement?.Effect !== 'Allow' || !allows) {
      return null;
    }
    return {
      problem: `allows lambda:InvokeFunction on ${describeReference(input.occurrence, input.qualifier)} of ${input.guarded.path} in ${input.shownPath()}, so its holder can invoke \`$LATEST\``,
      fix: 'grant on the SafeFunction itself (`safeFn.grantInvoke(role)`), on `.live` or on `.currentVersion`',
    };
  },
};
