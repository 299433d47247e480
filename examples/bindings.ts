/**
 * Reads a synthesized template the way the demo prints it: every place a Lambda function is bound,
 * and which form of it the template binds (an alias, a version, or the unqualified function, i.e.
 * `$LATEST`). Shared by `demo.ts` and the examples' test.
 */

export type Template = { Resources: Record<string, { Type: string; Properties?: unknown }> };

/** One place a function is bound. */
export interface Binding {
  /** The binding resource's type and logical ID. */
  readonly type: string;
  readonly logicalId: string;
  /** Where in the resource (`Properties.FunctionName`). */
  readonly path: string;
  /** What it binds: `alias`, `version`, `qualified` (`name:*` and other suffixed names) or `$LATEST`. */
  readonly kind: 'alias' | 'version' | 'qualified' | '$LATEST';
  /** The bound form, for people: `function:ApiFunction6BF808ED:live  (alias)`. */
  readonly form: string;
}

// A function's own plumbing: these reference the unqualified function by design and invoke nothing.
const NOT_BINDINGS = new Set(['AWS::Lambda::Version', 'AWS::Lambda::Alias', 'AWS::Lambda::EventInvokeConfig', 'AWS::Logs::LogGroup']);

/** Every binding of a Lambda function, alias or version in `template`. */
export function bindingsOf(template: Template): Binding[] {
  const resources = template.Resources;
  const props = (logicalId: string) => resources[logicalId]?.Properties as { Name?: string; FunctionName?: { Ref?: string } } | undefined;
  const bindings: Binding[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (NOT_BINDINGS.has(resource.Type)) continue;
    for (const { path, target, suffix } of references(resource.Properties, 'Properties')) {
      const type = resources[target]?.Type;
      let kind: Binding['kind'];
      let form: string;
      if (type === 'AWS::Lambda::Alias') {
        kind = 'alias';
        form = `function:${props(target)?.FunctionName?.Ref}:${props(target)?.Name}  (alias)`;
      } else if (type === 'AWS::Lambda::Version') {
        kind = 'version';
        form = `${target}  (version)`;
      } else if (type === 'AWS::Lambda::Function' && suffix.startsWith(':')) {
        // `${fn.functionArn}:*`, as grantInvoke writes it: every version and alias, never $LATEST.
        kind = 'qualified';
        form = `function:${target}${suffix.split(/[/"]/)[0]}  (qualified)`;
      } else if (type === 'AWS::Lambda::Function') {
        kind = '$LATEST';
        form = `${target}  ($LATEST (unqualified))`;
      } else {
        continue;
      }
      bindings.push({ type: resource.Type, logicalId, path, kind, form });
    }
  }
  return bindings;
}

/** The logical IDs of the template's `AWS::Lambda::Function` resources, sorted. */
export function functionIds(template: Template): string[] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function').map(([id]) => id).sort();
}

interface Reference { readonly path: string; readonly target: string; readonly suffix: string }

/**
 * Every Ref / Fn::GetAtt inside `value`, with the property path it sits under (intrinsics add nothing
 * to the path) and, inside an Fn::Join, the literal text that follows it.
 */
function references(value: unknown, path: string, inIntrinsic = false): Reference[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => references(v, inIntrinsic ? path : `${path}[${i}]`, inIntrinsic));
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  if (typeof obj.Ref === 'string') return [{ path, target: obj.Ref, suffix: '' }];
  if (Array.isArray(obj['Fn::GetAtt'])) return [{ path, target: String(obj['Fn::GetAtt'][0]), suffix: '' }];
  const join = obj['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const parts = join[1] as unknown[];
    return parts.flatMap((part, i) => {
      const next = parts[i + 1];
      const suffix = typeof next === 'string' ? `${join[0]}${next}` : '';
      return references(part, path, true).map((r) => ({ ...r, suffix: r.suffix || suffix }));
    });
  }
  return Object.entries(obj).flatMap(([k, v]) => k.startsWith('Fn::') ? references(v, path, true) : references(v, `${path}.${k}`, inIntrinsic));
}
