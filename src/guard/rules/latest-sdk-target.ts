import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-LatestSdkTarget` (error): an environment variable of another function holds a guarded
 * function's unqualified ARN or name (`environment: { TARGET: safeFn.function.functionArn }`).
 *
 * Code that invokes it with the SDK invokes `$LATEST`. Fix: pass `safeFn.functionArn` (the alias ARN)
 * or `safeFn.functionName` (`name:live`).
 *
 * The rule itself is the judge's (src/judge/rules); this class names its ID and level.
 */
export class LatestSdkTargetRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.LATEST_SDK_TARGET;

  /** Findings fail synthesis in `FailureMode.ERROR`. */
  public readonly isError: boolean = true;
}
