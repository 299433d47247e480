import { valueAt } from '../fixtures/template-paths';

/**
 * Reading a synthesized cloud assembly as a deployment would (issue #16 §3): which function and
 * qualifier a value names, what a role or a resource policy allows, and in which order CloudFormation
 * creates and updates resources. Templates only: no construct is consulted.
 */

/** A function a value names: its logical ID (in `stack`) and the qualifier (`''` for the bare function, `live`, `*`). */
export interface Named {
  readonly stack: string;
  readonly fn: string;
  readonly qualifier: string;
}

/** Every stack's template of an assembly, and every export, to follow `Fn::ImportValue`. */
export class AssemblyView {
  private readonly exports = new Map<string, { stack: string; value: unknown }>();

  constructor(public readonly templates: Record<string, any>) {
    for (const [stack, template] of Object.entries(templates)) {
      for (const output of Object.values<any>(template.Outputs ?? {})) {
        const name = output.Export?.Name;
        if (typeof name === 'string') {
          this.exports.set(name, { stack, value: output.Value });
        }
      }
    }
  }

  public resource(stack: string, id: string): any {
    return this.templates[stack]?.Resources?.[id];
  }

  /** The functions `value` (in `stack`'s template) names, each with the qualifier the text gives it. */
  public named(stack: string, value: unknown): Named[] {
    const found: Named[] = [];
    this.walk(stack, value, found);
    return found;
  }

