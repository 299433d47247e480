import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-StateMachineAlias` (error, only with `requireVersionsInStateMachines: true`): a state
 * machine invokes a guarded function through an alias.
 *
 * An execution that runs while the alias moves invokes version N in one state and N+1 in the next.
 * Pinning numbered versions keeps an execution on one version (with version-pinned IAM, in-flight
 * executions lose access to old versions on deploy: aws/aws-cdk#17515). Fix: pass `.currentVersion`.
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class StateMachineAliasRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.STATE_MACHINE_ALIAS;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;
}
