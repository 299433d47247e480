import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isCfnResource, isStack, isStage, stackOf } from './core';
import { RawFinding } from './engine';
import { FUNCTION_TYPE } from './occurrences';
import { resolveRecordingReferences } from '../../private/references';
import { GuardRules } from '../guard-rules';

const PERMISSION_TYPE = 'AWS::Lambda::Permission';
const POLICY_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);
const MARKER = /@@ref(\d+)@@/g;

/** A finding as grouping sees it: what was found, and whether a suppression covers it. */
export interface Groupable {
  readonly raw: RawFinding;
  readonly suppressed: boolean;
}

/**
 * How a permission or grant is tied to a binding of the same function, weakest first. Each tie is read
 * from the construct tree or the template, never from a list of services.
 */
enum Tie {
  NONE = 0,
  /** A permission without a `SourceArn` for the binding resource's own service (`AWS::AppSync::...` and `appsync.amazonaws.com`). */
  SERVICE = 1,
  /** The permission's `SourceArn` references what the binding references (the SNS topic of a subscription, an HTTP API of its integration); the grant's role is referenced by a resource the binding references. */
  REFERENCE = 2,
  /** The permission's `SourceArn` references the binding resource (an events rule, a user pool); the binding resource references the grant's role. */
  SOURCE = 3,
  /** The binding (or its L2 construct) depends on the permission (`grant.applyBefore(targetGroup)`). */
  DEPENDENCY = 4,
  /** The permission sits in the binding's L2 construct (an API Gateway Method's `ApiPermission.*`). */
  OWNED = 5,
}

/**
 * The permissions and grants each binding's integration brought on the same function: the binding
 * finding (the head) → the permission and grant findings that join it, in the order they were found.
 *
 * A permission or grant joins the binding of the same guarded function it is most strongly tied to (see
 * `Tie`); among equally tied bindings, the one nearest in the construct tree; when that leaves several,
 * none (it stays a finding of its own). A permission that is only tied by its service joins a binding
 * no other permission joined, and only when no other permission claims it. A suppressed permission or
 * grant never joins an unsuppressed binding, so that its suppression stays visible; a suppressed binding
 * takes its permissions and grants along, suppressed or not.
 */
export function groupFindings<T extends Groupable>(entries: readonly T[]): Map<T, T[]> {
  const groups = new Map<T, T[]>();
  const heads = entries.filter(isHead);
  const members = entries.filter((e) => isMember(e.raw) && heads.some((h) => h.raw.functionPath === e.raw.functionPath));
  if (members.length === 0) {
    return groups;
  }
  const ties = new TieReader();
  const byService = new Map<T, T[]>();
  for (const member of members) {
    const candidates = heads.filter((h) => h.raw.functionPath === member.raw.functionPath && (h.suppressed || !member.suppressed));
    const scored = candidates.map((head) => ({ head, tie: ties.tie(head.raw, member.raw) })).filter((s) => s.tie !== Tie.NONE);
    const best = Math.max(Tie.NONE, ...scored.map((s) => s.tie));
    const nearest = nearestOf(scored.filter((s) => s.tie === best).map((s) => s.head), member);
    if (best === Tie.SERVICE) {
      byService.set(member, nearest);
    } else if (nearest.length === 1) {
      join(groups, nearest[0], member);
    }
  }
  const claims = new Map<T, number>();
  for (const heads_ of byService.values()) {
    heads_.forEach((h) => claims.set(h, (claims.get(h) ?? 0) + 1));
  }
  for (const [member, candidates] of byService) {
    const free = candidates.filter((h) => !(groups.get(h) ?? []).some((m) => isPermission(m.raw)));
    if (free.length === 1 && candidates.length === 1 && claims.get(free[0]) === 1) {
      join(groups, free[0], member);
    }
  }
  // In the order the members were found.
  for (const [head, joined] of groups) {
    groups.set(head, members.filter((m) => joined.includes(m)));
  }
  return groups;
}

function join<T>(groups: Map<T, T[]>, head: T, member: T): void {
  groups.set(head, [...(groups.get(head) ?? []), member]);
}

