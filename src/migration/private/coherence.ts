import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DeployReferences } from './deploy-references';
import { MigrationRewrite } from './snapshots';
import { Finding } from '../../guard/finding';
import { GuardRules } from '../../guard/guard-rules';
import { GuardSuppressions } from '../../guard/guard-suppressions';

const PERMISSION_TYPE = 'AWS::Lambda::Permission';
const POLICY_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);
const ROLE_TYPE = 'AWS::IAM::Role';
/** Rules of the bindings the migration moves (a permission or grant is not a call). */
const MOVING_RULES = new Set<string>([GuardRules.LATEST_BINDING, GuardRules.LATEST_SDK_TARGET]);
/** What names a custom resource's provider: its call is the rest of its properties. */
const SERVICE_TOKEN = 'ServiceToken';

/**
 * Issue #16 §3: every invoker, at runtime or at deployment, is allowed to invoke exactly what it
 * invokes, before, during and after the update.
 *
 * A permission or grant is its invoker's: an IAM grant belongs to whatever runs as the roles it is
 * attached to, a `Lambda::Permission` to the role it names as principal or to the resource its
 * `SourceArn` names; a custom resource calls through the provider its `ServiceToken` names. A permission
 * joined to a binding moves with it (the migration's units). A permission of its own moves only when a
 * call of its invoker is a binding the migration moves. Otherwise it stays with the call: a custom
 * resource's call is deployment-time data the migration leaves (an `AwsCustomResource`'s `Lambda.invoke`,
 * an integ-tests assertion), code names what the template does not show (a workflow's DAG), and an
 * invoker outside the app invokes the name it knows. A suppression and an info say why.
 */
export class PermissionCoherence {
  private readonly stays = new Map<string, string | undefined>();
  private readonly moving = new Map<string, Set<IConstruct>>();
  /** Per stack: resource → the resources that reference it, built once and only when needed. */
  private readonly referrers = new Map<Stack, Map<CfnResource, CfnResource[]>>();

  /**
   * @param findings the guard's findings the migration works from
   * @param resourceAt the construct at a finding's resource path
   * @param functionAt the `AWS::Lambda::Function` of a guarded function's path (undefined when it is not migrated)
   */
  constructor(private readonly findings: readonly Finding[], private readonly resourceAt: (path: string) => IConstruct | undefined,
    private readonly functionAt: (functionPath: string) => CfnResource | undefined, private readonly refs: DeployReferences) {}

  /**
   * Why the finding `group` stays on the bare function, or undefined when it moves: a binding, with
   * the permissions that joined it, moves; a permission or grant of its own moves unless its invoker's
   * call names the bare function. A finding that stays is suppressed with that reason.
   */
  public staysOnFunction(group: Finding): string | undefined {
    const resource = this.resourceAt(group.resourcePath);
    if (!CfnResource.isCfnResource(resource) || !isPermissionOrGrant(group.ruleId, resource)) {
      return undefined;
    }
    const key = `${group.resourcePath} ${group.propertyPath} ${group.functionPath}`;
    if (!this.stays.has(key)) {
      const reason = this.callLeftOnFunction(resource, group.functionPath);
      this.stays.set(key, reason);
      if (reason) {
        GuardSuppressions.add(resource, { ruleId: group.ruleId, reason: `MakeFunctionsSafe: ${reason}`, appliesTo: [group.functionPath] });
        const fnPath = this.functionAt(group.functionPath)?.node.scope?.node.path ?? group.functionPath;
        Annotations.of(resource).addInfo(`MakeFunctionsSafe: ${group.propertyPath} still allows ${fnPath} itself, not its alias.\n`
          + `Why: ${reason}.`);
      }
    }
    return this.stays.get(key);
  }

