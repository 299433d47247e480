import { CliFinding } from './cli-finding';
import { checkTemplates } from './template-check';
import { cdkPathOf, functionPathOf, SAM_FUNCTION_TYPE, targetOf } from './template-references';
import { LoadedTemplate } from './template-source';
import { suppressionReason } from './template-suppressions';
import { GuardRules } from '../../guard/guard-rules';
import { ALIAS_TYPE, FUNCTION_TYPE, VERSION_TYPE } from '../../guard/private/occurrences';

export const MIXED_UPDATE = 'SafeLambda-MixedUpdate';
export const VERSION_EXISTS = 'SafeLambda-VersionExists';
export const REPLACEMENT = 'SafeLambda-Replacement';
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
 * The deployment hazards of going from `before` (the deployed templates) to `after`, per function: (a) a
 * mixed code and configuration update of a function invoked unqualified, (b) a version whose logical ID
 * changes while the function does not, (c) a function or alias replaced, (d) an alias with routing
 * weights and provisioned concurrency.
 */
export function diffTemplates(before: LoadedTemplate[], after: LoadedTemplate[]): CliFinding[] {
  const invokers = invokersOf(after);
  const findings: CliFinding[] = [];
  for (const next of after) {
    const previous = before.length === 1 && after.length === 1 ? before[0] : before.find((b) => b.stackName === next.stackName);
    findings.push(...weightedProvisionedAliases(next));
    if (previous) {
      findings.push(...functionChanges(previous, next, invokers), ...versionChanges(previous, next), ...aliasChanges(previous, next));
    }
  }
  return findings;
}

