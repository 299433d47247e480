import { CfnResource, Stack } from 'aws-cdk-lib';
import { GuardedFunctionIndex, isUnderProvider } from './guarded-function';
import { findingMessage } from './messages';
import { isNonBindingType } from './non-bindings';
import { ALIAS_TYPE, analyzeResource, ElementAnalysis, FUNCTION_TYPE } from './occurrences';
import { isFunctionIdentity, qualifierOf } from './qualifier';
import { EngineRule } from './rule';
import { GuardedFunctions } from '../../guard/guarded-functions';
import { LatestBindingRule, LatestGrantRule, LatestPermissionRule, LatestSdkTargetRule, StateMachineAliasRule } from '../../guard/rules';

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
}

/** Specific rules first; LATEST_BINDING takes whatever they leave. */
const RULES: EngineRule[] = [
  new StateMachineAliasRule(),
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
      const analysis = this.analyze(resource);
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
        for (const rule of RULES) {
          const verdict = rule._evaluate(input);
          if (verdict === undefined) {
            continue;
          }
          if (verdict !== null) {
            const resourcePath = resource.node.path;
            findings.push({
              ruleId: rule.ruleId,
              isError: rule.isError,
              resource,
              propertyPath: occurrence.path,
              functionPath: guarded.path,
              message: findingMessage(rule.ruleId, resourcePath, occurrence.path, verdict, guarded),
              key: `${rule.ruleId}|${resourcePath}|${occurrence.path}|${guarded.path}`,
            });
          }
          break;
        }
      }
    }
    return dedupe(findings);
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

  /** Renders a resource once; `undefined` for resources that cannot bind (their type, or CDK plumbing). */
  private analyze(resource: CfnResource): ElementAnalysis | undefined {
    if (!this.analyses.has(resource)) {
      const skip = isNonBindingType(resource.cfnResourceType) || isUnderProvider(resource)
        // An alias's own properties name its function; only its UpdatePolicy (CodeDeploy hooks) can bind one.
        || (resource.cfnResourceType === ALIAS_TYPE && resource.cfnOptions.updatePolicy === undefined && !hasRawOverrides(resource));
      this.analyses.set(resource, skip ? undefined : analyzeResource(resource, (stack) => this.logicalIdIndex(stack)));
    }
    return this.analyses.get(resource);
  }

  /** Logical ID → function resource of one stack, built once and only when a resolved reference shows up. */
  private logicalIdIndex(stack: Stack): Map<string, CfnResource> {
    let index = this.logicalIds.get(stack);
    if (!index) {
      index = new Map();
      for (const node of stack.node.findAll()) {
        if (CfnResource.isCfnResource(node) && node.cfnResourceType === FUNCTION_TYPE && Stack.of(node) === stack) {
          index.set(stack.resolve(node.logicalId), node);
        }
      }
      this.logicalIds.set(stack, index);
    }
    return index;
  }
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
