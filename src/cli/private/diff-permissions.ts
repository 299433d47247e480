import { CliFinding } from './cli-finding';
import { hazard, referencedIds, resourcesOf, sameValue, StackChange } from './diff-model';
import { exportIndex, ExportIndex, TemplateOccurrence, TemplateWalker, UnknownIntrinsicError } from './template-references';
import { LoadedTemplate } from './template-source';
import { ALIAS_TYPE, FUNCTION_TYPE, VERSION_TYPE } from '../../private/bindings/occurrences';
import { OPAQUE } from '../../private/intrinsics';

// Permission coherence after the deployment (issue #16 §7, deploy-semantics §4): every invoker is
// allowed to invoke exactly what it invokes. Lambda authorizes a qualified call (`fn:live`) only by a
// statement on that alias, and an unqualified one only by a statement on the function; IAM likewise
// compares the policy's resource with the name and qualifier called. So a service bound to the bare
// function while its permission moved to the alias (a trigger left behind), or a caller that names the
// bare function while its role's grant was narrowed to the alias (a custom resource's call), is denied.
// Only what the template says is judged: an invoker whose service has no permission on that function
// at all, or whose role is granted nothing on it, may be allowed elsewhere, and is left alone.

export const PERMISSION_GAP = 'SafeLambda-PermissionGap';
export const UPDATE_ORDER = 'SafeLambda-UpdateOrder';

/** Services that invoke through a resource-based permission: resource type prefix → their principal. */
const PRINCIPALS: Array<[string, string]> = [
  ['AWS::ApiGateway::', 'apigateway.amazonaws.com'],
  ['AWS::ApiGatewayV2::', 'apigateway.amazonaws.com'],
  ['AWS::SNS::', 'sns.amazonaws.com'],
  ['AWS::Events::', 'events.amazonaws.com'],
  ['AWS::Cognito::', 'cognito-idp.amazonaws.com'],
  ['AWS::S3::', 's3.amazonaws.com'],
  ['Custom::S3BucketNotifications', 's3.amazonaws.com'],
  ['AWS::Logs::', 'logs.'],
  ['AWS::IoT::', 'iot.amazonaws.com'],
  ['AWS::ElasticLoadBalancingV2::', 'elasticloadbalancing.amazonaws.com'],
  ['AWS::Config::', 'config.amazonaws.com'],
  ['AWS::SecretsManager::', 'secretsmanager.amazonaws.com'],
  ['AWS::Lex::', 'lexv2.amazonaws.com'],
  ['AWS::Connect::', 'connect.amazonaws.com'],
  ['AWS::SES::', 'ses.amazonaws.com'],
  ['AWS::CloudWatch::', 'lambda.alarms.cloudwatch.amazonaws.com'],
  ['AWS::AppSync::', 'appsync.amazonaws.com'],
  ['AWS::CodeCommit::', 'codecommit.amazonaws.com'],
];

/** Not invokers: what grants, permits, versions, logs or describes a function. */
const NOT_INVOKERS = new Set(['AWS::Lambda::Permission', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role',
  'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'AWS::Lambda::EventSourceMapping', 'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Url', 'AWS::Logs::LogGroup', 'AWS::CloudWatch::Dashboard', 'AWS::CloudTrail::Trail', 'AWS::SSM::Parameter',
  'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ApplicationAutoScaling::ScalingPolicy', 'AWS::CDK::Metadata', 'Custom::LogRetention',
  'AWS::Lambda::LayerVersionPermission', 'AWS::Lambda::ResourcePolicy']);

/** `BARE`: the function itself (or `$LATEST`); `ANY_QUALIFIED`: `fn:*`; `EVERYTHING`: `fn*` or `*`. */
const BARE = '';
const ANY_QUALIFIED = '*';
const EVERYTHING = '**';

/** What a reference names: a function (stack and logical ID) and the qualifier called or covered. */
interface Called {
  readonly fn: string;
  readonly functionId: string;
  readonly qualifier: string;
}

function called(o: TemplateOccurrence): Called | undefined {
  const target = o.target;
  if (!target.functionId) return undefined;
  const fn = `${target.template.file}|${target.template.stackName}|${target.functionId}`;
  const base = { fn, functionId: target.functionId };
  if (o.attribute !== 'Name' && target.cfnResourceType === ALIAS_TYPE) {
    const name = resourcesOf(target.template)[target.logicalId]?.Properties?.Name;
    return { ...base, qualifier: typeof name === 'string' ? name : `alias ${target.logicalId}` };
  }
  if (o.attribute !== 'Name' && target.cfnResourceType === VERSION_TYPE) {
    return { ...base, qualifier: `version ${target.logicalId}` };
  }
  if (target.cfnResourceType === FUNCTION_TYPE && !['Arn', 'Ref', 'Name'].includes(o.attribute)) return undefined;
  if (o.after.startsWith('*')) return { ...base, qualifier: EVERYTHING };
  if (!o.after.startsWith(':')) return { ...base, qualifier: BARE };
  if (o.after.startsWith(`:${OPAQUE}`)) return undefined;
  const literal = /^:([A-Za-z0-9_$*-]+)/.exec(o.after)?.[1];
  if (literal === undefined) return undefined;
  return { ...base, qualifier: literal === '$LATEST' ? BARE : literal === '*' ? ANY_QUALIFIED : literal };
}