function functionChanges(previous: LoadedTemplate, next: LoadedTemplate, invokers: Map<string, string[]>): CliFinding[] {
  const findings: CliFinding[] = [];
  const old = functionsOf(previous);
  const now = functionsOf(next);
  for (const [id, fn] of now) {
    const was = old.get(id);
    if (!was) {
      const replaced = [...old.entries()].find(([oldId, o]) => !now.has(oldId) && sameIdentity(o, fn));
      if (replaced) {
        findings.push(finding(REPLACEMENT, 'warning', next, id, 'Properties', cdkPathOf(fn), id,
          `the function ${replaced[0]} becomes ${id} (its logical ID changes), so CloudFormation creates a new function and deletes the old one: `
          + 'its versions, aliases, CodeDeploy deployment group and permissions are recreated or break. Fix: keep the logical ID (in the CDK, `overrideLogicalId` or keep the construct ID and path)'));
      }
      continue;
    }
    const wasName = was.Properties?.FunctionName;
    const name = fn.Properties?.FunctionName;
    if (wasName !== undefined && !equal(wasName, name)) {
      findings.push(finding(REPLACEMENT, 'warning', next, id, 'Properties.FunctionName', cdkPathOf(fn), id,
        `FunctionName changes from ${JSON.stringify(wasName)} to ${JSON.stringify(name)}, so CloudFormation replaces the function: `
        + 'a new physical function, without the old one\'s versions, aliases and permissions. Fix: keep the name, or plan the replacement'));
    }
    const code = changed(was, fn, CODE_KEYS);
    const config = changed(was, fn, VERSION_CONFIG_KEYS);
    const unqualified = invokers.get(`${next.stackName}|${id}`) ?? [];
    if (code.length > 0 && config.length > 0 && unqualified.length > 0) {
      findings.push(finding(MIXED_UPDATE, 'error', next, id, 'Properties', cdkPathOf(fn), id,
        `the deployment changes both the code (${code.join(', ')}) and the configuration (${config.join(', ')}) of ${id}, which is invoked `
        + `unqualified by ${unqualified.join(', ')}: CloudFormation updates the code and the configuration in two calls, and between them `
        + '$LATEST runs new code with old configuration (or the reverse). Fix: bind those invokers to an alias or a version '
        + '(see `cdk-safe-lambda check`), or deploy the code and the configuration change separately'));
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
      findings.push(finding(VERSION_EXISTS, 'error', next, id, 'Type', cdkPathOf(next.template.Resources[id]), fnId,
        `the version ${id} of ${fnId} is new (it was ${oldIds.join(', ')}), but neither the code nor the configuration of ${fnId} changes: `
        + 'Lambda has nothing new to publish and the deployment fails with "A version for this Lambda function exists". '
        + 'Fix: keep the version\'s logical ID, or change something Lambda versions (e.g. the function\'s Description) in the same deployment'));
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
    if (was && !equal(was.resource.Properties?.Name, alias.resource.Properties?.Name)) {
      findings.push(finding(REPLACEMENT, 'warning', next, id, 'Properties.Name', cdkPathOf(alias.resource), alias.functionId,
        `the alias ${id} is renamed from ${JSON.stringify(was.resource.Properties?.Name)} to ${JSON.stringify(alias.resource.Properties?.Name)}, `
        + 'so CloudFormation replaces it: everything bound to the old alias ARN, its CodeDeploy deployment group and its permissions break. Fix: keep the alias name'));
    } else if (!was) {
      const replaced = [...old.entries()].find(([oldId, o]) => !now.has(oldId) && o.functionId === alias.functionId
        && equal(o.resource.Properties?.Name, alias.resource.Properties?.Name));
      if (replaced) {
        findings.push(finding(REPLACEMENT, 'warning', next, id, 'Type', cdkPathOf(alias.resource), alias.functionId,
          `the alias ${replaced[0]} becomes ${id} (its logical ID changes), so CloudFormation creates it anew, and the create fails while the old one `
          + 'with the same name still exists (or its deployment group and permissions break). Fix: keep the alias\'s logical ID'));
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
      findings.push(finding(WEIGHTED_PROVISIONED_ALIAS, 'error', next, id, 'Properties.RoutingConfig', cdkPathOf(alias.resource), alias.functionId,
        `the alias ${id} has routing weights (RoutingConfig.AdditionalVersionWeights) and provisioned concurrency (ProvisionedConcurrencyConfig): `
        + 'Lambda refuses provisioned concurrency on an alias that routes to two versions, which leaves the stack wedged. '
        + 'Fix: shift traffic with CodeDeploy (or finish the shift) before setting provisioned concurrency, or drop one of the two'));
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

/** The same function under another logical ID: the same construct path, or the same explicit name. */
function sameIdentity(a: any, b: any): boolean {
  const pa = cdkPathOf(a);
  if (pa !== undefined && pa === cdkPathOf(b)) {
    return true;
  }
  const name = a.Properties?.FunctionName;
  return name !== undefined && equal(name, b.Properties?.FunctionName);
}

function changed(a: any, b: any, keys: string[]): string[] {
  return keys.filter((k) => !equal(a.Properties?.[k], b.Properties?.[k]));
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function finding(ruleId: string, level: 'error' | 'warning', t: LoadedTemplate, logicalId: string, propertyPath: string,
  constructPath: string | undefined, functionId: string | undefined, problem: string): CliFinding {
  const templatePath = `Resources.${logicalId}.${propertyPath}`;
  // As `check` does: a suppression in the template about to be deployed (or its construct metadata) marks the finding.
  const functionIds = functionId ? [functionId, functionPathOf(t, functionId)] : [];
  const reason = suppressionReason(t, { ruleId, logicalId, propertyPath, functionIds });
  return {
    ruleId,
    level,
    file: t.file,
    stackName: t.stackName,
    logicalId,
    templatePath,
    propertyPath,
    constructPath,
    functionId,
    message: `[${ruleId}] ${t.file} (${t.stackName}) ${templatePath}${constructPath ? ` (${constructPath})` : ''}: ${problem}.`,
    suppressed: reason !== undefined,
    suppressionReason: reason,
  };
}
