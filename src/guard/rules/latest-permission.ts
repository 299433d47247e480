import { GuardRules } from '../guard-rules';
import { allowsInvoke } from '../private/invoke-actions';
import { valueAt } from '../private/paths';
import { describeReference, reachesLatest } from '../private/qualifier';
import { RuleInput, RuleOutcome } from '../private/rule';

/**
 * `SafeLambda-LatestPermission` (error): an `AWS::Lambda::Permission` on a guarded function's unqualified ARN.
 *
 * Since Lambda's 2022 authorization change, a resource policy on the unqualified ARN does not authorize
 * invocations of an alias or a version (aws/aws-cdk#19273), so such a permission serves `$LATEST` only:
 * it is the counterpart of an unqualified binding. Fix: call `grantInvoke`/`addPermission` on the
 * SafeFunction itself (its alias), `.live` or `.currentVersion`.
 */
export class LatestPermissionRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_PERMISSION;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;

  /** @internal */
  public _evaluate(input: RuleInput): RuleOutcome {
    if (input.analysis.resourceType !== 'AWS::Lambda::Permission') {
      return undefined;
    }
    // A permission for anything but invoking (`lambda:GetFunction` for a deployment tool) binds nothing.
    if (input.occurrence.path !== 'Properties.FunctionName' || !reachesLatest(input.qualifier)
      || !allowsInvoke(valueAt(input.analysis.entry, 'Properties.Action'))) {
      return null;
    }
    return {
      problem: `grants invocation of ${describeReference(input.occurrence, input.qualifier)} of ${input.guarded.path} in ${input.occurrence.path}, which only \`$LATEST\` needs`,
      fix: 'grant on the SafeFunction itself (`safeFn.grantInvoke(...)`, `safeFn.addPermission(...)`), on `.live` or on `.currentVersion`, and bind integrations to the same',
    };
  }
}