/** A finding a permission or grant can join: any finding of a function that is not one itself. */
function isHead(entry: Groupable): boolean {
  const raw = entry.raw;
  return !isMember(raw) && raw.functionPath !== ''
    && raw.ruleId !== GuardRules.UNUSED_SUPPRESSION && raw.ruleId !== GuardRules.GUARD_INTERNAL_ERROR;
}

/** A permission (whatever rule judged it: a durable function's is `SafeLambda-DurableLatest`) or a grant. */
function isMember(raw: RawFinding): boolean {
  return isPermission(raw) || raw.ruleId === GuardRules.LATEST_GRANT;
}

function isPermission(raw: RawFinding): boolean {
  return raw.resource.cfnResourceType === PERMISSION_TYPE;
}

/** The heads nearest `member` in the construct tree (the longest common path). */
function nearestOf<T extends Groupable>(heads: T[], member: T): T[] {
  const depths = heads.map((h) => commonDepth(h.raw.resource.node.path, member.raw.resource.node.path));
  const deepest = Math.max(-1, ...depths);
  return heads.filter((_, i) => depths[i] === deepest);
}

function commonDepth(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) {
    i++;
  }
  return i;
}

/** A reference in a resource's template entry: where, and to what. */
interface Ref {
  readonly path: string;
  readonly target: CfnResource;
}

/** Reads ties, rendering each resource (and reading each construct's subtree) once. */
class TieReader {
  private readonly rendered = new Map<CfnResource, { entry: any; refs: Ref[] }>();
  private readonly holdsFunction = new Map<IConstruct, boolean>();
  private readonly logicalIds = new Map<Stack, Map<string, CfnResource>>();

  public tie(head: RawFinding, member: RawFinding): Tie {
    const resource = member.resource;
    const owner = ownerOf(head.resource);
    if (owner !== head.resource && contains(owner, resource) && !this.holdsAFunction(owner)) {
      return Tie.OWNED;
    }
    for (const scope of new Set<IConstruct>([head.resource, owner])) {
      if (scope.node.dependencies.some((d) => contains(d, resource) && !this.holdsAFunction(d))) {
        return Tie.DEPENDENCY;
      }
    }
    const guarded = (r: CfnResource) => r.node.path === head.functionPath || r.node.path.startsWith(`${head.functionPath}/`);
    const direct = this.targets(head.resource).filter((r) => !guarded(r));
    // The members' ends of the tie: what a permission is for, or whom a policy is attached to.
    const ends = isPermission(member) ? this.targets(resource, 'Properties.SourceArn')
      : POLICY_TYPES.has(resource.cfnResourceType)
        ? ['Properties.Roles', 'Properties.Users', 'Properties.Groups'].flatMap((p) => this.targets(resource, p))
        : [resource];
    if (ends.some((e) => e === head.resource || (!isPermission(member) && direct.includes(e)))) {
      return Tie.SOURCE;
    }
    const indirect = isPermission(member) ? direct : direct.flatMap((r) => this.targets(r));
    if (ends.some((e) => indirect.includes(e))) {
      return Tie.REFERENCE;
    }
    const permission = isPermission(member) ? this.render(resource).entry?.Properties : undefined;
    if (permission && permission.SourceArn === undefined && sameService(head.resource, permission.Principal)) {
      return Tie.SERVICE;
    }
    return Tie.NONE;
  }

  /** The resources `resource` references (under `under`, a template path), through tokens. */
  private targets(resource: CfnResource, under?: string): CfnResource[] {
    return this.render(resource).refs.filter((r) => !under || r.path === under || r.path.startsWith(`${under}.`) || r.path.startsWith(`${under}[`)).map((r) => r.target);
  }