  private walk(stack: string, value: unknown, found: Named[], qualifierAfter?: string): void {
    if (Array.isArray(value)) {
      value.forEach((v) => this.walk(stack, v, found));
      return;
    }
    if (typeof value !== 'object' || value === null) {
      return;
    }
    const v = value as any;
    const single = this.single(stack, v);
    if (single) {
      found.push(qualifierAfter !== undefined && single.qualifier === '' ? { ...single, qualifier: qualifierAfter } : single);
      return;
    }
    if (v['Fn::ImportValue'] !== undefined && typeof v['Fn::ImportValue'] === 'string') {
      const exported = this.exports.get(v['Fn::ImportValue']);
      if (exported) {
        this.walk(exported.stack, exported.value, found, qualifierAfter);
      }
      return;
    }
    const join = v['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) {
      const parts = join[1];
      parts.forEach((part: unknown, i: number) => {
        const next = parts[i + 1];
        const after = typeof next === 'string' && next.startsWith(':') ? next.slice(1).split(/[:/"]/)[0] : undefined;
        this.walk(stack, part, found, after);
      });
      return;
    }
    const select = v['Fn::Select'];
    if (Array.isArray(select)) {
      // `Fn::Select [6, Fn::Split [':', <alias ARN>]]` is the function's name: the qualifier is what follows.
      // Other parts of an ARN (partition, region) name no function.
      if (select[0] !== 6 && select[0] !== '6') {
        return;
      }
      const inner: Named[] = [];
      this.walk(stack, select[1], inner);
      inner.forEach((n) => found.push({ ...n, qualifier: qualifierAfter ?? '' }));
      return;
    }
    for (const item of Object.values(v)) {
      this.walk(stack, item, found);
    }
  }

  /** A `Ref` or `Fn::GetAtt ... Arn` of a function or an alias. */
  private single(stack: string, v: any): Named | undefined {
    const keys = Object.keys(v);
    if (keys.length !== 1) {
      return undefined;
    }
    const id = typeof v.Ref === 'string' ? v.Ref : Array.isArray(v['Fn::GetAtt']) && v['Fn::GetAtt'][1] === 'Arn' ? v['Fn::GetAtt'][0] : undefined;
    const resource = id === undefined ? undefined : this.resource(stack, id);
    if (resource?.Type === 'AWS::Lambda::Function') {
      return { stack, fn: id, qualifier: '' };
    }
    if (resource?.Type === 'AWS::Lambda::Alias') {
      const [target] = this.named(stack, resource.Properties.FunctionName);
      return target ? { ...target, qualifier: String(resource.Properties.Name) } : undefined;
    }
    return undefined;
  }
}

/** Whether IAM lets an identity whose policy lists `granted` call `call` (Lambda compares the qualifier: deploy-semantics §4). */
export function iamCovers(granted: readonly Named[], literals: readonly string[], call: Named): boolean {
  if (literals.includes('*')) {
    return true;
  }
  return granted.some((g) => g.stack === call.stack && g.fn === call.fn
    && (g.qualifier === call.qualifier || (g.qualifier === '*' && call.qualifier !== '')));
}

const INVOKE_ACTIONS = /^lambda:(\*|Invoke\*|InvokeFunction)$/;

/** The functions a role may invoke, read from every IAM policy attached to it and its inline policies. */
export function roleGrants(view: AssemblyView, stack: string, role: string): { named: Named[]; literals: string[] } {
  const named: Named[] = [];
  const literals: string[] = [];
  const documents: unknown[] = [];
  for (const resource of Object.values<any>(view.templates[stack].Resources)) {
    if ((resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
      && JSON.stringify(resource.Properties.Roles ?? []).includes(JSON.stringify({ Ref: role }))) {
      documents.push(resource.Properties.PolicyDocument);
    }
  }
  for (const policy of view.resource(stack, role)?.Properties?.Policies ?? []) {
    documents.push(policy.PolicyDocument);
  }
  for (const document of documents as any[]) {
    for (const statement of document?.Statement ?? []) {
      const actions = [statement.Action].flat();
      if (statement.Effect !== 'Allow' || !actions.some((a: unknown) => typeof a === 'string' && INVOKE_ACTIONS.test(a))) {
        continue;
      }
      for (const resource of [statement.Resource].flat()) {
        if (typeof resource === 'string') {
          literals.push(resource);
        } else {
          named.push(...view.named(stack, resource));
        }
      }
    }
  }
  return { named, literals };
}

/** The `Lambda::Permission`s of the assembly: whom they allow, and on which function and qualifier. */
export function permissions(view: AssemblyView): Array<{ stack: string; id: string; principal: unknown; on: Named[] }> {
  const found: Array<{ stack: string; id: string; principal: unknown; on: Named[] }> = [];
  for (const [stack, template] of Object.entries<any>(view.templates)) {
    for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
      if (resource.Type === 'AWS::Lambda::Permission') {
        found.push({ stack, id, principal: resource.Properties.Principal, on: view.named(stack, resource.Properties.FunctionName) });
      }
    }
  }
  return found;
}

/** What a resource waits for in a deployment: `DependsOn`, `Ref`, `Fn::GetAtt`, `Fn::Sub` references. */
export function dependenciesOf(template: any, id: string): string[] {
  const resource = template.Resources[id];
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      const v = value as any;
      if (typeof v.Ref === 'string' && template.Resources[v.Ref]) {
        found.add(v.Ref);
      }
      if (Array.isArray(v['Fn::GetAtt']) && template.Resources[v['Fn::GetAtt'][0]]) {
        found.add(v['Fn::GetAtt'][0]);
      }
      const sub = v['Fn::Sub'];
      const text = Array.isArray(sub) ? sub[0] : sub;
      if (typeof text === 'string') {
        for (const match of text.matchAll(/\$\{([^!}.]+)[^}]*\}/g)) {
          if (template.Resources[match[1]]) {
            found.add(match[1]);
          }
        }
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(resource.Properties ?? {});
  visit(resource.UpdatePolicy ?? {});
  found.delete(id);
  return [...found];
}

/** Whether CloudFormation handles `to` before `from` (through any chain of dependencies). */
export function reaches(template: any, from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    for (const next of dependenciesOf(template, queue.shift()!)) {
      if (next === to) {
        return true;
      }
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

/** A dependency cycle of the template (CloudFormation refuses one), as its logical IDs, or undefined. */
export function cycleOf(template: any): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') {
      return undefined;
    }
    if (state.get(id) === 'open') {
      return [...path.slice(path.indexOf(id)), id];
    }
    state.set(id, 'open');
    path.push(id);
    for (const next of dependenciesOf(template, id)) {
      const cycle = visit(next);
      if (cycle) {
        return cycle;
      }
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(template.Resources ?? {})) {
    const cycle = visit(id);
    if (cycle) {
      return cycle;
    }
  }
  return undefined;
}

/** The value at a finding's property path of a resource, by logical ID. */
export function propertyOf(template: any, id: string, propertyPath: string): unknown {
  return valueAt(template.Resources[id], propertyPath);
}
