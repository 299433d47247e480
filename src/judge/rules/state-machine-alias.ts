import { GuardRules } from '../../guard/guard-rules';
import { Qualifier } from '../../private/bindings/qualifier';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';

/**
 * `SafeLambda-StateMachineAlias` (error, only with `requireVersionsInStateMachines: true`): a state
 * machine invokes a guarded function through an alias.
 *
 * An execution that runs while the alias moves invokes version N in one state and N+1 in the next.
 * Pinning numbered versions keeps an execution on one version (with version-pinned IAM, in-flight
 * executions lose access to old versions on deploy: aws/aws-cdk#17515). Fix: pass `.currentVersion`.
 */
export const STATE_MACHINE_ALIAS: JudgeRule = {
  ruleId: GuardRules.STATE_MACHINE_ALIAS,
  /** Findings fail synthesis in `FailureMode.ERROR`. */
  isError: true,
  evaluate(input: JudgeInput): RuleOutcome {
    if (!input.requireVersionsInStateMachines || input.analysis.resourceType !== 'AWS::StepFunctions::StateMachine'
      || input.qualifier !== Qualifier.ALIAS || input.occurrence.attribute === 'Name') {
      return undefined;
    }
    return {
      problem: `invokes ${input.guarded.path} through an alias in ${input.shownPath()}, so a running execution can meet the next version halfway through`,
      fix: 'pass `.currentVersion` (a numbered version) to the state machine\'s tasks',
    };
  },
};
