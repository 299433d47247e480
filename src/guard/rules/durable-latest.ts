import { judgeFeatureBinding, withFeature } from './version-feature-rule';
import { GuardRules } from '../guard-rules';
import { VersionFeature } from '../private/guarded-function';
import { RuleInput, RuleOutcome } from '../private/rule';

/**
 * `SafeLambda-DurableLatest` (error): an integration or permission binds a durable function
 * (`durableConfig`) unqualified or at `$LATEST`.
 *
 * Lambda refuses it outright (`You cannot invoke a durable function using an unqualified ARN`), and a
 * durable execution is pinned to the version it started on for up to a year. Durable functions are
 * checked under every `GuardedFunctions` setting, plain functions too (aws/aws-cdk#36463).
 */
export class DurableLatestRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.DURABLE_LATEST;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;

  /** @internal */
  public _evaluate(input: RuleInput): RuleOutcome {
    const outcome = judgeFeatureBinding(input, VersionFeature.DURABLE);
    return outcome ? withFeature(outcome, 'it is a durable function, which Lambda never invokes unqualified '
      + '(InvalidParameterValueException), and whose executions stay pinned to one version') : outcome;
  }
}