function covers(granted: string, qualifier: string): boolean {
  return granted === EVERYTHING || granted === qualifier || (granted === ANY_QUALIFIED && qualifier !== BARE);
}

function describe(c: Called): string {
  return c.qualifier === BARE ? `bare ${c.functionId}` : `${c.functionId}:${c.qualifier}`;
}

function describeAll(list: string[]): string {
  return [...new Set(list)].map((q) => (q === BARE ? 'the bare function' : q === ANY_QUALIFIED ? 'any qualifier' : q)).join(', ');
}

class Walker {
  private readonly exports: ExportIndex;
  constructor(private readonly templates: LoadedTemplate[]) {
    this.exports = exportIndex(templates);
  }

  public calls(t: LoadedTemplate, value: unknown, path: string): Array<{ called: Called; path: string }> {
    const walker = new TemplateWalker(t, this.exports, this.templates);
    try {
      walker.walk(value, path);
    } catch (e) {
      if (e instanceof UnknownIntrinsicError) return []; // `check` reports it
      throw e;
    }
    return walker.occurrences.flatMap((o) => {
      const c = called(o);
      return c ? [{ called: c, path: o.path }] : [];
    });
  }
}

export function permissionHazards(change: StackChange, templates: LoadedTemplate[]): CliFinding[] {
  const t = change.next;
  const walker = new Walker(templates);
  const resources = resourcesOf(t);
  const permissions = permissionsOf(t, walker);
  const grants = grantsByRole(t, walker);
  const findings: CliFinding[] = [];
  for (const [id, r] of Object.entries(resources)) {
    const type = r?.Type;
    if (typeof type !== 'string' || NOT_INVOKERS.has(type)) continue;
    const principal = PRINCIPALS.find(([prefix]) => type.startsWith(prefix))?.[1];
    const roles = rolesOf(t, id, r);
    for (const { called: c, path } of walker.calls(t, r.Properties, 'Properties')) {
      if (path === 'Properties.ServiceToken' || (type === FUNCTION_TYPE && !path.startsWith('Properties.Environment'))) continue;
      if (c.qualifier === ANY_QUALIFIED || c.qualifier === EVERYTHING) continue;
      const permitted = principal ? permissions.filter((p) => p.fn === c.fn && principalMatches(p.principal, principal)) : [];
      if (permitted.length > 0 && !permitted.some((p) => covers(p.qualifier, c.qualifier))) {
        findings.push(gap(t, id, path, c, `its ${principal} permissions on ${c.functionId} cover ${describeAll(permitted.map((p) => p.qualifier))}`,
          `move the binding and its permission together: bind ${path} to what the permission names, or add a permission `
          + `(principal ${principal}) on ${describe(c)}`));
        continue;
      }
      const order = change.previous && permitted.length > 0
        ? updateOrder(change, id, path, c, permitted.filter((p) => covers(p.qualifier, c.qualifier)), walker) : undefined;
      if (order) findings.push(order);
      const granted = roles.flatMap((role) => grants.get(role) ?? []).filter((g) => g.fn === c.fn || g.fn === '*');
      if (granted.length > 0 && !granted.some((g) => covers(g.qualifier, c.qualifier))) {
        findings.push(gap(t, id, path, c, `its role's lambda:InvokeFunction grants on ${c.functionId} cover ${describeAll(granted.map((g) => g.qualifier))}`,
          `keep the call and its grant together: grant ${describe(c)} (in the CDK, grantInvoke on what the call names), `
          + 'or make the call name what the grant names'));
      }
    }
  }
  return findings;
}

function gap(t: LoadedTemplate, id: string, path: string, c: Called, why: string, fix: string): CliFinding {
  return hazard({
    ruleId: PERMISSION_GAP,
    level: 'error',
    template: t,
    logicalId: id,
    propertyPath: path,
    functionId: c.functionId,
    problem: `invokes ${describe(c)}, which nothing allows after the update`,
    detail: `after this deployment ${why}: Lambda authorizes a call only by a statement on what it names `
      + '(the bare function and an alias are different resources), so the call is denied (AccessDenied, or a 500 from API Gateway)',
    fix,
  });
}

function principalMatches(principal: string, wanted: string): boolean {
  return wanted.endsWith('.') ? principal.startsWith(wanted) : principal === wanted;
}

