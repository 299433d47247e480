import { CfnResource } from 'aws-cdk-lib';
import { GuardedFunction } from './guarded-function';
import { ElementAnalysis, Occurrence } from './occurrences';
import { Qualifier } from './qualifier';

/** Everything a rule looks at for one reference to a guarded function. */
export interface RuleInput {
  readonly resource: CfnResource;
  readonly analysis: ElementAnalysis;
  readonly occurrence: Occurrence;
  readonly qualifier: Qualifier;
  readonly guarded: GuardedFunction;
  readonly requireVersionsInStateMachines: boolean;
}

/** What a rule found wrong. */
export interface RuleVerdict {
  /** What the resource does, e.g. 'binds Properties.Targets[0].Arn to the unqualified ARN of Stack/Fn'. */
  readonly problem: string;
  /** The fix, when it differs from the usual one (bind the SafeFunction itself, `.live` or `.currentVersion`). */
  readonly fix?: string;
}

/**
 * A rule's verdict on one reference: `undefined` when the reference is not the rule's business (the
 * next rule looks at it), `null` when it is and it is fine, a verdict when it is a finding.
 */
export type RuleOutcome = RuleVerdict | null | undefined;

/** How a rule is seen by the engine. */
export interface EngineRule {
  readonly ruleId: string;
  /** Whether a finding fails synthesis in `FailureMode.ERROR` (`false`: always a warning). */
  readonly isError: boolean;
  _evaluate(input: RuleInput): RuleOutcome;
}
