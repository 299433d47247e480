import { CliFinding } from './cli-finding';
import { functionIdOf, hazard, referencedIds, resourcesOf, resourcesOfType, sameValue, shown, StackChange } from './diff-model';
import { cdkPathOf, SAM_FUNCTION_TYPE } from './template-references';
import { ALIAS_TYPE, FUNCTION_TYPE } from '../../private/bindings/occurrences';
import { isKnownResourceType, REPLACEMENT_SPEC_VERSION, ReplacingChange, replacingChanges, replacingReferences } from '../../private/replacement';

// What a deployment replaces, judged by CloudFormation's resource specification (the table in
// src/private/replacement.ts) on resources paired by logical ID, and what that does where it matters
// (issue #16 §7): a function or alias replaced, a client-held identity changed, old and new
// subscriptions delivering side by side, a stream read twice, an update CloudFormation refuses.

export const REPLACEMENT = 'SafeLambda-Replacement';
export const IDENTITY_CHANGE = 'SafeLambda-IdentityChange';
export const OVERLAP_REPLACEMENT = 'SafeLambda-OverlapReplacement';
export const STREAM_MAPPING_RECREATED = 'SafeLambda-StreamMappingRecreated';
export const REFUSED_UPDATE = 'SafeLambda-RefusedUpdate';
export const UNJUDGED_INPUT = 'SafeLambda-UnjudgedInput';

const URL_TYPE = 'AWS::Lambda::Url';
const SUBSCRIPTION_TYPE = 'AWS::SNS::Subscription';
const CONNECT_ASSOCIATION_TYPE = 'AWS::Connect::IntegrationAssociation';
const MAPPING_TYPE = 'AWS::Lambda::EventSourceMapping';

/** Resources whose physical ID (a hostname, an ARN) clients hold: replacing one hands them a new one. */
const CLIENT_HELD: Record<string, string> = {
  [URL_TYPE]: 'a new function URL (a new hostname: https://<new-id>.lambda-url...), and the old URL is deleted in cleanup',
  'AWS::ApiGateway::RestApi': 'a new REST API id, so a new execute-api hostname',
  'AWS::ApiGatewayV2::Api': 'a new API id, so a new execute-api hostname',
  'AWS::StepFunctions::StateMachine': 'a new state machine ARN',
  'AWS::SNS::Topic': 'a new topic ARN',
  'AWS::SQS::Queue': 'a new queue URL and ARN',
};

/** The changes of a resource kept under its logical ID that replace it (per the spec), with what the spec could not judge. */
interface Paired {
  readonly id: string;
  readonly before: any;
  readonly after: any;
  readonly changes: ReplacingChange[] | undefined;
}

function pairs(change: StackChange): Paired[] {
  const old = resourcesOf(change.previous);
  const result: Paired[] = [];
  for (const [id, after] of Object.entries(resourcesOf(change.next))) {
    const before = old[id];
    if (!before || before.Type !== after?.Type || typeof after?.Type !== 'string') continue;
    const judged = judgedAs(after.Type);
    result.push({ id, before, after, changes: judged === undefined ? [] : replacingChanges(judged, before.Properties, after.Properties) });
  }
  return propagated(result);
}

/**
 * Replacement travels along references, as CloudFormation (and `cdk diff`) propagate it: a replacing
 * property that reads a replaced resource (`FunctionName: !Ref Fn` of a version when Fn is renamed)
 * gets a new value at deployment, so its resource is replaced too. Repeated until nothing changes.
 */
function propagated(paired: Paired[]): Paired[] {
  let result = paired;
  const reads = new Map(paired.map((p) => [p.id, referencedIds(p.after.Properties)]));
  for (let changed = true; changed;) {
    changed = false;
    const replaced = new Set(result.filter(isReplaced).map((p) => p.id));
    result = result.map((p) => {
      const judged = judgedAs(p.after.Type);
      if (judged === undefined || isReplaced(p) || ![...reads.get(p.id) ?? []].some((id) => replaced.has(id))) return p;
      const through = replacingReferences(judged, p.after.Properties, replaced) ?? [];
      if (!through.some((c) => c.verdict === 'yes' || c.verdict === 'maybe')) return p;
      changed = true;
      return { ...p, changes: [...p.changes ?? [], ...through] };
    });
  }
  return result;
}

