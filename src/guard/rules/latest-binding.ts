import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-LatestBinding` (error): an integration binds a guarded function's unqualified ARN or name,
 * or its `:$LATEST` qualifier.
 *
 * CloudFormation updates a function's code and its configuration in two separate calls; whatever invokes
 * `$LATEST` in between can run new code with old configuration, or the reverse. Fix: pass the SafeFunction
 * itself (it is its `live` alias), `.live` or `.currentVersion`, never `.function`.
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class LatestBindingRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_BINDING;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;
}