interface Permission { readonly id: string; readonly fn: string; readonly qualifier: string; readonly principal: string }

function permissionsOf(t: LoadedTemplate, walker: Walker): Permission[] {
  const result: Permission[] = [];
  for (const [id, r] of Object.entries(resourcesOf(t))) {
    if (r?.Type === 'AWS::Lambda::ResourcePolicy') {
      result.push(...resourcePolicyPermissions(t, id, r, walker));
      continue;
    }
    if (r?.Type !== 'AWS::Lambda::Permission') continue;
    const action = r.Properties?.Action;
    if (typeof action === 'string' && !/^lambda:(InvokeFunction|\*|Invoke\*)$/.test(action)) continue;
    const principal = literalText(r.Properties?.Principal);
    for (const { called: c } of walker.calls(t, r.Properties?.FunctionName, 'Properties.FunctionName')) {
      result.push({ id, fn: c.fn, qualifier: c.qualifier, principal });
    }
  }
  return result;
}

/**
 * An `AWS::Lambda::ResourcePolicy` (a whole invoke policy on a function, version or alias): each
 * statement allowing an invocation to a service principal is a permission on its `ResourceArn`.
 */
function resourcePolicyPermissions(t: LoadedTemplate, id: string, r: any, walker: Walker): Permission[] {
  const targets = walker.calls(t, r.Properties?.ResourceArn, 'Properties.ResourceArn').map((o) => o.called);
  const document = r.Properties?.PolicyDocument;
  const statements = Array.isArray(document?.Statement) ? document.Statement : document?.Statement ? [document.Statement] : [];
  const result: Permission[] = [];
  for (const statement of statements) {
    const actions = Array.isArray(statement?.Action) ? statement.Action : [statement?.Action];
    if (statement?.Effect !== 'Allow' || !actions.some((a: unknown) => typeof a === 'string' && INVOKE_ACTIONS.test(a))) continue;
    const services = statement.Principal?.Service;
    for (const service of Array.isArray(services) ? services : [services]) {
      const principal = literalText(service);
      if (principal) result.push(...targets.map((c) => ({ id, fn: c.fn, qualifier: c.qualifier, principal })));
    }
  }
  return result;
}

/** A principal as text: a literal, or the literal parts of a join (`logs.` + region + `.amazonaws.com`). */
function literalText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as any)?.['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) return join[1].map((p: unknown) => (typeof p === 'string' ? p : '*')).join(join[0] ?? '');
  const sub = (value as any)?.['Fn::Sub'];
  return typeof sub === 'string' ? sub : '';
}

const INVOKE_ACTIONS = /^(\*|lambda:\*|lambda:Invoke\*|lambda:InvokeFunction)$/;

interface Grant { readonly fn: string; readonly qualifier: string }

/** Role logical ID → what its policies allow it to invoke (`fn` `*` with qualifier `**`: every function). */
function grantsByRole(t: LoadedTemplate, walker: Walker): Map<string, Grant[]> {
  const result = new Map<string, Grant[]>();
  const add = (roles: Set<string>, document: any, path: string) => {
    const statements = Array.isArray(document?.Statement) ? document.Statement : document?.Statement ? [document.Statement] : [];
    statements.forEach((s: any, i: number) => {
      const actions = Array.isArray(s?.Action) ? s.Action : [s?.Action];
      if (s?.Effect !== 'Allow' || !actions.some((a: unknown) => typeof a === 'string' && INVOKE_ACTIONS.test(a))) return;
      const list = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      const grants: Grant[] = list.includes('*') ? [{ fn: '*', qualifier: EVERYTHING }]
        : walker.calls(t, s.Resource, `${path}.Statement[${i}].Resource`).map(({ called: c }) => ({ fn: c.fn, qualifier: c.qualifier }));
      for (const role of roles) result.set(role, [...result.get(role) ?? [], ...grants]);
    });
  };
  for (const [id, r] of Object.entries(resourcesOf(t))) {
    if (r?.Type === 'AWS::IAM::Policy' || r?.Type === 'AWS::IAM::ManagedPolicy') {
      add(referencedIds(r.Properties?.Roles), r.Properties?.PolicyDocument, 'Properties.PolicyDocument');
    } else if (r?.Type === 'AWS::IAM::Role') {
      (Array.isArray(r.Properties?.Policies) ? r.Properties.Policies : []).forEach((p: any, i: number) =>
        add(new Set([id]), p?.PolicyDocument, `Properties.Policies[${i}].PolicyDocument`));
    }
  }
  return result;
}

