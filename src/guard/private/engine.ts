import { CfnResource, Stack } from 'aws-cdk-lib';
import { creationSite } from './creation-site';
import { judge, RuleFailure } from '../../judge/judge';
import { findingMessage, internalErrorMessage, RelatedResource, TemplateTool } from '../../judge/messages';
import { isFunctionIdentity, judgedReference } from '../../judge/reference';
import { GuardedFunctionIndex, isUnderProvider } from '../../private/bindings/guarded-function';
import { isNonBindingType } from '../../private/bindings/non-bindings';
import { ALIAS_TYPE, analyzeResource, ElementAnalysis, FUNCTION_TYPE } from '../../private/bindings/occurrences';
import { qualifierOf } from '../../private/bindings/qualifier';
import { elementsByLogicalId } from '../../private/logical-ids';
import { GuardRules } from '../guard-rules';
import { GuardedFunctions } from '../guarded-functions';
import { isWebFunctionType, webFunctionAllAtOnce } from '../rules/web-function-all-at-once';

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
  readonly messageWith?: (related: RelatedResource[]) => string;
}

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

  /** The construct guard as an adapter of the judge: the construct tree in, the judge's findings out (issue #18). */
  private checkResource(resource: CfnResource, index: GuardedFunctionIndex, options: EngineOptions, findings: RawFinding[]): void {
    const analysis = this.analyzeOrThrow(resource);
    // Optional, strict mode only (issue #17 §2): a Web Function endpoint that moves all traffic at once.
    if (options.functions === GuardedFunctions.ALL && analysis && isWebFunctionType(resource.cfnResourceType)) {
      const where = resource.node.path;
      const ruleId = GuardRules.WEB_FUNCTION_ALL_AT_ONCE;
      findings.push(...webFunctionAllAtOnce(resource.cfnResourceType, analysis.entry, where).map(({ propertyPath, message }) =>
        ({ ruleId, isError: false, resource, propertyPath, functionPath: where, message, key: `${ruleId}|${where}|${propertyPath}` })));
    }
    for (const occurrence of analysis?.occurrences ?? []) {
      const reference = judgedReference(occurrence);
      if (!isFunctionIdentity(reference)) {
        continue;
      }
      const guarded = index.of(occurrence.target);
      if (!guarded) {
        continue;
      }
      // The path the user reads in the synthesized template; told only for a finding.
      let shown: string | undefined;
      const shownPath = () => shown ??= templatePathOf(analysis!, occurrence.path);
      const judgement = judge({
        analysis: analysis!,
        occurrence: reference,
        guarded,
        qualifier: qualifierOf(occurrence),
        requireVersionsInStateMachines: options.requireVersionsInStateMachines,
        shownPath,
      });
      if (!judgement) {
        continue;
      }
      const { rule, verdict } = judgement;
      const resourcePath = resource.node.path;
      const propertyPath = shownPath();
      const subject = {
        ruleId: rule.ruleId, resourcePath, propertyPath, verdict, target: guarded, tool: TemplateTool.CDK, createdAt: creationSite(resource),
      };
      findings.push({
        ruleId: rule.ruleId,
        isError: rule.isError,
        resource,
        propertyPath,
        functionPath: guarded.path,
        message: findingMessage(subject),
        messageWith: (related) => findingMessage(subject, related),
        key: `${rule.ruleId}|${resourcePath}|${propertyPath}|${guarded.path}`,
      });
    }
  }

  private indexFor(options: EngineOptions): GuardedFunctionIndex {
    const key = `${options.functions}|${options.automatic}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = new GuardedFunctionIndex(options.functions === GuardedFunctions.ALL, options.automatic);
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

/** The warning that stands for a resource the guard could not check. */
export function internalError(resource: CfnResource, error: unknown): RawFinding {
  const resourcePath = resource.node.path;
  const step = error instanceof GuardStepError ? error.step : error instanceof RuleFailure ? `rule ${error.ruleId}` : 'checking the resource';
  const text = (error instanceof Error ? error.message : String(error)).replace(/(Resolution error: )+/g, '');
  const detail = text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ').replace(/\.+$/, '');
  const ruleId = GuardRules.GUARD_INTERNAL_ERROR;
  return {
    ruleId,
    isError: false,
    resource,
    propertyPath: '',
    functionPath: '',
    message: internalErrorMessage(resourcePath, step, detail),
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
