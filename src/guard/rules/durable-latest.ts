import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-DurableLatest` (error): an integration or permission binds a durable function
 * (`durableConfig`) unqualified or at `$LATEST`.
 *
 * Lambda refuses it outright (`You cannot invoke a durable function using an unqualified ARN`), and a
 * durable execution is pinned to the version it started on for up to a year. Durable functions are
 * checked under every `GuardedFunctions` setting, plain functions too (aws/aws-cdk#36463).
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class DurableLatestRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.DURABLE_LATEST;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;
}
