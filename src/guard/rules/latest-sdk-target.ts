import { GuardRules } from '../guard-rules';
import { describeReference, reachesLatest } from '../private/qualifier';
import { RuleInput, RuleOutcome } from '../private/rule';

/**
 * `SafeLambda-LatestSdkTarget` (error): an environment variable of another function holds a guarded
 * function's unqualified ARN or name (`environment: { TARGET: safeFn.function.functionArn }`).
 *
 * Code that invokes it with the SDK invokes `$LATEST`. Fix: pass `safeFn.functionArn` (the alias ARN)
 * or `safeFn.functionName` (`name:live`).
 */
export class LatestSdkTargetRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_SDK_TARGET;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;

  /** @internal */
  public _evaluate(input: RuleInput): RuleOutcome {
    if (input.analysis.resourceType !== 'AWS::Lambda::Function') {
      return undefined;
    }
    if (!input.occurrence.path.startsWith('Properties.Environment.Variables.') || !reachesLatest(input.qualifier)) {
      return null;
    }
    return {
      problem: `holds ${describeReference(input.occurrence, input.qualifier)} of ${input.guarded.path} in ${input.occurrence.path}, so SDK calls made with it invoke \`$LATEST\``,
      fix: 'pass the SafeFunction\'s own `functionArn` (the alias ARN) or `functionName` (`name:live`), or those of `.currentVersion`',
    };
  }
}
