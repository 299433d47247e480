import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-LatestGrant` (warning): an IAM policy statement allows `lambda:InvokeFunction` on a guarded
 * function's unqualified ARN (`fn.grantInvoke(role)` on the inner function grants `[arn, arn:*]`).
 *
 * Its holder can then invoke `$LATEST` with the SDK. A warning, not an error: the grant alone binds
 * nothing. Fix: grant on the SafeFunction itself, `.live` or `.currentVersion`. The `arn:*` wildcard
 * alone is not a finding.
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class LatestGrantRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_GRANT;

  /** Findings are warnings, even in `FailureMode.ERROR`. */
  public readonly isError: boolean = false;
}
