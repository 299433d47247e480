import { CfnResource, Stack } from 'aws-cdk-lib';
import { GuardedFunctionIndex, isUnderProvider } from './guarded-function';
import { findingMessage } from './messages';
import { isNonBindingType } from './non-bindings';
import { ALIAS_TYPE, analyzeResource, ElementAnalysis, FUNCTION_TYPE } from './occurrences';
import { isFunctionIdentity, qualifierOf } from './qualifier';
import { EngineRule } from './rule';
import { elementsByLogicalId } from '../../private/logical-ids';
import { FindingResource } from '../finding';
import { GuardRules } from '../guard-rules';
import { GuardedFunctions } from '../guarded-functions';
import { DurableLatestRule, LatestPublishedRule, SnapStartLatestRule, LatestBindingRule, LatestGrantRule, LatestPermissionRule, LatestSdkTargetRule, StateMachineAliasRule } from '../rules';

/** The options of one guard, as the engine applies them. */
export interface EngineOptions {
  readonly functions: GuardedFunctions;
  readonly requireVersionsInStateMachines: boolean;
  /** The guard SafeFunctions register themselves (skips SafeFunctions created with `guard: false`). */
  readonly automatic: boolean;
}

/** A finding before suppressions are applied. */
export interface RawFinding {
  readonly ruleId: string;
  readonly isError: boolean;
  readonly resource: CfnResource;
  readonly propertyPath: string;
  readonly functionPath: string;
  readonly message: string;
  /** Identifies the finding across guards, so that two guards on one stage report it once. */
  readonly key: string;
  /** The message of the finding with the permissions and grants its integration brought (see `groupFindings`). */
  readonly messageWith?: (related: FindingResource[]) => string;
}

/**
 * The guard's rules, in order: specific rules first, LATEST_BINDING takes whatever they leave. The
 * construct-tree guard and the template checker (`cdk-safe-lambda check`) both judge with this list.
 */
export const GUARD_RULES: EngineRule[] = [
  new StateMachineAliasRule(),
  // Functions whose features only work through versions: their findings take precedence (issue #12).
  new DurableLatestRule(),
  new SnapStartLatestRule(),
  new LatestPublishedRule(),
  new LatestPermissionRule(),
  new LatestGrantRule(),
  new LatestSdkTargetRule(),
  new LatestBindingRule(),
];

/**
 * Checks resources against the rules. Renders each resource once and classifies each referenced
 * function once, however many guards (with different options) look at them.
 */
export class GuardEngine {
  private readonly analyses = new Map<CfnResource, ElementAnalysis | undefined>();
  private readonly logicalIds = new Map<Stack, Map<string, CfnResource>>();
  private readonly indexes = new Map<string, GuardedFunctionIndex>();

  /** The findings of `resources` under `options`. */
  public check(resources: Iterable<CfnResource>, options: EngineOptions): RawFinding[] {
    const index = this.indexFor(options);
    const findings: RawFinding[] = [];
    for (const resource of resources) {
      // The guard reports findings or nothing: a failure inside it never breaks the user's app.
      try {
        this.checkResource(resource, index, options, findings);
      } catch (e) {
        findings.push(internalError(resource, e));
      }
    }
    return dedupe(findings);
  }

  private checkResource(resource: CfnResource, index: GuardedFunctionIndex, options: EngineOptions, findings: RawFinding[]): void {
    {
      const analysis = this.analyzeOrThrow(resource);
      for (const occurrence of analysis?.occurrences ?? []) {
        if (!isFunctionIdentity(occurrence)) {
          continue;
        }
        const guarded = index.of(occurrence.target);
        if (!guarded) {
          continue;
        }
        const input = {
          resource,
          analysis: analysis!,
          occurrence,
          guarded,
          qualifier: qualifierOf(occurrence),
          requireVersionsInStateMachines: options.requireVersionsInStateMachines,
        };
        for (const rule of GUARD_RULES) {
          const verdict = evaluate(rule, input);
          if (verdict === undefined) {
            continue;
          }
          if (verdict !== null) {
            const resourcePath = resource.node.path;
            // The path the user reads in the synthesized template.
            const propertyPath = templatePathOf(analysis!, occurrence.path);
            const problem = propertyPath === occurrence.path ? verdict
              : { ...verdict, problem: verdict.problem.split(occurrence.path).join(propertyPath) };
            findings.push({
              ruleId: rule.ruleId,
              isError: rule.isError,
              resource,
              propertyPath,
              functionPath: guarded.path,
              message: findingMessage(rule.ruleId, resourcePath, propertyPath, problem, guarded),
              messageWith: (related) => findingMessage(rule.ruleId, resourcePath, propertyPath, problem, guarded, related),
              key: `${rule.ruleId}|${resourcePath}|${propertyPath}|${guarded.path}`,
            });
          }
          break;
        }
      }
    }
  }

