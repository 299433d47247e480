import { CfnResource, DefaultTokenResolver, Reference, Stack, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isCfnResource, stackOf } from './core';
import { JoinConcat, RecordedReference, resolveRecordingReferences, sentinelFor } from '../../private/references';

export const FUNCTION_TYPE = 'AWS::Lambda::Function';
export const ALIAS_TYPE = 'AWS::Lambda::Alias';
export const VERSION_TYPE = 'AWS::Lambda::Version';

/** What a reference to a Lambda resource stands for where it is used. */
export interface Occurrence {
  /** The referenced `AWS::Lambda::Function`, `::Alias` or `::Version` resource. */
  readonly target: CfnResource;
  /**
   * `Arn`/`Ref` (or another GetAtt attribute) as written, or `Name` when the function name was cut out
   * of the target's ARN (`Fn::Select [6, Fn::Split [':', arn]]`, as `Function.fromFunctionArn` does):
   * that name drops any qualifier of the ARN.
   */
  readonly attribute: string;
  /** Path relative to the resource's template entry, e.g. `Properties.Integration.Uri`. */
  readonly path: string;
  /** Literal text right after the reference in the string it is part of (`:live`, `/invocations`...). */
  readonly after: string;
  /** Literal text right before the reference (`/aws/lambda/`...). */
  readonly before: string;
}

/** A resource rendered once for the guard: its template entry and every Lambda reference in it. */
export interface ElementAnalysis {
  readonly resourceType: string;
  /** The template entry (`Type`, `Properties`, `UpdatePolicy`...) with references as sentinels. */
  readonly entry: any;
  readonly occurrences: Occurrence[];
  /**
   * The path of an occurrence in the template synthesis writes. Usually `path` itself; they differ where
   * rendering orders list elements by their value (`@aws-cdk/aws-iam:minimizePolicies` merges statements
   * and sorts their resources), since a sentinel does not sort as the reference it stands for.
   */
  readonly templatePath: (path: string) => string;
}

/** Logical ID → `AWS::Lambda::Function` of one stack, for references that were resolved before we saw them. */
export type LogicalIdIndex = (stack: Stack) => Map<string, CfnResource>;

const LAMBDA_TYPES = new Set([FUNCTION_TYPE, ALIAS_TYPE, VERSION_TYPE]);
const MARKER = /@@(ref|name)(\d+)@@/g;
/** Stands for any value the guard does not follow (another intrinsic, a pseudo parameter...). */
const OPAQUE = '@@x@@';

export function isLambdaResource(x: unknown): x is CfnResource {
  return isCfnResource(x) && LAMBDA_TYPES.has(x.cfnResourceType);
}

/**
 * Renders `resource` as synthesis would, with every reference replaced by a sentinel (so that the
 * reference keeps its target across stacks, nested stacks and regions: aspects and validations see
 * tokens before they turn into imports), and lists where it references a Lambda function, alias or
 * version, with the literal text on either side.
 */
export function analyzeResource(resource: CfnResource, logicalIds: LogicalIdIndex): ElementAnalysis {
  // Only references to Lambda resources become sentinels (strings, which they are in any valid template):
  // every other reference (a number parameter, a list attribute...) resolves as synthesis renders it, so
  // the property validators that `_toCloudFormation()` runs see the values they expect.
  const lambdaReference = (r: Reference) => isLambdaResource(r.target);
  const { resolved, references } = resolveRecordingReferences(resource, renderEntry(resource), lambdaReference, { keepJoins: true });
  const entry = Object.values(resolved?.Resources ?? {})[0] as any ?? {};
  const walker = new Walker(resource, references.map((r) => ({ target: r.target, attribute: r.attribute })), logicalIds);
  walker.walk(entry, '');
  let real: any;
  const templatePath = (path: string) => {
    if (!path.includes('[')) {
      return path;
    }
    if (real === undefined) {
      const resolver = new DefaultTokenResolver(new JoinConcat());
      const rendered = Tokenization.resolve(renderEntry(resource), { scope: resource, resolver, preparing: true });
      real = Object.values(rendered?.Resources ?? {})[0] ?? {};
    }
    return mapPath(entry, real, path, (value) => substituteReferences(value, references, resource));
  };
  return { resourceType: resource.cfnResourceType, entry, occurrences: walker.occurrences, templatePath };
}

