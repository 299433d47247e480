import { sentinelFor } from './references';

/*
 * How the guard reads a template entry: the construct guard reads one rendered with its references as
 * sentinels (`@@ref0@@`), the template checker (`cdk-safe-lambda check`) a raw template. Both flatten
 * the intrinsics around a reference into the literal text on either side of it, with this one walker.
 */

/** Stands for any value the walker does not follow (another intrinsic, a pseudo parameter...). */
export const OPAQUE = '@@x@@';

/** A reference (`@@ref<i>@@`) or a function name cut out of its ARN (`@@name<i>@@`) in flattened text. */
const MARKER = /@@(ref|name)(\d+)@@/g;

/** What a sentinel stands for: a Lambda function, alias or version, and the attribute read (`Ref`, `Arn`...). */
export interface FlatReference<T> {
  readonly target: T;
  readonly attribute: string;
}

/** A reference to a Lambda resource where it is used, with the literal text on either side. */
export interface FlatOccurrence<T> {
  readonly target: T;
  /** As written, or `Name` when the function name was cut out of the target's ARN. */
  readonly attribute: string;
  /** Path relative to the resource's template entry, e.g. `Properties.Integration.Uri`. */
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/** The type of a Lambda target as the guard's judge reads it. */
export interface TypedTarget {
  /** `AWS::Lambda::Function`, `::Alias` or `::Version`. */
  readonly cfnResourceType: string;
}

/**
 * Lists the references to Lambda resources in a template entry, with the literal text on either side:
 * joins are joined, `Fn::Sub` substituted, `Fn::Select [6, Fn::Split [':', arn]]` becomes a name,
 * `Fn::Select` of a literal list or split picks its element, `Fn::If` branches are both scanned, and
 * anything else is an opaque placeholder (so an ARN split to read its partition or region is not a binding).
 *
 * `refs[i]` is what sentinel `i` stands for (`undefined`: not a Lambda resource); raw `Ref`/`Fn::GetAtt`
 * are looked up by `reference`, which records a new sentinel for a Lambda resource. `C` is where a value
 * is read (the CLI's template, for imports and nested stacks); `Fn::If` branches are scanned in the
 * template they are read from.
 */
export abstract class IntrinsicWalker<T extends TypedTarget, C> {
  public readonly occurrences: Array<FlatOccurrence<T>> = [];

  /**
   * Values are followed to any depth (issue #18: a depth limit that turns into "no reference" reports
   * clean what was not read); a reader whose references can loop (imports, nested stacks) stops the loop.
   */
  protected constructor(private readonly refs: Array<FlatReference<T> | undefined>, private readonly root: C) {}

  /** Records the references in `value`, read in `context` (where the walk started, unless told). */
  public walk(value: unknown, path: string, context: C = this.root): void {
    if (typeof value === 'string') {
      this.scan(value, path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => this.walk(item, `${path}[${i}]`, context));
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length === 1 && isIntrinsicKey(keys[0])) {
        this.scan(this.flatten(value, path, context, 0), path);
        return;
      }
      for (const key of keys) {
        this.walk((value as any)[key], path ? `${path}.${key}` : key, context);
      }
    }
  }

  /**
   * A raw `Ref` (attribute `Ref`) or `Fn::GetAtt` of `logicalId` (pseudo parameters excluded) read in
   * `context`: `record(...)` for a Lambda resource, the flattened value it stands for, or `OPAQUE`.
   */
  protected abstract reference(logicalId: string, attribute: string, path: string, context: C, depth: number): string;

  /** An intrinsic the walker does not flatten itself (`Fn::ImportValue`, `Fn::GetAZs`...): `OPAQUE` unless overridden. */
  protected otherIntrinsic(_key: string, _args: unknown, _path: string, _context: C, _depth: number): string {
    return OPAQUE;
  }

  /** A sentinel for a new reference to `target`. */
  protected record(target: T, attribute: string): string {
    this.refs.push({ target, attribute });
    return sentinelFor(this.refs.length - 1);
  }

  /** The text an intrinsic stands for, as far as the guard cares. */
  protected flatten(value: unknown, path: string, context: C, depth: number): string {
    if (typeof value === 'string') {
      return value;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
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
          ? args[1].map((part: unknown) => this.flatten(part, path, context, depth + 1)).join(typeof args[0] === 'string' ? args[0] : '')
          : OPAQUE;
      case 'Fn::Sub':
        return this.substitute(args, path, context, depth);
      case 'Fn::Select':
        return this.nameOf(args, path, context, depth) ?? this.select(args, path, context, depth);
      case 'Fn::If':
        // Either branch can be deployed: scan both where they stand, the condition decides nothing here.
        if (Array.isArray(args)) {
          args.slice(1).forEach((branch) => this.branch(branch, path, context));
        }
        return OPAQUE;
      case 'Fn::Base64':
        return this.flatten(args, path, context, depth + 1);
      case 'Fn::ToJsonString':
        // The JSON text of a value: a reference inside it is followed by its closing quote (unqualified).
        return this.jsonText(args, path, context, depth + 1);
      case 'Ref':
        return typeof args === 'string' ? this.raw(args, 'Ref', path, context, depth) : OPAQUE;
      case 'Fn::GetAtt': {
        // `[id, attribute]`, or `id.attribute` (YAML's short form read as is).
        const [id, attribute] = Array.isArray(args) ? args : typeof args === 'string' ? splitOnce(args) : [];
        return typeof id === 'string' && typeof attribute === 'string' ? this.raw(id, attribute, path, context, depth) : OPAQUE;
      }
      default:
        return this.otherIntrinsic(key, args, path, context, depth);
    }
  }

