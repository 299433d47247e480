import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-LatestPermission` (error): an `AWS::Lambda::Permission` on a guarded function's unqualified ARN.
 *
 * Since Lambda's 2022 authorization change, a resource policy on the unqualified ARN does not authorize
 * invocations of an alias or a version (aws/aws-cdk#19273), so such a permission serves `$LATEST` only:
 * it is the counterpart of an unqualified binding. Fix: call `grantInvoke`/`addPermission` on the
 * SafeFunction itself (its alias), `.live` or `.currentVersion`.
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class LatestPermissionRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_PERMISSION;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;
}
