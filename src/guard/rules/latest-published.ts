import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-LatestPublished` (warning): an integration binds a Lambda Managed Instances function
 * (one with a capacity provider) unqualified.
 *
 * On such a function an unqualified invoke runs `$LATEST.PUBLISHED`, the newest published version, so
 * it never meets half-updated code; but every publish moves all traffic at once, with no canary, no
 * alarms and no rollback target. A warning: bind the alias to release it safely. `:$LATEST` spelled
 * out is still `SafeLambda-LatestBinding`.
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class LatestPublishedRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_PUBLISHED;

  /** Findings are warnings, even in `FailureMode.ERROR`. */
  public readonly isError: boolean = false;
}
