import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { elementsByLogicalId } from '../../private/logical-ids';
import { resolveRecordingReferences } from '../../private/references';

/** One reference in a resource's template entry to another resource of the app. */
export interface ResourceReference {
  /** Where it sits in the entry: `Properties.RestApiId`, `DependsOn[0]`. */
  readonly path: string;
  readonly target: CfnResource;
  /** `Ref`, or the `Fn::GetAtt` attribute (`Arn`, `StateMachineRevisionId`). */
  readonly attribute: string;
}

const SENTINEL = /@@ref(\d+)@@/g;

/**
 * Reads what resources reference, as a deployment orders them (issue #16): `Ref`, `Fn::GetAtt` and
 * `DependsOn`, the last read from the construct tree as synthesis renders it. Each resource is
 * rendered once, with its escape-hatch overrides, so what the migration rewrote is read as rewritten.
 */
export class DeployReferences {
  private readonly rendered = new Map<CfnResource, { entry: any; refs: ResourceReference[] }>();
  private readonly byLogicalId = new Map<Stack, Map<string, CfnResource>>();
  private readonly dependencies = new Map<CfnResource, CfnResource[]>();
  private readonly closures = new Map<CfnResource, Set<CfnResource>>();
  private readonly added = new Map<CfnResource, CfnResource[]>();

  /** The resource's template entry (every reference a `@@ref<n>@@` sentinel) and its references. */
  public read(resource: CfnResource): { readonly entry: any; readonly refs: readonly ResourceReference[] } {
    let read = this.rendered.get(resource);
    if (!read) {
      read = this.render(resource);
      this.rendered.set(resource, read);
    }
    return read;
  }

  /** The resources referenced under `Properties.<property>`. */
  public referencedAt(resource: CfnResource, property: string): ResourceReference[] {
    const at = `Properties.${property}`;
    return this.read(resource).refs.filter((r) => r.path === at || r.path.startsWith(`${at}.`) || r.path.startsWith(`${at}[`));
  }

  /** What CloudFormation creates or updates before `resource`: what it references and what it depends on. */
  public before(resource: CfnResource): CfnResource[] {
    let found = this.dependencies.get(resource);
    if (!found) {
      const stack = Stack.of(resource);
      const explicit = dependenciesOf(resource).filter((d) => Stack.of(d) === stack);
      found = [...new Set([...this.read(resource).refs.map((r) => r.target).filter((t) => Stack.of(t) === stack), ...explicit])];
      this.dependencies.set(resource, found);
    }
    return found;
  }

  /** Whether `from` references `to` or depends on it itself (not through another resource). */
  public dependsDirectly(from: CfnResource, to: CfnResource): boolean {
    return this.before(from).includes(to) || (this.added.get(from) ?? []).includes(to);
  }

  /** Makes `from` depend on `to` (`DependsOn`), and remembers it for the next `reaches`. */
  public addDependency(from: CfnResource, to: CfnResource): void {
    from.addDependency(to);
    this.added.set(from, [...this.added.get(from) ?? [], to]);
  }

  /**
   * Whether `to` is created or updated before `from`, through any chain of references and dependencies,
   * those added since included. What each resource reaches in the graph as rendered is computed once.
   */
  public reaches(from: CfnResource, to: CfnResource): boolean {
    if (this.dependsDirectly(from, to)) {
      return true;
    }
    let reached = this.closure(from);
    if (reached.has(to)) {
      return true;
    }
    // Follow the dependencies added since: few, each a rebound invoker's on one permission.
    let grown = true;
    while (grown) {
      grown = false;
      for (const [source, targets] of this.added) {
        if (source !== from && !reached.has(source)) {
          continue;
        }
        for (const target of targets.filter((t) => !reached.has(t))) {
          if (target === to || this.closure(target).has(to)) {
            return true;
          }
          reached = new Set([...reached, target, ...this.closure(target)]);
          grown = true;
        }
      }
    }
    return false;
  }

  /** Everything `resource` reaches in the graph as rendered (without the dependencies added since). */
  private closure(resource: CfnResource): Set<CfnResource> {
    const known = this.closures.get(resource);
    if (known) {
      return known;
    }
    // Marked while it is computed: a cycle in the user's graph (CloudFormation would refuse it) ends here.
    const reached = new Set<CfnResource>();
    this.closures.set(resource, reached);
    for (const next of this.before(resource)) {
      reached.add(next);
      for (const further of this.closure(next)) {
        reached.add(further);
      }
    }
    return reached;
  }

  private render(resource: CfnResource): { entry: any; refs: ResourceReference[] } {
    const refs: ResourceReference[] = [];
    let entry: any;
    try {
      const { resolved, references } = resolveRecordingReferences(resource, (resource as any)._toCloudFormation(),
        (r) => CfnResource.isCfnResource(r.target), { keepJoins: true });
      entry = Object.values(resolved?.Resources ?? {})[0] ?? {};
      visit(entry, '', (path, value) => {
        for (const match of value.matchAll(SENTINEL)) {
          const reference = references[Number(match[1])];
          refs.push({ path, target: reference.target as CfnResource, attribute: reference.attribute });
        }
      }, (path, logicalId, attribute) => {
        // A logical ID rendered before we could see it (an `UpdatePolicy`, a raw override).
        const target = this.index(Stack.of(resource)).get(logicalId);
        if (target) {
          refs.push({ path, target, attribute });
        }
      });
    } catch {
      // A resource that does not render references nothing we can read.
      entry = entry ?? {};
    }
    return { entry, refs };
  }

  private index(stack: Stack): Map<string, CfnResource> {
    let index = this.byLogicalId.get(stack);
    if (!index) {
      index = elementsByLogicalId(stack, (c): c is CfnResource => CfnResource.isCfnResource(c));
      this.byLogicalId.set(stack, index);
    }
    return index;
  }
}

/**
 * The resources `resource` depends on (`DependsOn`), as synthesis computes them: the dependencies of
 * the resource and of every construct above it, each expanded to the resources under it.
 */
function dependenciesOf(resource: CfnResource): CfnResource[] {
  const found = new Set<CfnResource>();
  for (let scope: IConstruct | undefined = resource; scope && !Stack.isStack(scope); scope = scope.node.scope) {
    for (const dependency of scope.node.dependencies) {
      for (const c of [dependency, ...dependency.node.findAll()]) {
        if (CfnResource.isCfnResource(c) && c !== resource && !isUnder(resource, c)) {
          found.add(c);
        }
      }
    }
  }
  for (const d of (resource as any).obtainDependencies?.() ?? []) {
    if (CfnResource.isCfnResource(d)) {
      found.add(d);
    }
  }
  return [...found];
}

function isUnder(resource: IConstruct, scope: IConstruct): boolean {
  return resource.node.path.startsWith(`${scope.node.path}/`);
}

function visit(value: unknown, path: string, sentinel: (path: string, text: string) => void,
  raw: (path: string, logicalId: string, attribute: string) => void): void {
  if (typeof value === 'string') {
    if (value.includes('@@ref')) {
      sentinel(path, value);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => visit(item, `${path}[${i}]`, sentinel, raw));
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const ref = (value as any).Ref;
    const getAtt = (value as any)['Fn::GetAtt'];
    if (keys.length === 1 && typeof ref === 'string' && !ref.includes('::')) {
      raw(path, ref, 'Ref');
    } else if (keys.length === 1 && Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      raw(path, getAtt[0], String(getAtt[1]));
    }
    for (const key of keys) {
      visit((value as any)[key], path === '' ? key : `${path}.${key}`, sentinel, raw);
    }
  }
}
