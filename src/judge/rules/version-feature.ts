import { LATEST_BINDING } from './latest-binding';
import { LATEST_GRANT } from './latest-grant';
import { LATEST_PERMISSION } from './latest-permission';
import { LATEST_SDK_TARGET } from './latest-sdk-target';
import { VersionFeature } from '../../private/bindings/guarded-function';
import { Qualifier } from '../../private/bindings/qualifier';
import { JudgeInput, RuleOutcome, RuleVerdict } from '../input';

/** The rules whose judgement the feature rules take over (grants stay warnings of their own rule). */
const BINDING_RULES = [LATEST_PERMISSION, LATEST_SDK_TARGET, LATEST_BINDING];
const GRANT_RULE = LATEST_GRANT;

/**
 * The judgement of the binding rules on a reference to a function with `feature`: `undefined` when
 * the function lacks the feature or the reference is a grant (their own rules decide), else what the
 * first binding rule with an opinion says, for the feature rule to reword.
 */
export function judgeFeatureBinding(input: JudgeInput, feature: VersionFeature): RuleOutcome {
  if (input.guarded.feature !== feature || GRANT_RULE.evaluate(input) !== undefined) {
    return undefined;
  }
  for (const rule of BINDING_RULES) {
    const outcome = rule.evaluate(input);
    if (outcome !== undefined) {
      return outcome;
    }
  }
  return undefined;
}

/** The verdict's problem, with why the feature makes it worse; the fix is the guard's usual one for the function's kind. */
export function withFeature(verdict: RuleVerdict, why: string): RuleVerdict {
  return { problem: `${verdict.problem}; ${why}` };
}

/** Whether the reference names the function without any qualifier (not `:$LATEST` spelled out). */
export function isUnqualified(input: JudgeInput): boolean {
  return input.qualifier === Qualifier.NONE;
}