  private indexFor(options: EngineOptions): GuardedFunctionIndex {
    const key = `${options.functions}|${options.automatic}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = new GuardedFunctionIndex(options.functions, options.automatic);
      this.indexes.set(key, index);
    }
    return index;
  }

  /**
   * Renders a resource once; `undefined` for resources that cannot bind (their type, or CDK plumbing).
   * A rendering that fails fails again for the next guard (each reports it; findings are deduplicated).
   */
  private analyzeOrThrow(resource: CfnResource): ElementAnalysis | undefined {
    if (!this.analyses.has(resource)) {
      const skip = isNonBindingType(resource.cfnResourceType) || isUnderProvider(resource)
        // An alias's own properties name its function; only its UpdatePolicy (CodeDeploy hooks) can bind one.
        || (resource.cfnResourceType === ALIAS_TYPE && resource.cfnOptions.updatePolicy === undefined && !hasRawOverrides(resource));
      let analysis: ElementAnalysis | undefined;
      try {
        analysis = skip ? undefined : analyzeResource(resource, (stack) => this.logicalIdIndex(stack));
      } catch (e) {
        throw new GuardStepError('rendering the resource', e);
      }
      this.analyses.set(resource, analysis);
    }
    return this.analyses.get(resource);
  }

  /** Logical ID → function resource of one stack, built once and only when a resolved reference shows up. */
  private logicalIdIndex(stack: Stack): Map<string, CfnResource> {
    let index = this.logicalIds.get(stack);
    if (!index) {
      index = elementsByLogicalId(stack, (node): node is CfnResource => CfnResource.isCfnResource(node) && node.cfnResourceType === FUNCTION_TYPE);
      this.logicalIds.set(stack, index);
    }
    return index;
  }
}

/** The template path of an occurrence; the rendered path when it cannot be told (a rendering failure). */
function templatePathOf(analysis: ElementAnalysis, path: string): string {
  try {
    return analysis.templatePath(path);
  } catch {
    return path;
  }
}

/** A failure inside the guard, with the step (rendering, or the rule) that failed. */
class GuardStepError extends Error {
  constructor(public readonly step: string, public readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function evaluate(rule: EngineRule, input: Parameters<EngineRule['_evaluate']>[0]) {
  try {
    return rule._evaluate(input);
  } catch (e) {
    throw new GuardStepError(`rule ${rule.ruleId}`, e);
  }
}

/** The warning that stands for a resource the guard could not check. */
export function internalError(resource: CfnResource, error: unknown): RawFinding {
  const resourcePath = resource.node.path;
  const step = error instanceof GuardStepError ? error.step : 'checking the resource';
  const text = (error instanceof Error ? error.message : String(error)).replace(/(Resolution error: )+/g, '');
  const detail = text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ').replace(/\.+$/, '');
  const ruleId = GuardRules.GUARD_INTERNAL_ERROR;
  return {
    ruleId,
    isError: false,
    resource,
    propertyPath: '',
    functionPath: '',
    message: `[${ruleId}] ${resourcePath} was not checked by the $LATEST guard: ${step} failed (${detail}). `
      + 'Synthesis goes on; check this resource\'s Lambda bindings by hand and report the failure to cdk-safe-lambda. '
      + `To silence it: Annotations.of(<the construct at '${resourcePath}'>).acknowledgeWarning('${ruleId}', '<reason>').`,
    key: `${ruleId}|${resourcePath}|${step}`,
  };
}

/** The same reference can appear twice at one path (an `Fn::If`, a string repeating it): one finding. */
function dedupe(findings: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.key) && seen.add(f.key));
}

/**
 * Whether escape-hatch overrides were added to the resource; they can name logical IDs
 * (`{"Fn::GetAtt": ["Fn9270CBC0", "Arn"]}`) that no token stands for. `rawOverrides` is private:
 * should it disappear, assume there are some rather than miss them.
 */
export function hasRawOverrides(resource: CfnResource): boolean {
  const overrides = (resource as any).rawOverrides;
  return overrides === undefined || Object.keys(overrides).length > 0;
}