interface Ref {
  readonly target: IConstruct;
  readonly attribute: string;
}

class Walker {
  public readonly occurrences: Occurrence[] = [];

  constructor(private readonly resource: CfnResource, private readonly refs: Ref[], private readonly logicalIds: LogicalIdIndex) {}

  public walk(value: unknown, path: string): void {
    if (typeof value === 'string') {
      this.scan(value, path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.walk(item, `${path}[${i}]`));
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length === 1 && isIntrinsicKey(keys[0])) {
        this.scan(this.flatten(value, path), path);
        return;
      }
      for (const key of keys) {
        this.walk((value as any)[key], path ? `${path}.${key}` : key);
      }
    }
  }

  /** Records every Lambda reference in `text`, with the literal text around it. */
  private scan(text: string, path: string): void {
    if (!text.includes('@@')) {
      return;
    }
    for (const match of text.matchAll(MARKER)) {
      const ref = this.refs[Number(match[2])];
      if (!ref || !isLambdaResource(ref.target)) {
        continue;
      }
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

  /**
   * The text an intrinsic stands for, as far as the guard cares: joins are joined, `Fn::Sub` is
   * substituted, a function name cut out of an ARN becomes a name marker, raw `Ref`/`Fn::GetAtt` to a
   * function of this stack become sentinels, and anything else becomes an opaque placeholder (so an
   * ARN split to read its partition or region is not a binding).
   */
  private flatten(value: unknown, path: string): string {
    if (typeof value === 'string') {
      return value;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return OPAQUE;
    }
    const [key] = Object.keys(value);
    const args = (value as any)[key];
    switch (key) {
      case 'Fn::Join':
        return Array.isArray(args) && Array.isArray(args[1])
          ? args[1].map((part: unknown) => this.flatten(part, path)).join(typeof args[0] === 'string' ? args[0] : '')
          : OPAQUE;
      case 'Fn::Sub':
        return this.substitute(args, path);
      case 'Fn::Select':
        return this.nameOf(args, path) ?? this.select(args, path);
      case 'Fn::If':
        // Either branch can be deployed: scan both where they stand, the condition decides nothing here.
        if (Array.isArray(args)) {
          args.slice(1).forEach((branch) => this.walk(branch, path));
        }
        return OPAQUE;
      case 'Fn::Base64':
        return this.flatten(args, path);
      case 'Ref':
        return typeof args === 'string' ? this.raw(args, 'Ref') : OPAQUE;
      case 'Fn::GetAtt':
        return Array.isArray(args) && typeof args[0] === 'string' && typeof args[1] === 'string' ? this.raw(args[0], args[1]) : OPAQUE;
      default:
        return OPAQUE;
    }
  }

  /**
   * `Fn::Select [6, Fn::Split [':', arn]]` is the function name inside a function, alias or version ARN
   * (`Function.fromFunctionArn(arn).functionName`): the qualifier is gone.
   */
  private nameOf(args: unknown, path: string): string | undefined {
    if (!Array.isArray(args) || Number(args[0]) !== 6) {
      return undefined;
    }
    const split = args[1]?.['Fn::Split'];
    if (!Array.isArray(split) || split[0] !== ':') {
      return undefined;
    }
    const arn = this.flatten(split[1], path);
    const match = /^@@ref(\d+)@@/.exec(arn);
    if (!match) {
      return undefined;
    }
    const ref = this.refs[Number(match[1])];
    const isArn = ref && isLambdaResource(ref.target) && (ref.target.cfnResourceType === FUNCTION_TYPE ? ref.attribute === 'Arn' : ref.attribute === 'Ref');
    return isArn ? `@@name${match[1]}@@` : undefined;
  }

  /**
   * `Fn::Select` evaluated as CloudFormation would where the guard can: an element of a literal list
   * (`Fn.select(0, [fn.functionArn])`), or a part of a string split on a literal delimiter
   * (`Fn::Select [6, Fn::Split [':', Fn::Join [...]]]`, as the name of `Function.fromFunctionName`'s
   * ARN is read back). An index known only at deploy time: every element is scanned where it stands.
   */
  private select(args: unknown, path: string): string {
    if (!Array.isArray(args) || args.length !== 2) {
      return OPAQUE;
    }
    const index = typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0])) ? Number(args[0]) : undefined;
    const list = args[1];
    if (Array.isArray(list)) {
      if (index === undefined) {
        list.forEach((item) => this.walk(item, path));
        return OPAQUE;
      }
      return index < list.length ? this.flatten(list[index], path) : OPAQUE;
    }
    const split = list?.['Fn::Split'];
    if (index === undefined || !Array.isArray(split) || typeof split[0] !== 'string' || split[0] === '' || split[0].includes('@')) {
      return OPAQUE;
    }
    const parts = this.flatten(split[1], path).split(split[0]);
    return index < parts.length ? parts[index] : OPAQUE;
  }

  /** `Fn::Sub`: variables replaced by their (flattened) values, `${LogicalId}`/`${LogicalId.Arn}` resolved. */
  private substitute(args: unknown, path: string): string {
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
        return this.flatten(variables[name], path);
      }
      const dot = name.indexOf('.');
      return dot < 0 ? this.raw(name, 'Ref') : this.raw(name.slice(0, dot), name.slice(dot + 1));
    });
  }

  /**
   * A reference that reached us already resolved (`UpdatePolicy` is resolved when rendered, escape
   * hatches and `Fn::Sub` templates name logical IDs): only the logical IDs of this stack's functions
   * can be told apart, as logical IDs are unique per stack only.
   */
  private raw(logicalId: string, attribute: string): string {
    if (logicalId.startsWith('AWS::')) {
      return OPAQUE;
    }
    const target = this.logicalIds(stackOf(this.resource)).get(logicalId);
    if (!target) {
      return OPAQUE;
    }
    this.refs.push({ target, attribute });
    return sentinelFor(this.refs.length - 1);
  }
}

