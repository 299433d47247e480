import { headline } from '../../judge/headline';
import { GuardRules } from '../guard-rules';

/**
 * `SafeLambda-WebFunctionAllAtOnce` (warning, optional: only under `GuardedFunctions.ALL`, the guard's
 * strict mode): a Lambda Web Function endpoint set to move all of its traffic to each new revision
 * (`AutoDeploymentMode: LatestRevision`, as SAM's `AWS::Serverless::WebFunction` writes it).
 *
 * Web Functions have no `$LATEST`: revisions are immutable and an endpoint routes to at most two of
 * them by weight (issue #17 §2). In `LatestRevision` mode every deployment sends all traffic to the new
 * revision as soon as it is active, like an unqualified binding: no canary, no alarm in between. Fix:
 * `AutoDeploymentMode: Disabled` and a canary through `RevisionWeights` (e.g. 90/10 between the
 * current and the new revision), the previous revision kept as the rollback target.
 */
export class WebFunctionAllAtOnceRule {
  /** The rule's ID. */
  public readonly ruleId: string = GuardRules.WEB_FUNCTION_ALL_AT_ONCE;

  /** Findings are warnings, even in `FailureMode.ERROR`. */
  public readonly isError: boolean = false;
}

/** What the rule found on one resource: where, and the message's parts. */
export interface WebFunctionAllAtOnceVerdict {
  /** Where the template sets it, e.g. `Properties.AutoDeploymentMode`. */
  readonly propertyPath: string;
  /** The message: a headline of at most 120 characters, then the problem, the fix and how to suppress. */
  readonly message: string;
}

/** Resource types that hold Web Function deployment settings: SAM's, and CloudFormation's own should they take the setting. */
const WEB_FUNCTION_TYPE = /^AWS::(Serverless::WebFunction|Lambda::WebFunction(Endpoint)?)$/;

/** Whether resources of this type may set how a Web Function endpoint deploys (the rule reads them even when they reference no function). */
export function isWebFunctionType(type: string): boolean {
  return WEB_FUNCTION_TYPE.test(type);
}

/**
 * The rule on one resource's template entry (`Properties`...), for the construct guard and for templates
 * alike: every `AutoDeploymentMode` set to `LatestRevision` in it (an endpoint's own, or one of several
 * endpoints'). `where` names the resource (a construct path, or `Resources.<logicalId>`).
 */
export function webFunctionAllAtOnce(type: string, entry: unknown, where: string): WebFunctionAllAtOnceVerdict[] {
  if (!isWebFunctionType(type)) {
    return [];
  }
  return latestRevisionModes(entry, '').map((propertyPath) => ({
    propertyPath,
    message: `${headline({
      ruleId: GuardRules.WEB_FUNCTION_ALL_AT_ONCE, where, propertyPath, what: 'moves all traffic at once', fn: '', fix: 'shift RevisionWeights',
    })}\n[${GuardRules.WEB_FUNCTION_ALL_AT_ONCE}] ${where} sets ${propertyPath} to LatestRevision, so every deployment moves all of the `
      + 'endpoint\'s traffic to the new revision as soon as it is active, with no canary and no alarm in between. '
      + 'Fix: set AutoDeploymentMode to Disabled and shift RevisionWeights yourself (e.g. 90/10 between the current and the new revision, '
      + 'then 100), keeping the previous revision as the rollback target. '
      + `If all-at-once is intended, suppress it with a reason (ruleId '${GuardRules.WEB_FUNCTION_ALL_AT_ONCE}', appliesTo ['${propertyPath}']).`,
  }));
}

/** Paths of every `AutoDeploymentMode: LatestRevision` below `value` (intrinsics are deploy-time values: not judged). */
function latestRevisionModes(value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => latestRevisionModes(item, `${path}[${i}]`));
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path ? `${path}.${key}` : key;
    if (key === 'AutoDeploymentMode') {
      return typeof item === 'string' && item.toLowerCase() === 'latestrevision' ? [at] : [];
    }
    return key === 'Metadata' ? [] : latestRevisionModes(item, at);
  });
}