  /** Records every Lambda reference in `text`, with the literal text around it. */
  private scan(text: string, path: string): void {
    if (!text.includes('@@')) {
      return;
    }
    for (const match of text.matchAll(MARKER)) {
      const ref = this.refs[Number(match[2])];
      if (!ref) {
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
   * A value that is deployed or not (an `Fn::If` branch, a list element picked at deploy time): scanned
   * where it stands, in the template it is read from (issue #18: a branch of an imported value too).
   */
  private branch(value: unknown, path: string, context: C): void {
    this.walk(value, path, context);
  }

  /** `Fn::ToJsonString`'s text: objects and lists as JSON, intrinsics flattened inside their quotes. */
  private jsonText(value: unknown, path: string, context: C, depth: number): string {
    if (Array.isArray(value)) {
      return `[${value.map((item) => this.jsonText(item, path, context, depth + 1)).join(',')}]`;
    }
    if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      if (keys.length === 1 && isIntrinsicKey(keys[0])) {
        return JSON.stringify(this.flatten(value, path, context, depth + 1));
      }
      return `{${keys.map((k) => `${JSON.stringify(k)}:${this.jsonText((value as any)[k], path, context, depth + 1)}`).join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
  }

  private raw(logicalId: string, attribute: string, path: string, context: C, depth: number): string {
    return logicalId.startsWith('AWS::') ? OPAQUE : this.reference(logicalId, attribute, path, context, depth);
  }

  /**
   * `Fn::Select [6, Fn::Split [':', arn]]` is the function name inside a function, alias or version ARN
   * (`Function.fromFunctionArn(arn).functionName`): the qualifier is gone.
   */
  private nameOf(args: unknown, path: string, context: C, depth: number): string | undefined {
    if (!Array.isArray(args) || Number(args[0]) !== 6) {
      return undefined;
    }
    const split = args[1]?.['Fn::Split'];
    if (!Array.isArray(split) || split[0] !== ':') {
      return undefined;
    }
    const arn = this.flatten(split[1], path, context, depth + 1);
    const match = /^@@ref(\d+)@@/.exec(arn);
    if (!match) {
      return undefined;
    }
    const ref = this.refs[Number(match[1])];
    const isArn = ref && (ref.target.cfnResourceType === FUNCTION_TYPE ? ref.attribute === 'Arn' : ref.attribute === 'Ref');
    return isArn ? `@@name${match[1]}@@` : undefined;
  }

  /**
   * `Fn::Select` evaluated as CloudFormation would where the guard can: an element of a literal list
   * (`Fn.select(0, [fn.functionArn])`), or a part of a string split on a literal delimiter
   * (`Fn::Select [6, Fn::Split [':', Fn::Join [...]]]`, as the name of `Function.fromFunctionName`'s
   * ARN is read back). An index known only at deploy time: every element is scanned where it stands.
   */
  private select(args: unknown, path: string, context: C, depth: number): string {
    if (!Array.isArray(args) || args.length !== 2) {
      return OPAQUE;
    }
    const index = typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0])) ? Number(args[0]) : undefined;
    const list = args[1];
    if (Array.isArray(list)) {
      if (index === undefined) {
        list.forEach((item) => this.branch(item, path, context));
        return OPAQUE;
      }
      return index < list.length ? this.flatten(list[index], path, context, depth + 1) : OPAQUE;
    }
    const split = list?.['Fn::Split'];
    if (!Array.isArray(split) || typeof split[0] !== 'string' || split[0] === '' || split[0].includes('@')) {
      return OPAQUE;
    }
    const parts = this.flatten(split[1], path, context, depth + 1).split(split[0]);
    if (index === undefined) {
      // issue #18: a part picked at deploy time may be any of them: each is scanned where it stands.
      parts.forEach((part) => this.scan(part, path));
      return OPAQUE;
    }
    return index < parts.length ? parts[index] : OPAQUE;
  }

  /** `Fn::Sub`: variables replaced by their (flattened) values, `${LogicalId}`/`${LogicalId.Arn}` resolved. */
  private substitute(args: unknown, path: string, context: C, depth: number): string {
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
        return this.flatten(variables[name], path, context, depth + 1);
      }
      const [id, attribute] = splitOnce(name);
      return this.raw(id, attribute ?? 'Ref', path, context, depth);
    });
  }
}

const FUNCTION_TYPE = 'AWS::Lambda::Function';

/** `Ref` or an `Fn::` key: the single key of an intrinsic function. */
export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function splitOnce(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}
