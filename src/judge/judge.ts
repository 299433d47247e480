import { JudgeInput, JudgeRule, RuleVerdict } from './input';
import { isFunctionIdentity } from './reference';
import { JUDGE_RULES } from './rules';

/** What the judge found wrong with one reference: the rule, and its verdict (written with the path the user sees). */
export interface Judgement {
  readonly rule: JudgeRule;
  readonly verdict: RuleVerdict;
}

/** A rule that failed (threw) on an input: the construct guard turns it into a `SafeLambda-GuardInternalError` warning. */
export class RuleFailure extends Error {
  constructor(public readonly ruleId: string, public readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * The one judgement of a reference to a guarded function (issue #18): the rules in order, the first
 * with an opinion decides; `undefined` when the reference is fine or no reference to the function itself.
 * The construct guard and `cdk-safe-lambda check` both call it; neither runs rules of its own.
 */
export function judge(input: JudgeInput, rules: readonly JudgeRule[] = JUDGE_RULES): Judgement | undefined {
  if (!isFunctionIdentity(input.occurrence)) {
    return undefined;
  }
  for (const rule of rules) {
    let verdict;
    try {
      verdict = rule.evaluate(input);
    } catch (e) {
      throw new RuleFailure(rule.ruleId, e);
    }
    if (verdict !== undefined) {
      return verdict === null ? undefined : { rule, verdict };
    }
  }
  return undefined;
}