/**
 * The type whose replacement rules apply: a SAM function becomes an AWS::Lambda::Function (the spec's
 * entries for SAM types describe the transform's input, not what CloudFormation replaces); other SAM
 * types are left to the resources the transform generates.
 */
function judgedAs(type: string): string | undefined {
  if (type === SAM_FUNCTION_TYPE) return FUNCTION_TYPE;
  return type.startsWith('AWS::Serverless::') ? undefined : type;
}

function isReplaced(p: Paired): boolean {
  return (p.changes ?? []).some((c) => c.verdict === 'yes' || c.verdict === 'maybe');
}

/** Every hazard of replacement in one stack. */
export function replacementHazards(change: StackChange): CliFinding[] {
  if (!change.previous) return [];
  const paired = pairs(change);
  return [
    ...functionReplacements(change, paired),
    ...refusedUpdates(change, paired),
    ...clientHeldReplacements(change, paired),
    ...overlapReplacements(change, paired),
    ...streamMappingsRecreated(change, paired),
    ...outputChanges(change, paired),
    ...unknownTypes(change, paired),
  ];
}

/** A function or alias replaced in place (spec), or a function whose logical ID is swapped for a successor's. */
function functionReplacements(change: StackChange, paired: Paired[]): CliFinding[] {
  const t = change.next;
  const findings: CliFinding[] = [];
  for (const p of paired.filter((x) => [FUNCTION_TYPE, SAM_FUNCTION_TYPE, ALIAS_TYPE].includes(x.after.Type) && isReplaced(x))) {
    const isAlias = p.after.Type === ALIAS_TYPE;
    const first = (p.changes ?? [])[0];
    findings.push(hazard({
      ruleId: REPLACEMENT,
      level: 'warning',
      template: t,
      logicalId: p.id,
      propertyPath: `Properties.${first.path}`,
      functionId: isAlias ? functionIdOf(t, p.after.Properties?.FunctionName) : p.id,
      problem: `the ${isAlias ? 'alias' : 'function'} is replaced (${first.path})`,
      detail: `${sameValue(valueAt(p.before, first.path), valueAt(p.after, first.path))
        ? `${first.path} (${shown(valueAt(p.after, first.path))}) reads a resource this deployment replaces, so its value changes`
        : `${shown(valueAt(p.before, first.path))} becomes ${shown(valueAt(p.after, first.path))}`}: CloudFormation creates a new `
        + `${isAlias ? 'alias' : 'function'} and deletes the old one in cleanup, so its ARN changes and ${isAlias
          ? 'what is bound to the old alias ARN, its CodeDeploy deployment group and its permissions break'
          : 'its versions, aliases, permissions and CodeDeploy deployment group are recreated or break'}`,
      fix: isAlias ? 'keep the alias name and function' : 'keep the function\'s name (and package type), or plan the replacement',
    }));
  }
  // A function that leaves the template while its successor arrives: deleted and created, a replacement.
  const old = resourcesOf(change.previous);
  const now = resourcesOf(t);
  const removed = Object.entries(old).filter(([id, r]) => isFunction(r) && !now[id]);
  const added = Object.entries(now).filter(([id, r]) => isFunction(r) && !old[id]);
  for (const [newId, fn] of added) {
    const successorOf = removed.find(([, o]) => sameFunction(o, fn));
    if (!successorOf) continue;
    findings.push(hazard({
      ruleId: REPLACEMENT,
      level: 'warning',
      template: t,
      logicalId: newId,
      propertyPath: 'Type',
      functionId: newId,
      problem: `replaces the function ${successorOf[0]} (a new logical ID)`,
      detail: `CloudFormation creates ${newId} and deletes ${successorOf[0]} in cleanup: a new physical function, `
        + 'so its ARN changes and its versions, aliases, permissions and CodeDeploy deployment group are recreated or break'
        + `${fn.Properties?.FunctionName !== undefined && sameValue(fn.Properties.FunctionName, old[successorOf[0]].Properties?.FunctionName)
          ? ' (and the create fails: the old function still holds the name)' : ''}`,
      fix: 'keep the logical ID (in the CDK, wrap the existing function with SafeAlias (route 2), or `overrideLogicalId`)',
    }));
  }
  return findings;
}

function isFunction(r: any): boolean {
  return r?.Type === FUNCTION_TYPE || r?.Type === SAM_FUNCTION_TYPE;
}

