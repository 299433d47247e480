import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-SnapStartLatest` (error): an integration or permission binds a SnapStart function
 * (`snapStart: SnapStartConf.ON_PUBLISHED_VERSIONS`) unqualified or at `$LATEST`.
 *
 * SnapStart only works on published versions: invocations of `$LATEST` never use the snapshots, so
 * the app silently pays full cold starts. SnapStart functions are checked under every
 * `GuardedFunctions` setting.
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class SnapStartLatestRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.SNAP_START_LATEST;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;
}
