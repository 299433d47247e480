/**
 * Where a safe function's qualified name (`name:live`) lands in a template entry. lambda.Alias renders
 * its `functionName` as `Fn::Select [6, Fn::Split [':', <alias ARN>]]` followed by `:<alias name>`;
 * the same `Fn::Select` without that suffix is the bare name (a correct use), and `Fn::Select [7, ...]`
 * the qualifier.
 */

/** One place a qualified name lands. */
export interface Landing {
  /** The sentinel standing for the alias ARN (the reference the name was cut out of). */
  readonly sentinel: string;
  /** Path in the template entry, intrinsics left out: `Properties.Dimensions[0].Value`. */
  readonly path: string;
  /** The property names along the path (no list indexes, no intrinsics, no `Fn::Sub` variables). */
  readonly keys: readonly string[];
  /** The object holding the last key of `keys` (to read its siblings: a dimension's `Name`). */
  readonly holder: Record<string, unknown>;
  /** The literal text right before the name in the string it is part of (`/aws/lambda/`...). */
  readonly before: string;
}

/**
 * Every qualified name in `entry` (a template entry resolved with sentinels for the aliases' ARNs),
 * as `aliasNameOf(sentinel)` tells which sentinels are aliases and what their name is.
 */
export function findLandings(entry: unknown, aliasNameOf: (sentinel: string) => string | undefined): Landing[] {
  const landings: Landing[] = [];
  walk(entry, { path: '', keys: [], holder: {}, before: '' });
  return landings;

  function walk(value: unknown, at: Omit<Landing, 'sentinel'>): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, { ...at, path: `${at.path}[${i}]`, before: '' }));
      return;
    }
    if (typeof value !== 'object' || value === null) {
      return;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0].startsWith('Fn::')) {
      walkIntrinsic(keys[0], record[keys[0]], at);
      return;
    }
    for (const key of keys) {
      walk(record[key], { path: at.path ? `${at.path}.${key}` : key, keys: [...at.keys, key], holder: record, before: '' });
    }
  }

  function walkIntrinsic(fn: string, args: unknown, at: Omit<Landing, 'sentinel'>): void {
    if (fn === 'Fn::Join' && Array.isArray(args) && Array.isArray(args[1])) {
      const [delimiter, parts] = args as [unknown, unknown[]];
      const glue = typeof delimiter === 'string' ? delimiter : '';
      parts.forEach((part, i) => {
        const before = i === 0 ? at.before : trailingText(parts[i - 1]) + glue;
        const sentinel = qualifiedNameAt(parts, i, glue, aliasNameOf);
        if (sentinel) {
          landings.push({ ...at, sentinel, before });
        } else {
          walk(part, { ...at, before });
        }
      });
    } else if (fn === 'Fn::Sub' && Array.isArray(args) && typeof args[0] === 'string' && isRecord(args[1])) {
      const [template, variables] = args as [string, Record<string, unknown>];
      for (const [name, variable] of Object.entries(variables)) {
        const index = template.indexOf(`\${${name}}`);
        walk(variable, { ...at, before: index < 0 ? '' : template.slice(0, index) });
      }
    } else {
      // Fn::If, Fn::Base64, Fn::ToJsonString...: their arguments stand where the intrinsic stands.
      walk(args, at);
    }
  }
}

/** The alias sentinel if `parts[i]` is `Fn::Select [6, Fn::Split [':', <alias ARN>]]` followed by `:<alias name>`. */
function qualifiedNameAt(parts: unknown[], i: number, glue: string, aliasNameOf: (sentinel: string) => string | undefined): string | undefined {
  const select = (parts[i] as any)?.['Fn::Select'];
  if (!Array.isArray(select) || Number(select[0]) !== 6) {
    return undefined;
  }
  const split = select[1]?.['Fn::Split'];
  if (!Array.isArray(split) || split[0] !== ':' || typeof split[1] !== 'string') {
    return undefined;
  }
  const aliasName = aliasNameOf(split[1]);
  if (aliasName === undefined || i + 1 >= parts.length) {
    return undefined;
  }
  const after = glue + leadingText(parts[i + 1]);
  return after.startsWith(`:${aliasName}`) ? split[1] : undefined;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function joinParts(x: unknown): unknown[] | undefined {
  const join = (x as any)?.['Fn::Join'];
  return Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) ? join[1] : undefined;
}

function leadingText(x: unknown): string {
  if (typeof x === 'string') {
    return x;
  }
  const parts = joinParts(x);
  return parts && parts.length > 0 ? leadingText(parts[0]) : '';
}

function trailingText(x: unknown): string {
  if (typeof x === 'string') {
    return x;
  }
  const parts = joinParts(x);
  return parts && parts.length > 0 ? trailingText(parts[parts.length - 1]) : '';
}
