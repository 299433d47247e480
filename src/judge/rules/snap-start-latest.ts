import { judgeFeatureBinding, withFeature } from './version-feature';
import { GuardRules } from '../../guard/guard-rules';
import { VersionFeature } from '../../private/bindings/guarded-function';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';

/**
 * `SafeLambda-SnapStartLatest` (error): an integration or permission binds a SnapStart function
 * (`snapStart: SnapStartConf.ON_PUBLISHED_VERSIONS`) unqualified or at `$LATEST`.
 *
 * SnapStart only works on published versions: invocations of `$LATEST` never use the snapshots, so
 * the app silently pays full cold starts. SnapStart functions are checked under every
 * `GuardedFunctions` setting.
 */
export const SNAP_START_LATEST: JudgeRule = {
  ruleId: GuardRules.SNAP_START_LATEST,
  /** Findings fail synthesis in `FailureMode.ERROR`. */
  isError: true,
  evaluate(input: JudgeInput): RuleOutcome {
    const outcome = judgeFeatureBinding(input, VersionFeature.SNAP_START);
    return outcome ? withFeature(outcome, 'SnapStart only works on published versions, so these invocations never use its snapshots') : outcome;
  },
};
