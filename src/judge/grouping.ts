import { GuardRules } from '../guard/guard-rules';

const PERMISSION_TYPE = 'AWS::Lambda::Permission';
const POLICY_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);
const MARKER = /@@ref(\d+)@@/g;

/**
 * A resource of a template, as ties read it. The construct guard makes them of `CfnResource`s
 * (src/guard/private/construct-resources.ts), `cdk-safe-lambda check` of template JSON
 * (src/cli/private/template-groups.ts).
 * Each is made once per resource: ties compare them by identity.
 */
export interface TemplateResource {
  /** `AWS::Lambda::Permission`. */
  readonly type: string;
  readonly logicalId: string;
  /** The stack (or template) the resource is in. */
  readonly stack: string;
  /** The CDK construct path (`aws:cdk:path`), when known: SAM and Serverless templates have none. */
  readonly constructPath?: string;
  /** The L2 construct the resource is the default child of (`Stack/Api/Default/GET` for `.../GET/Resource`), when known. */
  readonly owner?: Scope;
  /** The entry (`Properties` and the rest) as rendered, every reference recorded; read once. */
  rendered(): Rendering;
  /** What the resource (or its owner) depends on (`DependsOn`), each as a scope. */
  dependencies(): readonly Scope[];
}

/** A rendered entry and where it references which resource. */
export interface Rendering {
  readonly entry: any;
  readonly refs: ReadonlyArray<{ readonly path: string; readonly target: TemplateResource }>;
}

/** A part of the template: a construct's subtree, or one resource a `DependsOn` names. */
export interface Scope {
  contains(resource: TemplateResource): boolean;
  /** Whether a Lambda function is in it: then everything its permissions sit in is. */
  holdsFunction(): boolean;
}

/** A finding as grouping sees it: its rule, the resource it is about, the function it guards, and whether a suppression covers it. */
export interface Groupable {
  readonly ruleId: string;
  readonly resource: TemplateResource;
  /** How the findings name the guarded function (`''` for none): its construct path, or `Resources.<logicalId>` without one. */
  readonly functionPath: string;
  /** Tells apart the guarded functions of different templates that name them alike (default: `functionPath`). */
  readonly functionKey?: string;
  readonly suppressed: boolean;
}

/**
 * How a permission or grant is tied to a binding of the same function, weakest first. Each tie is read
 * from the construct tree (construct paths in a template) or the template, never from a list of services.
 */
enum Tie {
  NONE = 0,
  /** A permission without a `SourceArn` for the binding resource's own service (`AWS::AppSync::...` and `appsync.amazonaws.com`). */
  SERVICE = 1,
  /** The permission's `SourceArn` references what the binding references (the SNS topic of a subscription, an HTTP API of its integration); the grant's role is referenced by a resource the binding references. */
  REFERENCE = 2,
  /** The permission's `SourceArn` references the binding resource (an events rule, a user pool); the binding resource references the grant's role. */
  SOURCE = 3,
  /** The binding (or its L2 construct) depends on the permission (`grant.applyBefore(targetGroup)`; `DependsOn` in a template). */
  DEPENDENCY = 4,
  /** The permission sits in the binding's L2 construct (an API Gateway Method's `ApiPermission.*`; by construct path in a template). */
  OWNED = 5,
}

/**
 * The permissions and grants each binding's integration brought on the same function: the binding
 * finding (the head) → the permission and grant findings that join it, in the order they were found.
 * `read` tells what grouping needs of an entry.
 *
 * A permission or grant joins the binding of the same guarded function it is most strongly tied to (see
 * `Tie`); among equally tied bindings, the one nearest in the construct tree; when that leaves several,
 * none (it stays a finding of its own). A permission that is only tied by its service joins a binding
 * no other permission joined, and only when no other permission claims it. A suppressed permission or
 * grant never joins an unsuppressed binding, so that its suppression stays visible; a suppressed binding
 * takes its permissions and grants along, suppressed or not.
 */
export function groupFindings<T>(entries: readonly T[], read: (entry: T) => Groupable): Map<T, T[]> {
  const groups = new Map<T, T[]>();
  const of = new Map(entries.map((e) => [e, read(e)]));
  const g = (e: T) => of.get(e)!;
  const fn = (x: Groupable) => x.functionKey ?? x.functionPath;
  // The heads of each guarded function, in the order they were found.
  const headsOf = new Map<string, T[]>();
  for (const e of entries.filter((x) => isHead(g(x)))) {
    const heads = headsOf.get(fn(g(e))) ?? [];
    heads.push(e);
    headsOf.set(fn(g(e)), heads);
  }
  const members = entries.filter((e) => isMember(g(e)) && headsOf.has(fn(g(e))));
  if (members.length === 0) {
    return groups;
  }
  const ties = new TieReader();
  const byService = new Map<T, T[]>();
  for (const member of members) {
    const m = g(member);
    const candidates = headsOf.get(fn(m))!.filter((h) => g(h).suppressed || !m.suppressed);
    // The strongest tie first: when a binding's L2 construct holds the member, no other tie counts.
    const owned = candidates.filter((h) => ties.owned(g(h), m));
    const scored = owned.length > 0 ? owned.map((head) => ({ head, tie: Tie.OWNED }))
      : candidates.map((head) => ({ head, tie: ties.tie(g(head), m) })).filter((s) => s.tie !== Tie.NONE);
    const best = Math.max(Tie.NONE, ...scored.map((s) => s.tie));
    const nearest = nearestOf(scored.filter((s) => s.tie === best).map((s) => s.head), member, g);
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
    const free = candidates.filter((h) => !(groups.get(h) ?? []).some((m) => isPermission(g(m))));
    if (free.length === 1 && candidates.length === 1 && claims.get(free[0]) === 1) {
      join(groups, free[0], member);
    }
  }
  // In the order the members were found.
  const order = new Map(members.map((m, i) => [m, i]));
  for (const [head, joined] of groups) {
    groups.set(head, [...joined].sort((a, b) => order.get(a)! - order.get(b)!));
  }
  return groups;
}

