import { LatestBindingRule } from './latest-binding';
import { LatestGrantRule } from './latest-grant';
import { LatestPermissionRule } from './latest-permission';
import { LatestSdkTargetRule } from './latest-sdk-target';
import { VersionFeature } from '../private/guarded-function';
import { Qualifier } from '../private/qualifier';
import { RuleInput, RuleOutcome, RuleVerdict } from '../private/rule';

/** The rules whose judgement the feature rules take over (grants stay warnings of their own rule). */
const BINDING_RULES = [new LatestPermissionRule(), new LatestSdkTargetRule(), new LatestBindingRule()];
const GRANT_RULE = new LatestGrantRule();

/**
 * The judgement of the binding rules on a reference to a function with `feature`: `undefined` when
 * the function lacks the feature or the reference is a grant (their own rules decide), else what the
 * first binding rule with an opinion says, for the feature rule to reword.
 */
export function judgeFeatureBinding(input: RuleInput, feature: VersionFeature): RuleOutcome {
  if (input.guarded.feature !== feature || GRANT_RULE._evaluate(input) !== undefined) {
    return undefined;
  }
  for (const rule of BINDING_RULES) {
    const outcome = rule._evaluate(input);
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
export function isUnqualified(input: RuleInput): boolean {
  return input.qualifier === Qualifier.NONE;
}