/** The resource's template fragment before resolution (`_toCloudFormation` is internal: not in every version's typings). */
function renderEntry(resource: CfnResource): unknown {
  return (resource as any)._toCloudFormation();
}

/**
 * `path` (in the entry rendered with sentinels) translated into `real` (the same entry as synthesis
 * renders it): at each list index, the element of `real` equal to the element at that index once its
 * sentinels are rendered. An index with no equal element is kept.
 */
function mapPath(entry: any, real: any, path: string, render: (value: unknown) => unknown): string {
  let out = '';
  let left = entry;
  let right = real;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (part.startsWith('[')) {
      const i = Number(part.slice(1, -1));
      const wanted = JSON.stringify(render(left?.[i]));
      const j = Array.isArray(right) ? right.findIndex((candidate) => JSON.stringify(candidate) === wanted) : -1;
      out += `[${j >= 0 ? j : i}]`;
      left = left?.[i];
      right = j >= 0 ? right[j] : right?.[i];
    } else {
      out += out ? `.${part}` : part;
      left = left?.[part];
      right = right?.[part];
    }
  }
  return out;
}

/** `value` with each sentinel rendered as synthesis renders its reference (strings holding one become `Fn::Join`s). */
function substituteReferences(value: unknown, references: RecordedReference[], scope: CfnResource): unknown {
  if (typeof value === 'string') {
    if (!value.includes('@@ref')) {
      return value;
    }
    const concat = new JoinConcat();
    let result: any;
    for (const piece of value.split(/(@@ref\d+@@)/)) {
      const match = /^@@ref(\d+)@@$/.exec(piece);
      const reference = match ? references[Number(match[1])] : undefined;
      const rendered = reference ? renderReference(reference, scope) : piece;
      if (rendered !== '') {
        result = result === undefined ? rendered : concat.join(result, rendered);
      }
    }
    return result ?? '';
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => substituteReferences(item, references, scope));
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: any = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = substituteReferences(item, references, scope);
    }
    // A join whose parts now hold joins of their own: flatten as JoinConcat does.
    if (Array.isArray(out['Fn::Join']) && out['Fn::Join'][0] === '' && Array.isArray(out['Fn::Join'][1])) {
      return (out['Fn::Join'][1] as unknown[]).reduce((acc: any, part) => acc === undefined ? part : new JoinConcat().join(acc, part), undefined);
    }
    return out;
  }
  return value;
}

function renderReference(reference: RecordedReference, scope: CfnResource): unknown {
  return Tokenization.resolve(reference.token, { scope, resolver: new DefaultTokenResolver(new JoinConcat()), preparing: true });
}

function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}
