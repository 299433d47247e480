import { GuardRules } from '../../guard/guard-rules';
import { reachesLatest } from '../../private/bindings/qualifier';
import { JudgeInput, JudgeRule, RuleOutcome } from '../input';
import { describeReference } from '../reference';

/**
 * `SafeLambda-LatestSdkTarget` (error): an environment variable of another function holds a guarded
 * function's unqualified ARN or name (`environment: { TARGET: safeFn.function.functionArn }`).
 *
 * Code that invokes it with the SDK invokes `$LATEST`. Fix: pass `safeFn.functionArn` (the alias ARN)
 * or `safeFn.functionName` (`name:live`).
 */
export const LATEST_SDK_TARGET: JudgeRule = {
  ruleId: GuardRules.LATEST_SDK_TARGET,
  /** Findings fail synthesis in `FailureMode.ERROR`. */
  isError: true,
  evaluate(input: JudgeInput): RuleOutcome {
    if (input.analysis.resourceType !== 'AWS::Lambda::Function') {
      return undefined;
    }
    if (!input.occurrence.path.startsWith('Properties.Environment.Variables.') || !reachesLatest(input.qualifier)) {
      return null;
    }
    return {
      problem: `holds ${describeReference(input.occurrence, input.qualifier)} of ${input.guarded.path} in ${input.shownPath()}, so SDK calls made with it invoke \`$LATEST\``,
      fix: 'pass the SafeFunction\'s own `functionArn` (the alias ARN) or `functionName` (`name:live`), or those of `.currentVersion`',
    };
  },
};
