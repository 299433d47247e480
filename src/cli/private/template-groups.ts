import { cdkPathOf, SAM_FUNCTION_TYPE } from './template-references';
import { LoadedTemplate } from './template-source';
import { collectReferences, commonDepth, Rendering, Scope, TemplateResource } from '../../judge/grouping';
import { FUNCTION_TYPE } from '../../private/bindings/occurrences';

/**
 * The resources of the templates `check` reads, as the guard's grouping (`groupFindings`) reads them:
 * references from the template JSON (`Ref`, `Fn::GetAtt`, `Fn::Sub`, within one template), `DependsOn`,
 * and the construct tree from `aws:cdk:path` metadata where the CDK wrote it.
 */
export class TemplateResources {
  private readonly resources = new Map<LoadedTemplate, Map<string, TemplateResource>>();
  private readonly owners = new Map<string, Scope>();
  private functionScopes: Set<string> | undefined;

  constructor(private readonly templates: LoadedTemplate[]) {}

  /** The one view of `Resources.<logicalId>` of `t`; undefined when there is no such resource. */
  public of(t: LoadedTemplate, logicalId: string): TemplateResource | undefined {
    let byId = this.resources.get(t);
    if (!byId) {
      byId = new Map();
      this.resources.set(t, byId);
    }
    let view = byId.get(logicalId);
    const resource = t.template.Resources?.[logicalId];
    if (!view && typeof resource === 'object' && resource !== null) {
      view = this.view(t, logicalId, resource);
      byId.set(logicalId, view);
    }
    return view;
  }

  private view(t: LoadedTemplate, logicalId: string, resource: any): TemplateResource {
    const constructPath = cdkPathOf(resource);
    let rendering: Rendering | undefined;
    let dependencies: Scope[] | undefined;
    const self: TemplateResource = {
      type: String(resource.Type),
      logicalId,
      stack: t.stackName,
      constructPath,
      owner: this.ownerOf(constructPath),
      rendered: () => rendering ??= this.render(t, resource),
      dependencies: () => dependencies ??= this.dependsOn(t, self, resource.DependsOn),
    };
    return self;
  }

  /** The entry with every `Ref`, `Fn::GetAtt` and `Fn::Sub` of a resource of the same template recorded. */
  private render(t: LoadedTemplate, resource: any): Rendering {
    const { Metadata: _m, ...entry } = resource;
    const refs: Array<{ path: string; target: TemplateResource }> = [];
    collectReferences(entry, (path, reference) => {
      const target = typeof reference === 'string' ? this.of(t, reference) : undefined;
      if (target) {
        refs.push({ path, target });
      }
    }, true);
    return { entry, refs };
  }

  /**
   * The L2 construct a resource is the default child of: its construct path without a last `Resource`
   * or `Default` (the ids of a default child), unless that leaves a top-level stack.
   */
  private ownerOf(constructPath: string | undefined): Scope | undefined {
    const cut = constructPath?.lastIndexOf('/') ?? -1;
    const id = cut < 0 ? undefined : constructPath!.slice(cut + 1);
    const path = id === 'Resource' || id === 'Default' ? constructPath!.slice(0, cut) : undefined;
    if (path === undefined || !path.includes('/')) {
      return undefined;
    }
    let scope = this.owners.get(path);
    if (!scope) {
      let holds: boolean | undefined;
      scope = {
        contains: (r) => isUnder(r.constructPath, path),
        holdsFunction: () => holds ??= this.holdsFunction(path),
      };
      this.owners.set(path, scope);
    }
    return scope;
  }

  /** Whether a Lambda function of any template is at or under construct path `path`. */
  private holdsFunction(path: string): boolean {
    if (!this.functionScopes) {
      this.functionScopes = new Set();
      for (const t of this.templates) {
        for (const resource of Object.values<any>(t.template.Resources ?? {})) {
          const p = resource?.Type === FUNCTION_TYPE || resource?.Type === SAM_FUNCTION_TYPE ? cdkPathOf(resource) : undefined;
          const parts = p?.split('/') ?? [];
          parts.forEach((_, i) => this.functionScopes!.add(parts.slice(0, i + 1).join('/')));
        }
      }
    }
    return this.functionScopes.has(path);
  }

  /**
   * Each resource `DependsOn` names. The CDK writes a dependency on a construct as a `DependsOn` on each
   * resource in it: one naming a function as well holds that function when the function is nearer it
   * in the construct tree than the depending resource is (without construct paths, never).
   */
  private dependsOn(t: LoadedTemplate, self: TemplateResource, dependsOn: unknown): Scope[] {
    const targets = (Array.isArray(dependsOn) ? dependsOn : [dependsOn])
      .map((id) => (typeof id === 'string' ? this.of(t, id) : undefined))
      .filter((r): r is TemplateResource => r !== undefined);
    const functions = targets.filter((r) => r.type === FUNCTION_TYPE || r.type === SAM_FUNCTION_TYPE);
    return targets.map((target) => ({
      contains: (r) => r === target,
      holdsFunction: () => functions.some((f) => depth(f, target) > depth(self, target)),
    }));
  }
}

/** Whether construct path `p` is `scope` or in it. */
function isUnder(p: string | undefined, scope: string): boolean {
  return p !== undefined && p.startsWith(scope) && (p.length === scope.length || p.charCodeAt(scope.length) === 47 /* / */);
}

/** The depth of the construct path `a` and `b` share (0 without paths). */
function depth(a: TemplateResource, b: TemplateResource): number {
  return a.constructPath === undefined || b.constructPath === undefined ? 0 : commonDepth(a.constructPath, b.constructPath);
}
