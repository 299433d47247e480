import { judgeFeatureBinding, withFeature } from './version-feature';
import { GuardRules } from '../../guard/guard-rules';
import { VersionFeature } from '../../private/bindings/guarded-function';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';

/**
 * `SafeLambda-DurableLatest` (error): an integration or permission binds a durable function
 * (`durableConfig`) unqualified or at `$LATEST`.
 *
 * Lambda refuses it outright (`You cannot invoke a durable function using an unqualified ARN`), and a
 * durable execution is pinned to the version it started on for up to a year. Durable functions are
 * checked under every `GuardedFunctions` setting, plain functions too (aws/aws-cdk#36463).
 */
export const DURABLE_LATEST: JudgeRule = {
  ruleId: GuardRules.DURABLE_LATEST,
  /** Findings fail synthesis in `FailureMode.ERROR`. */
  isError: true,
  evaluate(input: JudgeInput): RuleOutcome {
    const outcome = judgeFeatureBinding(input, VersionFeature.DURABLE);
    return outcome ? withFeature(outcome, 'it is a durable function, which Lambda never invokes unqualified '
      + '(InvalidParameterValueException), and whose executions stay pinned to one version') : outcome;
  },
};