function join<T>(groups: Map<T, T[]>, head: T, member: T): void {
  groups.set(head, [...(groups.get(head) ?? []), member]);
}

/** A finding a permission or grant can join: any finding of a function that is not one itself. */
function isHead(entry: Groupable): boolean {
  return !isMember(entry) && entry.functionPath !== ''
    && entry.ruleId !== GuardRules.UNUSED_SUPPRESSION && entry.ruleId !== GuardRules.GUARD_INTERNAL_ERROR;
}

/** A permission (whatever rule judged it: a durable function's is `SafeLambda-DurableLatest`) or a grant. */
function isMember(entry: Groupable): boolean {
  return isPermission(entry) || entry.ruleId === GuardRules.LATEST_GRANT;
}

function isPermission(entry: Groupable): boolean {
  return entry.resource.type === PERMISSION_TYPE;
}

/** How the tree names a resource: its construct path, or `Resources.<logicalId>` (then only the resource itself is near it). */
function pathOf(resource: TemplateResource): string {
  return resource.constructPath ?? `Resources.${resource.logicalId}`;
}

/** The heads nearest `member` in the construct tree (the longest common path). */
function nearestOf<T>(heads: T[], member: T, g: (e: T) => Groupable): T[] {
  const depths = heads.map((h) => commonDepth(pathOf(g(h).resource), pathOf(g(member).resource)));
  const deepest = Math.max(-1, ...depths);
  return heads.filter((_, i) => depths[i] === deepest);
}

/** The number of leading parts construct paths `a` and `b` share. */
export function commonDepth(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) {
    i++;
  }
  return i;
}

/** Reads ties, reading each resource's references (and each binding's own, each member's ends) once. */
class TieReader {
  private readonly direct = new Map<TemplateResource, Map<string, TemplateResource[]>>();
  private readonly ends = new Map<TemplateResource, TemplateResource[]>();
  private readonly referenced = new Map<TemplateResource, TemplateResource[]>();

  /** Whether the member sits in the binding's L2 construct (`Tie.OWNED`). */
  public owned(head: Groupable, member: Groupable): boolean {
    const owner = head.resource.owner;
    return owner !== undefined && owner.contains(member.resource) && !owner.holdsFunction();
  }

  public tie(head: Groupable, member: Groupable): Tie {
    const resource = member.resource;
    if (this.owned(head, member)) {
      return Tie.OWNED;
    }
    if (head.resource.dependencies().some((d) => d.contains(resource) && !d.holdsFunction())) {
      return Tie.DEPENDENCY;
    }
    const direct = this.directOf(head);
    const ends = this.endsOf(member);
    if (ends.some((e) => e === head.resource || (!isPermission(member) && direct.includes(e)))) {
      return Tie.SOURCE;
    }
    if (isPermission(member) ? ends.some((e) => direct.includes(e)) : direct.some((r) => this.targetsOf(r).some((t) => ends.includes(t)))) {
      return Tie.REFERENCE;
    }
    const permission = isPermission(member) ? resource.rendered().entry?.Properties : undefined;
    if (permission && permission.SourceArn === undefined && sameService(head.resource.type, permission.Principal)) {
      return Tie.SERVICE;
    }
    return Tie.NONE;
  }

  /** What the binding resource references, but the guarded function (and what is in it). */
  private directOf(head: Groupable): TemplateResource[] {
    let byFunction = this.direct.get(head.resource);
    if (!byFunction) {
      byFunction = new Map();
      this.direct.set(head.resource, byFunction);
    }
    let direct = byFunction.get(head.functionPath);
    if (!direct) {
      const guarded = (r: TemplateResource) => pathOf(r) === head.functionPath || pathOf(r).startsWith(`${head.functionPath}/`);
      direct = this.targetsOf(head.resource).filter((r) => !guarded(r));
      byFunction.set(head.functionPath, direct);
    }
    return direct;
  }

