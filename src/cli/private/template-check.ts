import { CliFinding, CliRelatedResource } from './cli-finding';
import { samAsWritten } from './sam-as-written';
import { TemplateResources } from './template-groups';
import { cdkPathOf, exportIndex, functionPathOf, SAM_FUNCTION_TYPE, TemplateOccurrence, TemplateTarget, TemplateWalker, UnreadableValueError } from './template-references';
import { LoadedTemplate } from './template-source';
import { suppressionReason } from './template-suppressions';
import { templateToolOf } from './template-tool';
import { groupedFindings } from '../../judge/grouping';
import { JudgeRule, RuleVerdict } from '../../judge/input';
import { judge as judgeReference } from '../../judge/judge';
import { findingMessage, TemplateTool } from '../../judge/messages';
import { isFunctionIdentity, judgedReference } from '../../judge/reference';
import { VersionFeature, versionFeatureOfProperties } from '../../private/bindings/guarded-function';
import { isNonBindingType } from '../../private/bindings/non-bindings';
import { ALIAS_TYPE, FUNCTION_TYPE } from '../../private/bindings/occurrences';
import { Qualifier, qualifierOf } from '../../private/bindings/qualifier';


export interface CheckOptions {
  /** The guard's `requireVersionsInStateMachines`. */
  readonly requireVersionsInStateMachines?: boolean;
  /** Each permission and grant a finding of its own, as `diff` lists invokers (default: grouped per integration). */
  readonly ungrouped?: boolean;
}

/**
 * Every finding of the guard's rules in `templates`, suppressed ones included (marked): a binding and
 * the permissions and grants its integration brought on the same function are one finding, as in the
 * guard (`groupFindings`), the others in its `relatedResources`.
 */
export function checkTemplates(templates: LoadedTemplate[], options: CheckOptions = {}): CliFinding[] {
  const exports = exportIndex(templates);
  const findings: Judgement[] = [];
  const seen = new Set<string>();
  for (const t of templates) {
    const skipped = cdkInternalScopes(t);
    for (const [logicalId, resource] of Object.entries<any>(t.template.Resources ?? {})) {
      const type = resource?.Type;
      if (typeof type !== 'string' || isNonBindingType(type) || isUnder(cdkPathOf(resource), skipped)) {
        continue;
      }
      const walker = new TemplateWalker(t, exports, templates);
      try {
        walker.walk(withoutMetadata(resource), '');
      } catch (e) {
        if (e instanceof UnreadableValueError) {
          throw e.at(t.file, logicalId); // an unknown intrinsic, a loop of imports (template-references.ts)
        }
        throw e;
      }
      const resourceType = type === SAM_FUNCTION_TYPE ? FUNCTION_TYPE : type;
      const judged: Judged[] = walker.occurrences.map((occurrence) => ({ resourceType, occurrence }));
      if (type === SAM_FUNCTION_TYPE) {
        judged.push(...samHookOccurrences(t, resource, walker.occurrences));
      }
      // SAM's shorthand judged as SAM translates it (events, destinations, policy templates: sam-as-written.ts).
      judged.push(...samAsWritten(t, logicalId, resource, (value) => new TemplateWalker(t, exports, templates).walked(value)));
      for (const { resourceType: judgedType, occurrence, writtenAt, entry } of judged) {
        const finding = judge(t, logicalId, resource, judgedType, occurrence, options, skipped, writtenAt, entry);
        const key = finding && `${finding.finding.ruleId}|${t.file}|${t.stackName}|${finding.finding.templatePath}|${finding.finding.functionId}`;
        if (finding && !seen.has(key!)) {
          seen.add(key!);
          findings.push(finding);
        }
      }
    }
  }
  return options.ungrouped ? findings.map((j) => j.finding) : grouped(templates, findings);
}

/** A finding as judged, with what grouping needs. */
interface Judgement {
  readonly finding: CliFinding;
  readonly template: LoadedTemplate;
  readonly fn: GuardedTemplateFunction;
  readonly messageWith: (related: CliRelatedResource[]) => string;
}

/** One finding per group (the judge's grouping): the binding's, with the most severe level of the group. */
function grouped(templates: LoadedTemplate[], judged: Judgement[]): CliFinding[] {
  const resources = new TemplateResources(templates);
  return groupedFindings(judged, (j) => ({
    ruleId: j.finding.ruleId,
    resource: resources.of(j.template, j.finding.logicalId)!,
    functionPath: j.fn.path,
    functionKey: `${j.fn.file}|${j.fn.stackName}|${j.fn.logicalId}`,
    suppressed: j.finding.suppressed,
  })).map(({ head, members }) => {
    if (members.length === 0) {
      return head.finding;
    }
    const relatedResources: CliRelatedResource[] = members.map(({ finding: m }) => ({
      ruleId: m.ruleId,
      level: m.level,
      file: m.file,
      stackName: m.stackName,
      logicalId: m.logicalId,
      templatePath: m.templatePath,
      propertyPath: m.propertyPath,
      ...(m.constructPath !== undefined ? { constructPath: m.constructPath } : {}),
      resourcePath: m.constructPath ?? `Resources.${m.logicalId}`,
      suppressed: m.suppressed,
    }));
    const level = [head.finding, ...members.map((m) => m.finding)].some((f) => f.level === 'error') ? 'error' : 'warning';
    return { ...head.finding, level, message: head.messageWith(relatedResources), relatedResources };
  });
}