/**
 * The same function under another logical ID: the same explicit name, or construct paths where one
 * function's construct holds the other's (`Fn/Resource` → `Fn/Function/Resource`, as wrapping it does).
 */
function sameFunction(a: any, b: any): boolean {
  const name = a.Properties?.FunctionName;
  if (name !== undefined && sameValue(name, b.Properties?.FunctionName)) return true;
  const pa = cdkPathOf(a)?.replace(/\/Resource$/, '');
  const pb = cdkPathOf(b)?.replace(/\/Resource$/, '');
  return pa !== undefined && pb !== undefined && (pb.startsWith(`${pa}/`) || pa.startsWith(`${pb}/`) || pa === pb);
}

function valueAt(resource: any, path: string): unknown {
  return path.split('.').reduce((v: any, k) => (v === undefined || v === null ? undefined : v[k]), resource?.Properties);
}

/** A custom resource's new service token, or a new type under the same logical ID: CloudFormation refuses the update. */
function refusedUpdates(change: StackChange, paired: Paired[]): CliFinding[] {
  const t = change.next;
  const findings: CliFinding[] = [];
  for (const p of paired.filter((x) => (x.changes ?? []).some((c) => c.verdict === 'refused'))) {
    findings.push(hazard({
      ruleId: REFUSED_UPDATE,
      level: 'error',
      template: t,
      logicalId: p.id,
      propertyPath: 'Properties.ServiceToken',
      functionId: functionIdOf(t, p.after.Properties?.ServiceToken),
      problem: 'the ServiceToken changes: CloudFormation refuses the update',
      detail: `${shown(p.before.Properties?.ServiceToken)} becomes ${shown(p.after.Properties?.ServiceToken)}: CloudFormation fails the update with `
        + '"Modifying service token is not allowed." and rolls the stack back',
      fix: 'keep the service token (leave a custom resource\'s handler on the function it was created with), '
        + 'or give the custom resource a new logical ID, which creates it anew on the new token',
    }));
  }
  const old = resourcesOf(change.previous);
  for (const [id, r] of Object.entries(resourcesOf(t))) {
    const was = old[id];
    if (was && typeof was.Type === 'string' && typeof r?.Type === 'string' && was.Type !== r.Type) {
      findings.push(hazard({
        ruleId: REFUSED_UPDATE,
        level: 'error',
        template: t,
        logicalId: id,
        propertyPath: 'Type',
        problem: `the type changes to ${r.Type}: CloudFormation refuses the update`,
        detail: 'CloudFormation cannot update a resource into another type: the update fails and the stack rolls back',
        fix: 'give the new resource a new logical ID (the old one is then deleted in cleanup)',
      }));
    }
  }
  return findings;
}

/** A resource whose physical ID clients hold is replaced (spec), or a function URL is recreated under another logical ID. */
function clientHeldReplacements(change: StackChange, paired: Paired[]): CliFinding[] {
  const t = change.next;
  const findings: CliFinding[] = [];
  for (const p of paired.filter((x) => CLIENT_HELD[x.after.Type] !== undefined && isReplaced(x))) {
    findings.push(hazard({
      ruleId: IDENTITY_CHANGE,
      level: 'warning',
      template: t,
      logicalId: p.id,
      propertyPath: `Properties.${(p.changes ?? [])[0].path}`,
      functionId: p.after.Type === URL_TYPE ? functionIdOf(t, p.after.Properties?.TargetFunctionArn) : undefined,
      problem: `replaced (${(p.changes ?? [])[0].path}): clients lose its identity`,
      detail: `CloudFormation creates ${CLIENT_HELD[p.after.Type]}; clients that hold the old one stop working once cleanup deletes it`,
      fix: p.after.Type === URL_TYPE
        ? 'keep this URL and add a second one on the alias, move the clients, then remove the old one; or front it with a stable name (CloudFront, a custom domain)'
        : 'keep the replacing properties, or move the clients to the new identity deliberately',
    }));
  }
  // A URL that leaves the template while another arrives on the same function: a new hostname.
  const old = resourcesOf(change.previous);
  const now = resourcesOf(t);
  const removed = resourcesOfType(change.previous, URL_TYPE).filter(([id]) => !now[id]);
  for (const [id, url] of resourcesOfType(t, URL_TYPE).filter(([newId]) => !old[newId])) {
    const fnId = functionIdOf(t, url.Properties?.TargetFunctionArn);
    const gone = removed.find(([, o]) => fnId !== undefined && functionIdOf(change.previous!, o.Properties?.TargetFunctionArn) === fnId);
    if (!gone) continue;
    findings.push(hazard({
      ruleId: IDENTITY_CHANGE,
      level: 'warning',
      template: t,
      logicalId: id,
      propertyPath: 'Properties.TargetFunctionArn',
      functionId: fnId,
      problem: `replaces the function URL ${gone[0]}: a new hostname`,
      detail: `CloudFormation creates ${CLIENT_HELD[URL_TYPE]}; clients that call the old URL fail after this deployment`,
      fix: 'keep the old URL until its clients have moved to the new one (then remove it), or front the URL with a stable name',
    }));
  }
  return findings;
}

