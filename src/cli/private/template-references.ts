import { LoadedTemplate } from './template-source';
import { ALIAS_TYPE, FUNCTION_TYPE, VERSION_TYPE } from '../../guard/private/occurrences';

export const SAM_FUNCTION_TYPE = 'AWS::Serverless::Function';

/** A Lambda function, alias or version resource of a template. */
export interface TemplateTarget {
  readonly template: LoadedTemplate;
  readonly logicalId: string;
  /** As the guard's judge reads it: `AWS::Lambda::Function`, `::Alias` or `::Version` (SAM functions count as functions). */
  readonly cfnResourceType: string;
  /** The function behind it (itself for a function), when it can be told. */
  readonly functionId?: string;
}

/**
 * A reference to a Lambda resource in a template, shaped like the guard's `Occurrence` so that the
 * guard's judge (qualifier, non-bindings, rules) decides it: the text right after it decides the qualifier.
 */
export interface TemplateOccurrence {
  readonly target: TemplateTarget;
  readonly attribute: string;
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

const OPAQUE = '@@x@@';

/** Every intrinsic function CloudFormation knows (language extensions included); any other `Fn::` key is an error. */
const KNOWN_FUNCTIONS = new Set(['Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Join',
  'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::Transform', 'Fn::And', 'Fn::Equals', 'Fn::If', 'Fn::Not', 'Fn::Or', 'Fn::Length',
  'Fn::ToJsonString', 'Fn::GetStackOutput']);

/** An intrinsic function CloudFormation does not know: the template cannot deploy. */
export class UnknownIntrinsicError extends Error {
  constructor(public readonly key: string, public readonly path: string) {
    super(`unknown intrinsic function '${key}' at ${path}`);
  }
}
const MARKER = /@@(ref|name)(\d+)@@/g;
const MAX_DEPTH = 12;

/** Export name → the exporting template and the exported value, across every loaded template. */
export type ExportIndex = Map<string, { template: LoadedTemplate; value: unknown }>;

export function exportIndex(templates: LoadedTemplate[]): ExportIndex {
  const index: ExportIndex = new Map();
  for (const t of templates) {
    for (const output of Object.values<any>(t.template.Outputs ?? {})) {
      const name = literalName(output?.Export?.Name, t);
      if (name !== undefined) {
        index.set(name, { template: t, value: output.Value });
      }
    }
  }
  return index;
}

/** The literal an export or import name stands for (`!Sub '${AWS::StackName}-Arn'`, `!Join`), if it can be told. */
export function literalName(value: unknown, t: LoadedTemplate): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const sub = (value as any)['Fn::Sub'];
  if (typeof sub === 'string') {
    return sub.includes('${') ? sub.replace(/\$\{AWS::StackName\}/g, t.stackName).replace(/\$\{[^}]*\}/g, OPAQUE) : sub;
  }
  const join = (value as any)['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const parts = join[1].map((p: unknown) => ((p as any)?.Ref === 'AWS::StackName' ? t.stackName : literalName(p, t) ?? OPAQUE));
    return parts.join(typeof join[0] === 'string' ? join[0] : '');
  }
  return undefined;
}

/** The Lambda resource `logicalId` names in `t` (SAM's `Fn.Alias`/`Fn.Version` included), if any. */
export function targetOf(t: LoadedTemplate, logicalId: string): TemplateTarget | undefined {
  const resources = t.template.Resources ?? {};
  const resource = resources[logicalId];
  const type = resource?.Type;
  if (type === FUNCTION_TYPE || type === SAM_FUNCTION_TYPE) {
    return { template: t, logicalId, cfnResourceType: FUNCTION_TYPE, functionId: logicalId };
  }
  if (type === ALIAS_TYPE || type === VERSION_TYPE) {
    return { template: t, logicalId, cfnResourceType: type, functionId: functionNamed(t, resource.Properties?.FunctionName) };
  }
  // SAM: `!Ref Fn.Alias` is the AutoPublishAlias alias, `!Ref Fn.Version` its version.
  const sam = /^(.+)\.(Alias|Version)$/.exec(logicalId);
  if (sam && resources[sam[1]]?.Type === SAM_FUNCTION_TYPE) {
    return { template: t, logicalId, cfnResourceType: sam[2] === 'Alias' ? ALIAS_TYPE : VERSION_TYPE, functionId: sam[1] };
  }
  return undefined;
}

/** The function logical ID an alias's or version's `FunctionName` references (`!Ref Fn`, `!GetAtt Fn.Arn`). */
function functionNamed(t: LoadedTemplate, value: any): string | undefined {
  const id = typeof value?.Ref === 'string' ? value.Ref
    : Array.isArray(value?.['Fn::GetAtt']) ? value['Fn::GetAtt'][0]
      : typeof value?.['Fn::GetAtt'] === 'string' ? value['Fn::GetAtt'].split('.')[0] : undefined;
  const type = id ? t.template.Resources?.[id]?.Type : undefined;
  return type === FUNCTION_TYPE || type === SAM_FUNCTION_TYPE ? id : undefined;
}

/**
 * Lists the references to Lambda resources in one resource's template entry, with the literal text on
 * either side, as the guard's walker does on the construct tree: joins are joined, `Fn::Sub` substituted,
 * `Fn::Select [6, Fn::Split [':', arn]]` becomes a name, `Fn::If` branches are both scanned, and
 * `Fn::ImportValue`, nested stack parameters and outputs are followed to the resource they stand for.
 */
export class TemplateWalker {
  public readonly occurrences: TemplateOccurrence[] = [];
  private readonly refs: Array<{ target: TemplateTarget; attribute: string }> = [];

  constructor(private readonly template: LoadedTemplate, private readonly exports: ExportIndex, private readonly templates: LoadedTemplate[]) {}