/** A reference for the judge, as the resource type the guard would see it in. */
interface Judged {
  readonly resourceType: string;
  readonly occurrence: TemplateOccurrence;
  /** Where the template says it, when the judged path is where SAM writes it (a hook in the alias's `UpdatePolicy`). */
  readonly writtenAt?: WrittenAt;
  /** The entry the reference is judged in, when it is the one SAM writes rather than the resource (sam-as-written.ts). */
  readonly entry?: unknown;
}

interface WrittenAt {
  readonly path: string;
  readonly fix: string;
  readonly shortFix: string;
}

/** `check` as an adapter of the judge: a reference read from template JSON in, the judge's finding out (issue #18). */
function judge(t: LoadedTemplate, logicalId: string, resource: any, resourceType: string, occurrence: TemplateOccurrence,
  options: CheckOptions, skipped: string[], writtenAt?: WrittenAt, entry: unknown = resource): Judgement | undefined {
  const reference = judgedReference(occurrence);
  if (!isFunctionIdentity(reference)) {
    return undefined;
  }
  const fn = guardedFunction(occurrence.target, skipped);
  if (!fn) {
    return undefined;
  }
  const propertyPath = writtenAt?.path ?? occurrence.path;
  const judgement = judgeReference({
    analysis: { resourceType, entry },
    occurrence: reference,
    guarded: { path: fn.path, isSafeFunction: false, feature: fn.feature },
    qualifier: templateQualifierOf(occurrence),
    requireVersionsInStateMachines: options.requireVersionsInStateMachines ?? false,
    shownPath: () => propertyPath,
  });
  return judgement && toFinding(t, logicalId, resource, propertyPath, fn, judgement.rule, judgement.verdict, writtenAt);
}

/**
 * What a template reference invokes. An alias whose `FunctionVersion` is `$LATEST` is qualified in name
 * only: whatever invokes it invokes `$LATEST`, as the guard judges an L1 alias so written.
 */
function templateQualifierOf(occurrence: TemplateOccurrence): Qualifier {
  const qualifier = qualifierOf(occurrence as any);
  return qualifier === Qualifier.ALIAS && aliasOnLatest(occurrence.target) ? Qualifier.LATEST : qualifier;
}

function aliasOnLatest(target: TemplateTarget): boolean {
  const alias = target.cfnResourceType === ALIAS_TYPE ? target.template.template.Resources?.[target.logicalId] : undefined;
  return alias?.Type === ALIAS_TYPE && alias.Properties?.FunctionVersion === '$LATEST';
}


function toFinding(t: LoadedTemplate, logicalId: string, resource: any, propertyPath: string, fn: GuardedTemplateFunction,
  rule: JudgeRule, verdict: RuleVerdict, writtenAt?: WrittenAt): Judgement {
  const templatePath = `Resources.${logicalId}.${propertyPath}`;
  const constructPath = cdkPathOf(resource);
  const subject = {
    ruleId: rule.ruleId,
    resourcePath: constructPath ?? `Resources.${logicalId}`,
    propertyPath,
    verdict,
    target: { path: fn.path, isSafeFunction: false },
    tool: constructPath ? TemplateTool.CDK : templateToolOf(t),
    location: `${t.file} (${t.stackName}) ${templatePath}`,
    fix: writtenAt?.fix,
    shortFix: writtenAt?.shortFix,
  };
  const messageWith = (related: CliRelatedResource[]) => findingMessage(subject, related);
  const message = messageWith([]);
  const reason = suppressionReason(t, { ruleId: rule.ruleId, logicalId, propertyPath, functionIds: [fn.logicalId, fn.path] });
  return {
    template: t,
    fn,
    messageWith,
    finding: {
      ruleId: rule.ruleId,
      level: rule.isError ? 'error' : 'warning',
      file: t.file,
      stackName: t.stackName,
      logicalId,
      templatePath,
      propertyPath,
      constructPath,
      functionId: fn.logicalId,
      functionStack: fn.stackName,
      message,
      suppressed: reason !== undefined,
      suppressionReason: reason,
    },
  };
}

