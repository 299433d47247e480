import { CliFinding } from './cli-finding';
import { contradictionHazards } from './diff-contradictions';
import { hazard, StackChange } from './diff-model';
import { permissionHazards } from './diff-permissions';
import { REPLACEMENT, replacementHazards, UNJUDGED_INPUT } from './diff-replacements';
import { snapshotHazards } from './diff-snapshots';
import { checkTemplates } from './template-check';
import { SAM_FUNCTION_TYPE, targetOf } from './template-references';
import { LoadedTemplate } from './template-source';
import { GuardRules } from '../../guard/guard-rules';
import { ALIAS_TYPE, FUNCTION_TYPE, VERSION_TYPE } from '../../private/bindings/occurrences';

export const MIXED_UPDATE = 'SafeLambda-MixedUpdate';
export const VERSION_EXISTS = 'SafeLambda-VersionExists';
export { REPLACEMENT, IDENTITY_CHANGE, OVERLAP_REPLACEMENT, STREAM_MAPPING_RECREATED, REFUSED_UPDATE, UNJUDGED_INPUT } from './diff-replacements';
export { STALE_SNAPSHOT } from './diff-snapshots';
export { PERMISSION_GAP } from './diff-permissions';
export { QUALIFIER_CONFLICT } from './diff-contradictions';
export const WEIGHTED_PROVISIONED_ALIAS = 'SafeLambda-WeightedProvisionedAlias';

/** Where a function's code lives (Lambda and SAM spellings). */
const CODE_KEYS = ['Code', 'CodeUri', 'InlineCode', 'ImageUri'];

/**
 * The configuration Lambda puts in a version (and that CloudFormation updates in a second call, after the
 * code): a change of any of them together with the code opens the mixed code/configuration window.
 */
const VERSION_CONFIG_KEYS = ['Architectures', 'DeadLetterConfig', 'DeadLetterQueue', 'Description', 'Environment', 'EphemeralStorage',
  'FileSystemConfigs', 'Handler', 'ImageConfig', 'KmsKeyArn', 'Layers', 'LoggingConfig', 'MemorySize', 'PackageType', 'Role',
  'Runtime', 'RuntimeManagementConfig', 'SnapStart', 'Timeout', 'TracingConfig', 'Tracing', 'VpcConfig'];

/** Rules that make an unqualified invoker. */
const INVOKER_RULES = new Set([GuardRules.LATEST_BINDING, GuardRules.LATEST_PERMISSION, GuardRules.LATEST_SDK_TARGET]);

/**
 * The deployment hazards of going from `before` (the deployed templates) to `after`, resources paired by
 * logical ID as CloudFormation pairs them (stacks by name): (a) a mixed code and configuration update of a
 * function invoked unqualified, (b) a version whose logical ID changes while the function does not, (c) a
 * function or alias replaced, (d) an alias with routing weights and provisioned concurrency; and
 * (issue #16 §7) a client-held identity changed, subscriptions or stream mappings overlapping, an update
 * CloudFormation refuses, a change no stage or version serves, a call no permission allows, a qualifier
 * pair Lambda refuses, and what cannot be judged.
 */
export function diffTemplates(before: LoadedTemplate[], after: LoadedTemplate[]): CliFinding[] {
  const invokers = invokersOf(after);
  const findings: CliFinding[] = [];
  for (const next of after) {
    const previous = before.length === 1 && after.length === 1 ? before[0] : before.find((b) => b.stackName === next.stackName);
    const change: StackChange = { previous, next };
    findings.push(...weightedProvisionedAliases(next), ...contradictionHazards(change), ...permissionHazards(change, after));
    if (previous) {
      findings.push(...functionChanges(previous, next, invokers), ...versionChanges(previous, next), ...aliasChanges(previous, next),
        ...replacementHazards(change), ...snapshotHazards(change));
    }
    findings.push(...invisibleCode(next), ...macros(next));
  }
  return findings;
}

/** Transforms `diff` reads as written: SAM (its functions' events are judged) and the language extensions (loops are refused on load). */
const KNOWN_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, key));
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
}

/** A macro (`Transform`, `Fn::Transform`) rewrites the template at deployment: what it generates is invisible here, which is said. */
function macros(next: LoadedTemplate): CliFinding[] {
  const declared = next.template.Transform;
  const names = (Array.isArray(declared) ? declared : declared === undefined ? [] : [declared])
    .map((t: unknown) => (typeof t === 'string' ? t : (t as any)?.Name)).filter((n: unknown) => typeof n === 'string' && !KNOWN_TRANSFORMS.has(n));
  const inline = hasKey(next.template.Resources, 'Fn::Transform');
  if (names.length === 0 && !inline) return [];
  const [id] = Object.keys(next.template.Resources ?? {});
  return [hazard({
    ruleId: UNJUDGED_INPUT,
    level: 'warning',
    template: next,
    logicalId: id,
    propertyPath: '',
    templatePath: names.length > 0 ? 'Transform' : 'Resources',
    problem: `macro ${names.length > 0 ? names.join(', ') : 'Fn::Transform'} rewrites this template at deployment: not judged`,
    detail: 'CloudFormation runs the macro on the template before it deploys it, so the resources it adds or changes are not in '
      + 'the template diff reads, and their hazards are not judged',
    fix: 'diff the processed templates (aws cloudformation get-template --template-stage Processed, or a change set\'s template)',
  })];
}