  /** The template entry of `resource`, every reference a sentinel, and the references. */
  private render(resource: CfnResource): { entry: any; refs: Ref[] } {
    let rendering = this.rendered.get(resource);
    if (!rendering) {
      const refs: Ref[] = [];
      let entry: any;
      try {
        const { resolved, references } = resolveRecordingReferences(resource, (resource as any)._toCloudFormation(),
          (r) => isCfnResource(r.target), { keepJoins: true });
        entry = Object.values(resolved?.Resources ?? {})[0];
        collect(entry, '', (path, reference) => {
          // A sentinel, or a logical ID rendered before we could see it (an `UpdatePolicy`, a raw override).
          const target = typeof reference === 'number' ? references[reference]?.target : this.byLogicalId(stackOf(resource)).get(reference);
          if (isCfnResource(target)) {
            refs.push({ path, target });
          }
        });
      } catch {
        // A resource that does not render ties nothing: its findings stay findings of their own.
      }
      rendering = { entry, refs };
      this.rendered.set(resource, rendering);
    }
    return rendering;
  }

  /** Logical ID → resource of one stack, built once and only when a rendered reference shows up. */
  private byLogicalId(stack: Stack): Map<string, CfnResource> {
    let index = this.logicalIds.get(stack);
    if (!index) {
      index = new Map();
      for (const node of stack.node.findAll()) {
        if (isCfnResource(node) && stackOf(node) === stack) {
          index.set(stack.resolve(node.logicalId), node);
        }
      }
      this.logicalIds.set(stack, index);
    }
    return index;
  }

  /** Whether a Lambda function is in `scope`'s subtree: then everything its permissions sit in is. */
  private holdsAFunction(scope: IConstruct): boolean {
    let holds = this.holdsFunction.get(scope);
    if (holds === undefined) {
      holds = [scope, ...scope.node.findAll()].some((c) => isCfnResource(c) && c.cfnResourceType === FUNCTION_TYPE);
      this.holdsFunction.set(scope, holds);
    }
    return holds;
  }
}

/** Calls `found` with each sentinel's index, and each logical ID of a rendered `Ref` or `Fn::GetAtt`, in `value`. */
function collect(value: unknown, path: string, found: (path: string, reference: number | string) => void): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(MARKER)) {
      found(path, Number(match[1]));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, `${path}[${i}]`, found));
  } else if (typeof value === 'object' && value !== null) {
    const rendered = renderedLogicalId(value);
    if (rendered !== undefined) {
      found(path, rendered);
    }
    for (const [key, item] of Object.entries(value)) {
      collect(item, path ? `${path}.${key}` : key, found);
    }
  }
}

/** The logical ID a rendered `{ Ref }` or `{ Fn::GetAtt }` names; not a pseudo parameter (`AWS::Partition`). */
function renderedLogicalId(value: object): string | undefined {
  if (Object.keys(value).length !== 1) {
    return undefined;
  }
  const ref = (value as any).Ref;
  const getAtt = (value as any)['Fn::GetAtt'];
  const id = typeof ref === 'string' ? ref
    : Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  return id?.includes('::') ? undefined : id;
}

/** The L2 construct a resource is the default child of (`Stack/Api/Default/GET` for `.../GET/Resource`), else the resource. */
function ownerOf(resource: CfnResource): IConstruct {
  const parent = resource.node.scope;
  return parent && !isStack(parent) && !isStage(parent) && parent.node.defaultChild === resource ? parent : resource;
}

function contains(scope: IConstruct, node: IConstruct): boolean {
  return node.node.path === scope.node.path || node.node.path.startsWith(`${scope.node.path}/`);
}

/**
 * Whether the permission's principal is the binding resource's service: a label of the principal
 * (`appsync` in `appsync.amazonaws.com`, `cognito` in `cognito-idp`) begins the type's service
 * namespace (`AppSync` in `AWS::AppSync::GraphQLApi`, `elasticloadbalancing` in `ElasticLoadBalancingV2`).
 */
function sameService(binding: CfnResource, principal: unknown): boolean {
  const namespace = /^AWS::([A-Za-z0-9]+)::/.exec(binding.cfnResourceType)?.[1]?.toLowerCase();
  if (!namespace || typeof principal !== 'string' || !principal.endsWith('.amazonaws.com')) {
    return false;
  }
  return principal.slice(0, -'.amazonaws.com'.length).split('.')
    .map((label) => label.split('-')[0])
    .some((label) => label.length >= 3 && namespace.startsWith(label) && /^v?\d*$/.test(namespace.slice(label.length)));
}