/** The roles a resource acts as: the IAM roles it references, and for a custom resource its handler's role. */
function rolesOf(t: LoadedTemplate, id: string, r: any): string[] {
  const resources = resourcesOf(t);
  const isRole = (x: string) => resources[x]?.Type === 'AWS::IAM::Role';
  const roles = [...referencedIds(r.Properties)].filter(isRole);
  if (r.Type === 'AWS::CloudFormation::CustomResource' || r.Type.startsWith('Custom::')) {
    for (const handler of referencedIds(r.Properties?.ServiceToken)) {
      roles.push(...[...referencedIds(resources[handler]?.Properties?.Role)].filter(isRole));
    }
  }
  return roles.filter((x) => x !== id);
}

/**
 * Update order (issue #16 §3, deploy-semantics §2): a binding this deployment moves to a new target,
 * whose permission for it is created in this deployment too (a new logical ID, or replaced), with no
 * dependency ordering the binding after it. CloudFormation updates unrelated resources in parallel, in
 * no set order, so the service may invoke the new target before the permission exists: denied meanwhile.
 */
function updateOrder(change: StackChange, id: string, path: string, c: Called, covering: Permission[], walker: Walker): CliFinding | undefined {
  const previous = change.previous!;
  const before = resourcesOf(previous)[id];
  if (!before || covering.length === 0) return undefined;
  const wasCalled = walker.calls(previous, before.Properties, 'Properties')
    .some((o) => o.path === path && o.called.functionId === c.functionId && o.called.qualifier === c.qualifier);
  if (wasCalled) return undefined; // not rebound by this deployment
  const old = resourcesOf(previous);
  const now = resourcesOf(change.next);
  const existing = covering.filter((p) => old[p.id]?.Type === now[p.id]?.Type
    && sameValue(old[p.id]?.Properties?.FunctionName, now[p.id]?.Properties?.FunctionName)
    && sameValue(old[p.id]?.Properties?.Principal, now[p.id]?.Properties?.Principal));
  if (existing.length > 0) return undefined; // its permission is already there
  const invokers = servedBy(change, id);
  if (invokers.length === 0) return undefined; // nothing serves the change yet (a stale stage: StaleSnapshot says so)
  if (invokers.every((invoker) => covering.some((p) => dependsOn(change.next, invoker, p.id)))) return undefined;
  // A permission whose SourceArn names the binding is created after it: a dependency would be a cycle.
  const after = covering.some((p) => dependsOn(change.next, p.id, id));
  return hazard({
    ruleId: UPDATE_ORDER,
    level: 'warning',
    template: change.next,
    logicalId: id,
    propertyPath: path,
    functionId: c.functionId,
    problem: `moves to ${describe(c)} before its permission exists`,
    detail: `the permission that allows it (${covering.map((p) => p.id).join(', ')}) is created in this deployment, `
      + (after
        ? `after ${id}, since it references ${id} (its SourceArn), so calls to the new target are denied in between`
        : `and nothing orders ${id} after it, so CloudFormation may update ${id} first and its calls are denied until the permission exists`),
    fix: after
      ? 'add the permission for the new target in an earlier deployment (keep the binding where it is), then move the binding'
      : `make ${id} depend on ${covering[0].id} (DependsOn; in the CDK, \`node.addDependency\`), or add the permission in an earlier deployment`,
  });
}

/**
 * What starts invoking the new target once it is updated: the binding itself, or for a REST API's
 * method or authorizer (served by a snapshot) the stages of the API, if a new Deployment is created.
 */
function servedBy(change: StackChange, id: string): string[] {
  const resources = resourcesOf(change.next);
  const r = resources[id];
  if (!String(r?.Type).startsWith('AWS::ApiGateway::')) return [id];
  const api = [...referencedIds(r.Properties?.RestApiId)][0];
  const old = resourcesOf(change.previous);
  const fresh = Object.entries(resources).some(([d, x]) => x?.Type === 'AWS::ApiGateway::Deployment' && !old[d] && referencedIds(x.Properties?.RestApiId).has(api));
  return fresh ? Object.entries(resources).filter(([, x]) => x?.Type === 'AWS::ApiGateway::Stage' && referencedIds(x.Properties?.RestApiId).has(api)).map(([s]) => s) : [];
}

/** Whether `from` waits for `to`: a `DependsOn`, `Ref`, `Fn::GetAtt` or `Fn::Sub` chain in `t`. */
function dependsOn(t: LoadedTemplate, from: string, to: string): boolean {
  const resources = resourcesOf(t);
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const id = queue.pop()!;
    const r = resources[id];
    if (!r || seen.has(id)) continue;
    seen.add(id);
    const deps = [...referencedIds(r.Properties), ...(Array.isArray(r.DependsOn) ? r.DependsOn : r.DependsOn ? [r.DependsOn] : [])];
    if (deps.includes(to)) return true;
    queue.push(...deps.filter((d) => typeof d === 'string' && resources[d]));
  }
  return false;
}