  /**
   * Takes back what was decided before the migration left some bindings: a call left on the bare
   * function is no longer one that moves, so a permission that moved for it alone is decided again
   * (issue #16 §3: a permission moves only with a binding that actually moved).
   */
  public leaveCalls(left: ReadonlyArray<{ readonly resource: IConstruct; readonly functionPath: string }>): void {
    for (const { resource, functionPath } of left) {
      this.movingCalls(functionPath).delete(resource);
      for (const [key, reason] of this.stays) {
        if (reason === undefined && key.endsWith(` ${functionPath}`)) {
          this.stays.delete(key);
        }
      }
    }
  }

  /**
   * Why the invoker of `member` keeps calling the bare function, unless one of its calls of the
   * function is a binding the migration rewrites (then the permission moves with it). A call left on the
   * bare function (a custom resource's, which is deployment-time data), a call the template does not
   * show (code that names the function), or an invoker outside the app: each invokes what it names, the
   * bare function, so its permission stays.
   */
  private callLeftOnFunction(member: CfnResource, functionPath: string): string | undefined {
    const fn = this.functionAt(functionPath);
    if (!fn) {
      return undefined;
    }
    const moving = this.movingCalls(functionPath);
    const callers = this.callersOf(member).filter((c) => c !== member);
    if (callers.some((c) => moving.has(c))) {
      return undefined;
    }
    const fix = 'move it when its caller invokes the alias (grant the alias then)';
    const naming = callers.find((c) => this.names(c, fn));
    if (naming) {
      return `the call of ${naming.node.path} names the bare function (deployment-time data the migration leaves), `
        + `so its permission stays with it; ${fix}`;
    }
    if (callers.length > 0) {
      return `${callers[0].node.path} invokes it by what its code names, which the template does not show, `
        + `so its permission stays on the bare function; ${fix}`;
    }
    return 'nothing in the app invokes through it, so whoever holds it invokes the name they know, the bare function; '
      + `its permission stays: ${fix}`;
  }

  /** The resources whose bindings of the function the migration rewrites, per function. */
  private movingCalls(functionPath: string): Set<IConstruct> {
    let moving = this.moving.get(functionPath);
    if (!moving) {
      moving = new Set(this.findings.filter((f) => f.functionPath === functionPath && !f.suppressed && MOVING_RULES.has(f.ruleId))
        .map((f) => this.resourceAt(f.resourcePath)).filter((r): r is IConstruct => r !== undefined));
      this.moving.set(functionPath, moving);
    }
    return moving;
  }

  /** Whether `caller` names the function (its ARN or name) anywhere but in a `ServiceToken`. */
  private names(caller: CfnResource, fn: CfnResource): boolean {
    return this.refs.read(caller).refs.some((r) => r.target === fn && (r.attribute === 'Ref' || r.attribute === 'Arn')
      && r.path !== `Properties.${SERVICE_TOKEN}`);
  }

  /**
   * Who acts with `member`'s permission: for a role (the grant's, or a permission's principal), every
   * resource that runs as it, and every custom resource served by one of them; for a permission to a
   * service, the resource its `SourceArn` names.
   */
  private callersOf(member: CfnResource): CfnResource[] {
    const type = member.cfnResourceType;
    const roles = type === ROLE_TYPE ? [member]
      : POLICY_TYPES.has(type) ? ['Roles', 'Users', 'Groups'].flatMap((p) => this.refs.referencedAt(member, p).map((r) => r.target))
        : this.refs.referencedAt(member, 'Principal').map((r) => r.target);
    const sources = type === PERMISSION_TYPE ? this.refs.referencedAt(member, 'SourceArn').map((r) => r.target) : [];
    const runners = roles.flatMap((role) => this.referrersOf(role)
      .filter((r) => r.cfnResourceType !== ROLE_TYPE && !POLICY_TYPES.has(r.cfnResourceType)));
    const served = runners.flatMap((runner) => this.referrersOf(runner)
      .filter((r) => this.refs.referencedAt(r, SERVICE_TOKEN).some((t) => t.target === runner)));
    return [...new Set([...sources, ...runners, ...served])];
  }