/** A function whose code is a local path (SAM `CodeUri: ./src` as written): its changes are invisible here, which is said. */
function invisibleCode(next: LoadedTemplate): CliFinding[] {
  return Object.entries<any>(next.template.Resources ?? {}).flatMap(([id, r]) => {
    const key = r?.Type === SAM_FUNCTION_TYPE ? 'CodeUri' : r?.Type === FUNCTION_TYPE ? 'Code' : undefined;
    const code = key ? r.Properties?.[key] : undefined;
    if (typeof code !== 'string' || /^s3:\/\//.test(code)) return [];
    return [hazard({
      ruleId: UNJUDGED_INPUT,
      level: 'warning',
      template: next,
      logicalId: id,
      propertyPath: `Properties.${key}`,
      functionId: id,
      problem: `${key} is a local path (${JSON.stringify(code).slice(0, 30)}): code changes are invisible`,
      detail: 'the template names a folder that packaging uploads, so two templates show the same path whatever the code became; '
        + 'hazards that depend on a code change (a mixed code and configuration update, a version to publish) are not judged',
      fix: 'diff the packaged templates (`sam package` / `aws cloudformation package --output-template-file`), whose code locations change with the code',
    })];
  });
}

function functionChanges(previous: LoadedTemplate, next: LoadedTemplate, invokers: Map<string, string[]>): CliFinding[] {
  const findings: CliFinding[] = [];
  const old = functionsOf(previous);
  const now = functionsOf(next);
  for (const [id, fn] of now) {
    const was = old.get(id);
    if (!was) {
      continue; // a function created; one that replaces another is judged with the other replacements
    }
    const code = changed(was, fn, CODE_KEYS);
    const config = changed(was, fn, VERSION_CONFIG_KEYS);
    const unqualified = invokers.get(`${next.stackName}|${id}`) ?? [];
    if (code.length > 0 && config.length > 0 && unqualified.length > 0) {
      findings.push(hazard({
        ruleId: MIXED_UPDATE,
        level: 'error',
        template: next,
        logicalId: id,
        propertyPath: 'Properties',
        functionId: id,
        problem: `code and configuration change while ${unqualified.length} invoker(s) call $LATEST`,
        detail: `the deployment changes both the code (${code.join(', ')}) and the configuration (${config.join(', ')}) of ${id}, which is invoked `
          + `unqualified by ${unqualified.join(', ')}: CloudFormation updates the code and the configuration in two calls, and between them `
          + '$LATEST runs new code with old configuration (or the reverse)',
        fix: 'bind those invokers to an alias or a version (see `cdk-safe-lambda check`), or deploy the code and the configuration change separately',
      }));
    }
  }
  return findings;
}

function versionChanges(previous: LoadedTemplate, next: LoadedTemplate): CliFinding[] {
  const findings: CliFinding[] = [];
  const oldVersions = versionsByFunction(previous);
  const old = functionsOf(previous);
  const now = functionsOf(next);
  for (const [fnId, versions] of versionsByFunction(next)) {
    const oldIds = oldVersions.get(fnId) ?? [];
    const was = old.get(fnId);
    const fn = now.get(fnId);
    if (!was || !fn || oldIds.length === 0 || changed(was, fn, [...CODE_KEYS, ...VERSION_CONFIG_KEYS]).length > 0) {
      continue;
    }
    for (const id of versions.filter((v) => !oldIds.includes(v))) {
      findings.push(hazard({
        ruleId: VERSION_EXISTS,
        level: 'error',
        template: next,
        logicalId: id,
        propertyPath: 'Type',
        functionId: fnId,
        problem: 'a new version, but nothing to publish: the deployment fails',
        detail: `the version ${id} of ${fnId} is new (it was ${oldIds.join(', ')}), but neither the code nor the configuration of ${fnId} changes: `
          + 'Lambda has nothing new to publish and the deployment fails with "A version for this Lambda function exists"',
        fix: 'keep the version\'s logical ID, or change something Lambda versions (e.g. the function\'s Description) in the same deployment',
      }));
    }
  }
  return findings;
}

function aliasChanges(previous: LoadedTemplate, next: LoadedTemplate): CliFinding[] {
  const findings: CliFinding[] = [];
  const old = aliasesOf(previous);
  const now = aliasesOf(next);
  for (const [id, alias] of now) {
    const was = old.get(id);
    if (was) {
      continue; // a rename replaces it: judged by the spec with the other replacements
    } else {
      const replaced = [...old.entries()].find(([oldId, o]) => !now.has(oldId) && o.functionId === alias.functionId
        && equal(o.resource.Properties?.Name, alias.resource.Properties?.Name));
      if (replaced) {
        findings.push(hazard({
          ruleId: REPLACEMENT,
          level: 'warning',
          template: next,
          logicalId: id,
          propertyPath: 'Type',
          functionId: alias.functionId,
          problem: `recreates the alias ${replaced[0]} (a new logical ID)`,
          detail: `the alias ${replaced[0]} becomes ${id}, so CloudFormation creates it anew, and the create fails while the old one `
            + 'with the same name still exists (or its deployment group and permissions break)',
          fix: 'keep the alias\'s logical ID',
        }));
      }
    }
  }
  return findings;
}

/** (d): CloudFormation cannot update an alias that has both routing weights and provisioned concurrency. */
function weightedProvisionedAliases(next: LoadedTemplate): CliFinding[] {
  const findings: CliFinding[] = [];
  for (const [id, alias] of aliasesOf(next)) {
    const weights = alias.resource.Properties?.RoutingConfig?.AdditionalVersionWeights;
    const pc = alias.resource.Properties?.ProvisionedConcurrencyConfig;
    if (Array.isArray(weights) && weights.length > 0 && pc) {
      findings.push(hazard({
        ruleId: WEIGHTED_PROVISIONED_ALIAS,
        level: 'error',
        template: next,
        logicalId: id,
        propertyPath: 'Properties.RoutingConfig',
        functionId: alias.functionId,
        problem: 'routing weights with provisioned concurrency: Lambda refuses',
        detail: `the alias ${id} has routing weights (RoutingConfig.AdditionalVersionWeights) and provisioned concurrency (ProvisionedConcurrencyConfig): `
          + 'Lambda refuses provisioned concurrency on an alias that routes to two versions, which leaves the stack wedged',
        fix: 'shift traffic with CodeDeploy (or finish the shift) before setting provisioned concurrency, or drop one of the two',
      }));
    }
  }
  return findings;
}

/** `<stack>|<function logical ID>` → the resources that invoke it unqualified, in the templates about to be deployed. */
function invokersOf(templates: LoadedTemplate[]): Map<string, string[]> {
  const invokers = new Map<string, string[]>();
  for (const f of checkTemplates(templates, { ungrouped: true })) {
    if (f.suppressed || !INVOKER_RULES.has(f.ruleId) || !f.functionId) {
      continue;
    }
    const key = `${f.functionStack ?? f.stackName}|${f.functionId}`;
    const list = invokers.get(key) ?? [];
    const event = /^Properties\.Events\.([^.]+)$/.exec(f.propertyPath);
    const owner = event ? templates.find((t) => t.file === f.file && t.stackName === f.stackName) : undefined;
    const eventType = event ? owner?.template.Resources?.[f.logicalId]?.Properties?.Events?.[event[1]]?.Type : undefined;
    const who = event
      ? `the ${eventType ?? 'SAM'} event ${event[1]} of ${f.logicalId} (${f.templatePath})`
      : `${f.logicalId} (${f.templatePath}${f.constructPath ? `, ${f.constructPath}` : ''})`;
    if (!list.includes(who)) {
      list.push(who);
    }
    invokers.set(key, list);
  }
  return invokers;
}

function functionsOf(t: LoadedTemplate): Map<string, any> {
  return new Map(Object.entries<any>(t.template.Resources ?? {}).filter(([, r]) => r?.Type === FUNCTION_TYPE || r?.Type === SAM_FUNCTION_TYPE));
}

function aliasesOf(t: LoadedTemplate): Map<string, { resource: any; functionId?: string }> {
  return new Map(Object.entries<any>(t.template.Resources ?? {})
    .filter(([, r]) => r?.Type === ALIAS_TYPE)
    .map(([id, r]) => [id, { resource: r, functionId: targetOf(t, id)?.functionId }]));
}

function versionsByFunction(t: LoadedTemplate): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [id, r] of Object.entries<any>(t.template.Resources ?? {})) {
    const fnId = r?.Type === VERSION_TYPE ? targetOf(t, id)?.functionId : undefined;
    if (fnId) {
      result.set(fnId, [...result.get(fnId) ?? [], id]);
    }
  }
  return result;
}

function changed(a: any, b: any, keys: string[]): string[] {
  return keys.filter((k) => !equal(a.Properties?.[k], b.Properties?.[k]));
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