interface GuardedTemplateFunction {
  readonly logicalId: string;
  /** The file of its template. */
  readonly file: string;
  readonly stackName: string;
  /** As messages name it: the CDK construct path of the function (without `/Resource`), or `Resources.<id>`. */
  readonly path: string;
  /** Durable, SnapStart or Managed Instances: judged by the guard's feature rules. */
  readonly feature?: VersionFeature;
}

/** Every function of a template is guarded, except aws-cdk-lib's own handlers (as under `GuardedFunctions.ALL`). */
function guardedFunction(target: TemplateTarget, skipped: string[]): GuardedTemplateFunction | undefined {
  if (!target.functionId) {
    return undefined;
  }
  const fn = target.template.template.Resources?.[target.functionId];
  const cdkPath = cdkPathOf(fn);
  if (isLibraryHandler(fn) || (cdkPath && (isCdkHandlerPath(cdkPath) || isUnder(cdkPath, skipped)))) {
    return undefined;
  }
  return {
    logicalId: target.functionId,
    file: target.template.file,
    stackName: target.template.stackName,
    path: functionPathOf(target.template, target.functionId),
    feature: versionFeatureOfProperties(fn?.Properties ?? {}),
  };
}

/**
 * This library's own handlers, which the guard exempts (`markInternalHandler`): the version pruner and the
 * CodeDeploy smoke-test hook. A template only tells them by the descriptions the library gives them.
 */
function isLibraryHandler(fn: any): boolean {
  const description = fn?.Properties?.Description;
  return typeof description === 'string'
    && (description.startsWith('cdk-safe-lambda: ') || /^Smoke test of .+: invokes the version under test before CodeDeploy moves traffic$/.test(description));
}

/**
 * aws-cdk-lib's handlers, by construct path: singleton functions (`<purpose><32 hex digits>` right under
 * the stack) and core custom resource providers (`Custom::…Provider/Handler`).
 */
function isCdkHandlerPath(cdkPath: string): boolean {
  const parts = cdkPath.split('/');
  return parts.some((p, i) => i > 0 && (/[0-9a-fA-F]{32}$/.test(p) || p.startsWith('Custom::')));
}

/** Construct paths of `custom_resources.Provider`s (the scope of a `framework-onEvent` function): their resources are plumbing. */
function cdkInternalScopes(t: LoadedTemplate): string[] {
  const scopes: string[] = [];
  for (const resource of Object.values<any>(t.template.Resources ?? {})) {
    const match = /^(.*)\/framework-onEvent\/Resource$/.exec(cdkPathOf(resource) ?? '');
    if (match) {
      scopes.push(`${match[1]}/`);
    }
  }
  return scopes;
}

function isUnder(cdkPath: string | undefined, scopes: string[]): boolean {
  return cdkPath !== undefined && scopes.some((s) => cdkPath.startsWith(s));
}

function withoutMetadata(resource: any): any {
  const { Metadata: _m, DependsOn: _d, Condition: _c, ...rest } = resource ?? {};
  return rest;
}

/** SAM `DeploymentPreference.Hooks` → where SAM writes each hook: the `AutoPublishAlias` alias's CodeDeploy update policy. */
const SAM_HOOKS: Record<string, string> = {
  'Properties.DeploymentPreference.Hooks.PreTraffic': 'UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook',
  'Properties.DeploymentPreference.Hooks.PostTraffic': 'UpdatePolicy.CodeDeployLambdaAliasUpdate.AfterAllowTrafficHook',
};

/**
 * A SAM function's CodeDeploy hooks, judged where SAM puts them: the `AutoPublishAlias` alias gets an
 * `UpdatePolicy` whose `BeforeAllowTrafficHook`/`AfterAllowTrafficHook` is the hook as written, and
 * CodeDeploy invokes what it names. The construct guard judges that alias entry (a hook named unqualified
 * runs `$LATEST`), so the same entry is judged here. No hooks without `AutoPublishAlias` (SAM refuses
 * the template) or with `Enabled: false` (SAM writes no update policy).
 */
function samHookOccurrences(t: LoadedTemplate, resource: any, occurrences: TemplateOccurrence[]): Judged[] {
  const globals = t.template.Globals?.Function;
  const properties = resource.Properties ?? {};
  const preference = { ...globals?.DeploymentPreference, ...properties.DeploymentPreference };
  if (!(properties.AutoPublishAlias ?? globals?.AutoPublishAlias) || preference.Enabled === false) {
    return [];
  }
  return occurrences.filter((o) => SAM_HOOKS[o.path] !== undefined).map((o) => {
    const hook = o.target.functionId ?? 'Hook';
    return {
      resourceType: ALIAS_TYPE,
      occurrence: { ...o, path: SAM_HOOKS[o.path] },
      writtenAt: {
        path: o.path,
        fix: `name a published version of the hook: its alias (\`!Ref ${hook}.Alias\`, with AutoPublishAlias set on ${hook})`,
        shortFix: `name !Ref ${hook}.Alias`,
      },
    };
  });
}