/** An SNS subscription or Connect integration association replaced: old and new both deliver until cleanup. */
function overlapReplacements(change: StackChange, paired: Paired[]): CliFinding[] {
  const t = change.next;
  const findings: CliFinding[] = [];
  const what: Record<string, { key: string; effect: string }> = {
    [SUBSCRIPTION_TYPE]: { key: 'TopicArn', effect: 'both subscriptions receive every message, so each message is processed twice' },
    [CONNECT_ASSOCIATION_TYPE]: { key: 'InstanceId', effect: 'the instance has both associations, and flows may invoke either target' },
  };
  const report = (id: string, after: any, replaced: string, path: string) => findings.push(hazard({
    ruleId: OVERLAP_REPLACEMENT,
    level: 'warning',
    template: t,
    logicalId: id,
    propertyPath: path,
    functionId: functionIdOf(t, after.Properties?.Endpoint ?? after.Properties?.IntegrationArn),
    problem: `${replaced}: both deliver until cleanup`,
    detail: `CloudFormation creates the new one before it deletes the old one at the end of the deployment; meanwhile ${what[after.Type].effect}`,
    fix: 'make the handler idempotent (or deduplicate) for this deployment, or keep the old resource and retire it in a later deployment',
  }));
  for (const p of paired.filter((x) => what[x.after.Type] !== undefined && isReplaced(x))) {
    report(p.id, p.after, `replaced (${(p.changes ?? [])[0].path})`, `Properties.${(p.changes ?? [])[0].path}`);
  }
  const old = resourcesOf(change.previous);
  const now = resourcesOf(t);
  for (const type of Object.keys(what)) {
    const removed = resourcesOfType(change.previous, type).filter(([id]) => !now[id]);
    for (const [id, r] of resourcesOfType(t, type).filter(([newId]) => !old[newId])) {
      const key = what[type].key;
      const gone = removed.find(([, o]) => sameValue(o.Properties?.[key], r.Properties?.[key]) && sameTargetFunction(change, o, r));
      if (gone) report(id, r, `recreates ${gone[0]}`, `Properties.${key}`);
    }
  }
  return findings;
}

/** Whether two subscriptions or associations deliver to the same function (possibly through different qualifiers). */
function sameTargetFunction(change: StackChange, before: any, after: any): boolean {
  const target = (r: any) => r.Properties?.Endpoint ?? r.Properties?.IntegrationArn;
  const a = functionIdOf(change.previous!, target(before));
  const b = functionIdOf(change.next, target(after));
  if (a !== undefined || b !== undefined) return a === b;
  return [...referencedIds(target(before))].some((id) => referencedIds(target(after)).has(id));
}