  public walk(value: unknown, path: string): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.walk(item, `${path}[${i}]`));
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length === 1 && isIntrinsicKey(keys[0])) {
        this.scan(this.flatten(value, path, this.template, 0), path);
        return;
      }
      for (const key of keys) {
        this.walk((value as any)[key], path ? `${path}.${key}` : key);
      }
    }
  }

  private scan(text: string, path: string): void {
    if (!text.includes('@@')) {
      return;
    }
    for (const match of text.matchAll(MARKER)) {
      const ref = this.refs[Number(match[2])];
      const start = match.index ?? 0;
      this.occurrences.push({
        target: ref.target,
        attribute: match[1] === 'name' ? 'Name' : ref.attribute,
        path,
        before: text.slice(0, start),
        after: text.slice(start + match[0].length),
      });
    }
  }

  private flatten(value: unknown, path: string, t: LoadedTemplate, depth: number): string {
    if (typeof value === 'string') {
      return value;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > MAX_DEPTH) {
      return OPAQUE;
    }
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      return OPAQUE;
    }
    const key = keys[0];
    const args = (value as any)[key];
    switch (key) {
      case 'Fn::Join':
        return Array.isArray(args) && Array.isArray(args[1])
          ? args[1].map((part: unknown) => this.flatten(part, path, t, depth + 1)).join(typeof args[0] === 'string' ? args[0] : '')
          : OPAQUE;
      case 'Fn::Sub':
        return this.substitute(args, path, t, depth);
      case 'Fn::Select':
        return this.nameOf(args, path, t, depth) ?? OPAQUE;
      case 'Fn::If':
        if (Array.isArray(args)) {
          // Either branch can be deployed: scan both where they stand.
          args.slice(1).forEach((branch) => {
            const walker = this.template === t ? this : undefined;
            walker?.walk(branch, path);
          });
        }
        return OPAQUE;
      case 'Fn::Base64':
        return this.flatten(args, path, t, depth + 1);
      case 'Ref':
        return typeof args === 'string' ? this.raw(t, args, 'Ref', path, depth) : OPAQUE;
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(args) ? args : typeof args === 'string' ? splitOnce(args) : [];
        return typeof id === 'string' && typeof attribute === 'string' ? this.raw(t, id, attribute, path, depth) : OPAQUE;
      }
      case 'Fn::ImportValue': {
        const name = literalName(args, t);
        const exported = name === undefined ? undefined : this.exports.get(name);
        return exported ? this.flatten(exported.value, path, exported.template, depth + 1) : OPAQUE;
      }
      default:
        if (!KNOWN_FUNCTIONS.has(key) && !key.startsWith('Fn::ForEach::')) {
          throw new UnknownIntrinsicError(key, path);
        }
        return OPAQUE;
    }
  }

  private nameOf(args: unknown, path: string, t: LoadedTemplate, depth: number): string | undefined {
    if (!Array.isArray(args) || Number(args[0]) !== 6) {
      return undefined;
    }
    const split = args[1]?.['Fn::Split'];
    if (!Array.isArray(split) || split[0] !== ':') {
      return undefined;
    }
    const arn = this.flatten(split[1], path, t, depth + 1);
    const match = /^@@ref(\d+)@@/.exec(arn);
    if (!match) {
      return undefined;
    }
    const ref = this.refs[Number(match[1])];
    const isArn = ref.target.cfnResourceType === FUNCTION_TYPE ? ref.attribute === 'Arn' : ref.attribute === 'Ref';
    return isArn ? `@@name${match[1]}@@` : undefined;
  }

  private substitute(args: unknown, path: string, t: LoadedTemplate, depth: number): string {
    const template = Array.isArray(args) ? args[0] : args;
    const variables = Array.isArray(args) && typeof args[1] === 'object' && args[1] !== null ? args[1] : {};
    if (typeof template !== 'string') {
      return OPAQUE;
    }
    return template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) {
        return whole.replace('${!', '${');
      }
      if (name in variables) {
        return this.flatten(variables[name], path, t, depth + 1);
      }
      const dot = name.indexOf('.');
      return dot < 0 ? this.raw(t, name, 'Ref', path, depth) : this.raw(t, name.slice(0, dot), name.slice(dot + 1), path, depth);
    });
  }

  /** A `Ref`/`GetAtt` in template `t`: a Lambda resource, a nested stack's parameter or output, or opaque. */
  private raw(t: LoadedTemplate, logicalId: string, attribute: string, path: string, depth: number): string {
    if (logicalId.startsWith('AWS::')) {
      return OPAQUE;
    }
    const target = targetOf(t, logicalId);
    if (target) {
      this.refs.push({ target, attribute });
      return `@@ref${this.refs.length - 1}@@`;
    }
    // A nested stack's parameter: what the parent passes in.
    if (attribute === 'Ref' && t.parent && t.template.Parameters?.[logicalId] !== undefined) {
      const value = t.parent.template.template.Resources?.[t.parent.logicalId]?.Properties?.Parameters?.[logicalId];
      return value === undefined ? OPAQUE : this.flatten(value, path, t.parent.template, depth + 1);
    }
    // A nested stack's output, read by its parent.
    const output = /^Outputs\.(.+)$/.exec(attribute);
    if (output && t.template.Resources?.[logicalId]?.Type === 'AWS::CloudFormation::Stack') {
      const nested = this.templates.find((n) => n.parent?.template === t && n.parent.logicalId === logicalId);
      const value = nested?.template.Outputs?.[output[1]]?.Value;
      return nested && value !== undefined ? this.flatten(value, path, nested, depth + 1) : OPAQUE;
    }
    return OPAQUE;
  }
}

function splitOnce(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}
