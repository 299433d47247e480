import { isUnqualified, judgeFeatureBinding, withFeature } from './version-feature';
import { GuardRules } from '../../guard/guard-rules';
import { VersionFeature } from '../../private/bindings/guarded-function';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';

/**
 * `SafeLambda-LatestPublished` (warning): an integration binds a Lambda Managed Instances function
 * (one with a capacity provider) unqualified.
 *
 * On such a function an unqualified invoke runs `$LATEST.PUBLISHED`, the newest published version, so
 * it never meets half-updated code; but every publish moves all traffic at once, with no canary, no
 * alarms and no rollback target. A warning: bind the alias to release it safely. `:$LATEST` spelled
 * out is still `SafeLambda-LatestBinding`.
 */
export const LATEST_PUBLISHED: JudgeRule = {
  ruleId: GuardRules.LATEST_PUBLISHED,
  /** Findings are warnings, even in `FailureMode.ERROR`. */
  isError: false,
  evaluate(input: JudgeInput): RuleOutcome {
    if (!isUnqualified(input)) {
      return undefined;
    }
    const outcome = judgeFeatureBinding(input, VersionFeature.MANAGED_INSTANCES);
    if (!outcome) {
      return outcome;
    }
    const problem = outcome.problem.replace(/so it invokes `\$LATEST`, which can run new code with old configuration while a deployment is in progress/,
      'so it invokes `$LATEST.PUBLISHED` (a Managed Instances function): every publish moves all its traffic at once, with no canary and no rollback target');
    return withFeature({ problem }, 'bind the alias to release it through CodeDeploy or weights');
  },
};