/** A stream's event source mapping recreated (new logical ID on the same source, or replaced in place): read twice, or skipped. */
function streamMappingsRecreated(change: StackChange, paired: Paired[]): CliFinding[] {
  const t = change.next;
  const findings: CliFinding[] = [];
  const isStream = (r: any) => r.Properties?.StartingPosition !== undefined;
  const report = (id: string, after: any, how: string, path: string) => findings.push(hazard({
    ruleId: STREAM_MAPPING_RECREATED,
    level: 'warning',
    template: t,
    logicalId: id,
    propertyPath: path,
    functionId: functionIdOf(t, after.Properties?.FunctionName),
    problem: `${how}: stream records read twice or skipped`,
    detail: 'both mappings read the stream until cleanup deletes the old one, so records are processed twice '
      + `(StartingPosition ${shown(after.Properties?.StartingPosition)}: ${after.Properties?.StartingPosition === 'TRIM_HORIZON'
        ? 'the new one rereads the whole retention window' : 'records the old one had not reached when deleted are skipped'})`,
    fix: 'keep the mapping\'s logical ID and change only its FunctionName (an in-place update), or make the handler idempotent for this deployment',
  }));
  for (const p of paired.filter((x) => x.after.Type === MAPPING_TYPE && isStream(x.after) && isReplaced(x)
    && sameValue(x.before.Properties?.EventSourceArn, x.after.Properties?.EventSourceArn))) {
    report(p.id, p.after, `replaced (${(p.changes ?? [])[0].path})`, `Properties.${(p.changes ?? [])[0].path}`);
  }
  const old = resourcesOf(change.previous);
  const now = resourcesOf(t);
  const removed = resourcesOfType(change.previous, MAPPING_TYPE).filter(([id]) => !now[id]);
  for (const [id, r] of resourcesOfType(t, MAPPING_TYPE).filter(([newId]) => !old[newId] && isStream(now[newId]))) {
    const gone = removed.find(([, o]) => sameValue(o.Properties?.EventSourceArn, r.Properties?.EventSourceArn));
    if (gone) report(id, r, `recreates ${gone[0]}`, 'Properties.EventSourceArn');
  }
  return findings;
}

/** An output's value changes (textually, or because it reads a resource that is replaced): its readers see a new identity. */
function outputChanges(change: StackChange, paired: Paired[]): CliFinding[] {
  const t = change.next;
  const findings: CliFinding[] = [];
  const replaced = new Set(paired.filter(isReplaced).map((p) => p.id));
  const oldOutputs = change.previous?.template?.Outputs ?? {};
  for (const [name, output] of Object.entries<any>(t.template?.Outputs ?? {})) {
    const was = oldOutputs[name];
    if (!was) continue;
    const exported = output?.Export !== undefined || was?.Export !== undefined;
    const textChanged = !sameValue(was.Value, output?.Value);
    const through = [...referencedIds(output?.Value)].find((id) => replaced.has(id));
    const exportRenamed = was.Export !== undefined && !sameValue(was.Export?.Name, output?.Export?.Name);
    if (!textChanged && through === undefined && !exportRenamed) continue;
    findings.push({
      ...hazard({
        ruleId: IDENTITY_CHANGE,
        level: exported ? 'error' : 'warning',
        template: t,
        logicalId: name, // an output's logical ID
        propertyPath: '',
        templatePath: `Outputs.${name}.${exportRenamed ? 'Export.Name' : 'Value'}`,
        problem: exportRenamed ? 'the export is renamed' : `the value changes${through ? ` (${through} is replaced)` : ''}${exported ? ' (exported)' : ''}`,
        detail: exported
          ? 'CloudFormation refuses to change or remove an export another stack imports ("Cannot update export ... as it is in use"); '
            + 'and whoever reads it gets a new value'
          : `${textChanged ? `${shown(was.Value)} becomes ${shown(output?.Value)}` : 'the value it reads is replaced'}: `
            + 'clients and scripts that read this output hold the old value',
        fix: exported
          ? 'keep the export\'s value (add a new export for the new value, move the importers, then remove the old one)'
          : 'keep the value, or tell its readers',
      }),
    });
  }
  return findings;
}

/** Changed resources of a type the spec does not know: their replacement cannot be judged, which is said, not guessed. */
function unknownTypes(change: StackChange, paired: Paired[]): CliFinding[] {
  return paired.filter((p) => p.changes === undefined && p.after.Type.startsWith('AWS::') && !isKnownResourceType(p.after.Type)
    && !sameValue(p.before.Properties, p.after.Properties)).map((p) => hazard({
    ruleId: UNJUDGED_INPUT,
    level: 'warning',
    template: change.next,
    logicalId: p.id,
    propertyPath: 'Properties',
    problem: `${p.after.Type} is unknown to the spec: its replacement is not judged`,
    detail: `the CloudFormation resource specification this command carries (@aws-cdk/aws-service-spec ${REPLACEMENT_SPEC_VERSION}) `
      + 'does not know this type, so its replacement, and what that replacement would break, are not judged',
    fix: 'review this change in a CloudFormation change set (`cdk diff` or `aws cloudformation create-change-set`), or update cdk-safe-lambda',
  }));
}