  private referrersOf(target: CfnResource): CfnResource[] {
    const stack = Stack.of(target);
    let index = this.referrers.get(stack);
    if (!index) {
      index = new Map();
      for (const resource of stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack)) {
        for (const ref of this.refs.read(resource).refs) {
          const referrers = index.get(ref.target) ?? [];
          referrers.push(resource);
          index.set(ref.target, referrers);
        }
      }
      this.referrers.set(stack, index);
    }
    return [...new Set(index.get(target) ?? [])];
  }
}

function isPermissionOrGrant(ruleId: string, resource: CfnResource): boolean {
  return ruleId === GuardRules.LATEST_GRANT || resource.cfnResourceType === PERMISSION_TYPE;
}

/**
 * Issue #16 §3 (c): an invoker is rebound only once the permission for its new target exists. Each
 * rewritten binding, and whatever serves it (a REST API's stage), depends on the permissions and grants
 * that moved with it, unless that dependency would be a cycle (a permission whose `SourceArn` names its
 * invoker, as aws-cdk-lib's API Gateway and EventBridge permissions do): then it is said in an info.
 * The old permission needs nothing: a replaced `Lambda::Permission` is deleted in the cleanup phase,
 * after every resource has been updated.
 */
export function orderAfterPermissions(findings: readonly Finding[], rewrites: readonly MigrationRewrite[],
  servers: ReadonlyMap<CfnResource, readonly CfnResource[]>, refs: DeployReferences): void {
  const byResource = new Map<string, MigrationRewrite[]>();
  for (const w of rewrites) {
    const key = `${w.resource.node.path}\u0000${w.functionPath}`;
    byResource.set(key, [...byResource.get(key) ?? [], w]);
  }
  const rewritten = (path: string, propertyPath: string, functionPath: string): CfnResource | undefined => (byResource.get(`${path}\u0000${functionPath}`) ?? [])
    .find((w) => propertyPath === w.propertyPath || propertyPath.startsWith(w.propertyPath))?.resource;
  const cycles = new Map<CfnResource, CfnResource[]>();
  for (const group of findings) {
    const binding = rewritten(group.resourcePath, group.propertyPath, group.functionPath);
    if (!binding || group.ruleId === GuardRules.LATEST_GRANT || binding.cfnResourceType === PERMISSION_TYPE) {
      continue;
    }
    const moved = (group.relatedResources ?? []).map((r) => rewritten(r.resourcePath, r.propertyPath, group.functionPath))
      .filter((r): r is CfnResource => r !== undefined && r !== binding);
    // What serves a snapshot of the binding (a REST API's stage) moves with it. A permission whose
    // `SourceArn` names one of those is that one's; any other is the binding's and theirs.
    const serving = servers.get(binding) ?? [];
    for (const permission of moved) {
      const named = serving.filter((s) => refs.dependsDirectly(permission, s));
      for (const invoker of named.length > 0 ? named : [binding, ...serving]) {
        if (Stack.of(permission) !== Stack.of(invoker) || refs.dependsDirectly(invoker, permission)) {
          // Another stack is deployed before this one; a dependency that exists needs nothing.
          continue;
        }
        if (refs.reaches(permission, invoker)) {
          cycles.set(invoker, [...new Set([...cycles.get(invoker) ?? [], permission])]);
          continue;
        }
        refs.addDependency(invoker, permission);
      }
    }
  }
  for (const [invoker, permissions] of cycles) {
    const named = permissions.slice(0, 3).map((p) => p.node.path).join(', ') + (permissions.length > 3 ? ` and ${permissions.length - 3} more` : '');
    Annotations.of(invoker).addInfo(`MakeFunctionsSafe: ${invoker.node.path} is not ordered after its new permission (a cycle).\n`
      + `Not ordered after the alias's permission ${named}: the permission references this resource, so a dependency would be a cycle. `
      + 'For the moment between this resource\'s update '
      + 'and the permission\'s creation, its calls to the alias are denied; the bare function\'s permission lasts until the update completes.');
  }
}
