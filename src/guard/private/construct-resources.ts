import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { collectReferences, Rendering, Scope, TemplateResource } from '../../judge/grouping';
import { isCfnResource, isStack, isStage, stackOf } from '../../private/bindings/core';
import { FUNCTION_TYPE } from '../../private/bindings/occurrences';
import { elementsByLogicalId } from '../../private/logical-ids';
import { resolveRecordingReferences } from '../../private/references';

/**
 * The construct guard's resources: `CfnResource`s, rendered through tokens, their L2 owners and
 * dependencies read from the construct tree. One per run of the guard.
 */
export class ConstructResources {
  private readonly resources = new Map<CfnResource, TemplateResource>();
  private readonly scopes = new Map<IConstruct, Scope>();
  private readonly logicalIds = new Map<Stack, Map<string, CfnResource>>();

  /** The one view of `resource`. */
  public of(resource: CfnResource): TemplateResource {
    let view = this.resources.get(resource);
    if (!view) {
      view = this.view(resource);
      this.resources.set(resource, view);
    }
    return view;
  }

  private view(resource: CfnResource): TemplateResource {
    const owner = ownerOf(resource);
    let rendering: Rendering | undefined;
    let dependencies: Scope[] | undefined;
    return {
      type: resource.cfnResourceType,
      get logicalId() { return stackOf(resource).resolve(resource.logicalId); },
      get stack() { return stackOf(resource).node.path; },
      constructPath: resource.node.path,
      owner: owner === resource ? undefined : this.scope(owner),
      rendered: () => rendering ??= this.render(resource),
      dependencies: () => dependencies ??= [...new Set<IConstruct>([resource, owner])].flatMap((s) => s.node.dependencies.map((d) => this.scope(d))),
    };
  }

  /** A construct's subtree. */
  private scope(construct: IConstruct): Scope {
    let scope = this.scopes.get(construct);
    if (!scope) {
      let holds: boolean | undefined;
      const path = construct.node.path;
      scope = {
        contains: (r) => r.constructPath === path || (r.constructPath ?? '').startsWith(`${path}/`),
        holdsFunction: () => holds ??= [construct, ...construct.node.findAll()].some((c) => isCfnResource(c) && c.cfnResourceType === FUNCTION_TYPE),
      };
      this.scopes.set(construct, scope);
    }
    return scope;
  }

  /** The template entry of `resource`, every reference a sentinel, and the references. */
  private render(resource: CfnResource): Rendering {
    const refs: Array<{ path: string; target: TemplateResource }> = [];
    let entry: any;
    try {
      const { resolved, references } = resolveRecordingReferences(resource, (resource as any)._toCloudFormation(),
        (r) => isCfnResource(r.target), { keepJoins: true });
      entry = Object.values(resolved?.Resources ?? {})[0];
      collectReferences(entry, (path, reference) => {
        // A sentinel, or a logical ID rendered before we could see it (an `UpdatePolicy`, a raw override).
        const target = typeof reference === 'number' ? references[reference]?.target : this.byLogicalId(stackOf(resource)).get(reference);
        if (isCfnResource(target)) {
          refs.push({ path, target: this.of(target) });
        }
      });
    } catch {
      // A resource that does not render ties nothing: its findings stay findings of their own.
    }
    return { entry, refs };
  }

  /** Logical ID → resource of one stack, built once and only when a rendered reference shows up. */
  private byLogicalId(stack: Stack): Map<string, CfnResource> {
    let index = this.logicalIds.get(stack);
    if (!index) {
      index = elementsByLogicalId(stack, isCfnResource);
      this.logicalIds.set(stack, index);
    }
    return index;
  }
}

/** The L2 construct a resource is the default child of (`Stack/Api/Default/GET` for `.../GET/Resource`), else the resource. */
function ownerOf(resource: CfnResource): IConstruct {
  const parent = resource.node.scope;
  return parent && !isStack(parent) && !isStage(parent) && parent.node.defaultChild === resource ? parent : resource;
}