  /** The member's ends of the tie: what a permission is for, or whom a policy is attached to. */
  private endsOf(member: Groupable): TemplateResource[] {
    const resource = member.resource;
    let ends = this.ends.get(resource);
    if (!ends) {
      ends = isPermission(member) ? targets(resource, 'Properties.SourceArn')
        : POLICY_TYPES.has(resource.type)
          ? ['Properties.Roles', 'Properties.Users', 'Properties.Groups'].flatMap((p) => targets(resource, p))
          : [resource];
      this.ends.set(resource, ends);
    }
    return ends;
  }

  private targetsOf(resource: TemplateResource): TemplateResource[] {
    let found = this.referenced.get(resource);
    if (!found) {
      found = targets(resource);
      this.referenced.set(resource, found);
    }
    return found;
  }
}

/** The resources `resource` references (under `under`, a template path). */
function targets(resource: TemplateResource, under?: string): TemplateResource[] {
  return resource.rendered().refs.filter((r) => !under || r.path === under || r.path.startsWith(`${under}.`) || r.path.startsWith(`${under}[`)).map((r) => r.target);
}

/**
 * Calls `found` with each sentinel's index (`@@ref<n>@@`), and each logical ID of a rendered `Ref` or
 * `Fn::GetAtt`, in `value`, at its template path; with `sub`, also each `${LogicalId}` or
 * `${LogicalId.Attribute}` of an `Fn::Sub` (a template as written).
 */
export function collectReferences(value: unknown, found: (path: string, reference: number | string) => void, sub = false): void {
  // The path is kept as its parts and joined only for a reference: most of an entry references nothing.
  const parts: Array<string | number> = [];
  const at = () => parts.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      if (item.includes('@@ref')) {
        for (const match of item.matchAll(MARKER)) {
          found(at(), Number(match[1]));
        }
      }
    } else if (Array.isArray(item)) {
      item.forEach((element, i) => {
        parts.push(i);
        visit(element);
        parts.pop();
      });
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item);
      const rendered = keys.length === 1 ? renderedLogicalId(item) : undefined;
      if (rendered !== undefined) {
        found(at(), rendered);
      }
      const subArgs = sub && keys.length === 1 ? (item as any)['Fn::Sub'] : undefined;
      if (subArgs !== undefined) {
        const [text, variables] = Array.isArray(subArgs) ? subArgs : [subArgs, {}];
        for (const id of typeof text === 'string' ? substitutedIds(text) : []) {
          if (!(typeof variables === 'object' && variables !== null && id in variables)) {
            found(`${at()}.Fn::Sub`, id);
          }
        }
      }
      for (const key of keys) {
        parts.push(key);
        visit((item as any)[key]);
        parts.pop();
      }
    }
  };
  visit(value);
}

/** The logical IDs an `Fn::Sub` text substitutes (`${Topic}`, `${Fn.Arn}`), not pseudo parameters or `${!Literal}`. */
function substitutedIds(text: string): string[] {
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1].trim().split('.')[0]).filter((id) => !id.includes('::'));
}

/** The logical ID a rendered `{ Ref }` or `{ Fn::GetAtt }` (an object of one key) names; not a pseudo parameter (`AWS::Partition`). */
function renderedLogicalId(value: object): string | undefined {
  const ref = (value as any).Ref;
  const getAtt = (value as any)['Fn::GetAtt'];
  const id = typeof ref === 'string' ? ref
    : Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  return id?.includes('::') ? undefined : id;
}

/**
 * Whether the permission's principal is the binding resource's service: a label of the principal
 * (`appsync` in `appsync.amazonaws.com`, `cognito` in `cognito-idp`) begins the type's service
 * namespace (`AppSync` in `AWS::AppSync::GraphQLApi`, `elasticloadbalancing` in `ElasticLoadBalancingV2`).
 */
function sameService(bindingType: string, principal: unknown): boolean {
  const namespace = /^AWS::([A-Za-z0-9]+)::/.exec(bindingType)?.[1]?.toLowerCase();
  if (!namespace || typeof principal !== 'string' || !principal.endsWith('.amazonaws.com')) {
    return false;
  }
  return principal.slice(0, -'.amazonaws.com'.length).split('.')
    .map((label) => label.split('-')[0])
    .some((label) => label.length >= 3 && namespace.startsWith(label) && /^v?\d*$/.test(namespace.slice(label.length)));
}

/** A finding as reported after grouping: the binding (or a finding nothing joined), and the permissions and grants that joined it. */
export interface GroupedFinding<T> {
  readonly head: T;
  /** In the order they were found; empty when nothing joined. */
  readonly members: readonly T[];
}

/**
 * The findings as reported (issue #18: the one grouping of the construct guard and of `check`): every
 * finding that joined no other, each with the permissions and grants that joined it (see `groupFindings`).
 */
export function groupedFindings<T>(entries: readonly T[], read: (entry: T) => Groupable): Array<GroupedFinding<T>> {
  const groups = groupFindings(entries, read);
  const joined = new Set([...groups.values()].flat());
  return entries.filter((e) => !joined.has(e)).map((head) => ({ head, members: groups.get(head) ?? [] }));
}
