import { judgeFeatureBinding, withFeature } from './version-feature-rule';
import { GuardRules } from '../guard-rules';
import { VersionFeature } from '../private/guarded-function';
import { RuleInput, RuleOutcome } from '../private/rule';

/**
 * `SafeLambda-SnapStartLatest` (error): an integration or permission binds a SnapStart function
 * (`snapStart: SnapStartConf.ON_PUBLISHED_VERSIONS`) unqualified or at `$LATEST`.
 *
 * SnapStart only works on published versions: invocations of `$LATEST` never use the snapshots, so
 * the app silently pays full cold starts. SnapStart functions are checked under every
 * `GuardedFunctions` setting.
 */
export class SnapStartLatestRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.SNAP_START_LATEST;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;

  /** @internal */
  public _evaluate(input: RuleInput): RuleOutcome {
    const outcome = judgeFeatureBinding(input, VersionFeature.SNAP_START);
    return outcome ? withFeature(outcome, 'SnapStart only works on published versions, so these invocations never use its snapshots') : outcome;
  }
}
