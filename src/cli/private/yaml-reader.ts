import * as YAML from 'yaml';
import { InputError } from './input-error';
import { SourcePositions, yamlPositions } from './source-locations';

/**
 * CloudFormation's short-form intrinsics, as YAML tags: `!Ref X` → `{ Ref: X }`, `!GetAtt A.B` →
 * `{ 'Fn::GetAtt': ['A', 'B'] }`, every other `!Name` → `{ 'Fn::Name': value }`.
 */
const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString', 'GetStackOutput',
  // The functions of a template's `Rules` section (issue #18: cfn-lint reads them).
  'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll', 'ValueOf', 'ValueOfAll'];

function tags(): YAML.Tags {
  const result: YAML.Tags = [];
  const kinds: Array<'scalar' | 'seq' | 'map'> = ['scalar', 'seq', 'map'];
  for (const kind of kinds) {
    const collection = kind === 'scalar' ? undefined : kind;
    result.push({ tag: '!Ref', collection, resolve: (v: unknown) => ({ Ref: plain(v) }) } as any);
    result.push({ tag: '!Condition', collection, resolve: (v: unknown) => ({ Condition: plain(v) }) } as any);
    result.push({
      tag: '!GetAtt',
      collection,
      resolve: (v: unknown) => {
        const value = plain(v);
        if (typeof value === 'string') {
          const dot = value.indexOf('.');
          return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
        }
        return { 'Fn::GetAtt': value };
      },
    } as any);
    for (const name of FUNCTIONS) {
      result.push({ tag: `!${name}`, collection, resolve: (v: unknown) => ({ [`Fn::${name}`]: plain(v) }) } as any);
    }
  }
  return result;
}

const CUSTOM_TAGS = tags();

/** YAML collections reach tag resolvers as nodes: turn them into plain values. */
function plain(value: unknown): unknown {
  return value !== null && typeof value === 'object' && typeof (value as any).toJSON === 'function' ? (value as any).toJSON() : value;
}

/** Parses a CloudFormation YAML template; throws a one-line error naming the file and line. */
export function parseYamlTemplate(text: string, file: string): unknown {
  return readYamlTemplate(text, file).template;
}

/**
 * Expanding aliases past this many values is refused as an alias bomb (PyYAML has no limit; a real
 * template reuses anchors a few thousand times at most, and 64 MB of JSON holds fewer values).
 */
const MAX_EXPANDED_VALUES = 20_000_000;

/**
 * Parses a CloudFormation YAML template as PyYAML (cfn-lint, samtranslator) reads it: every short form,
 * anchors and aliases reused any number of times, a flow collection continued at its key's indentation;
 * with the position of every key. Throws an input error naming the file (and line): invalid YAML, an
 * unknown tag, a key written twice, aliases that expand without end.
 */
export function readYamlTemplate(text: string, file: string): { template: unknown; positions: SourcePositions } {
  const first = parse(text);
  // issue #18: `Resource: [` ... `]` at the key's indentation is refused by the yaml package, read by PyYAML.
  const { doc, lineCounter } = first.doc.errors.some(isFlowIndent) ? parse(indentFlowCollections(text)) : first;
  const lineOf = (e: YAML.YAMLError) => lineCounter.linePos(e.pos[0]).line;
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = lineOf(error);
    throw new InputError(`${file}: invalid YAML${line ? ` at line ${line}` : ''}: ${error.message.split('\n')[0]}`);
  }
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    const line = lineOf(unknownTag);
    throw new InputError(`${file}: unknown tag${line ? ` at line ${line}` : ''}: ${unknownTag.message.split('\n')[0].replace(/ at line.*$/, '')} (not a CloudFormation intrinsic)`);
  }
  const positions = yamlPositions(doc, lineCounter, file);
  // Aliases become shared values (as in PyYAML): reuse costs nothing; a bomb is measured, not built.
  let template: unknown;
  try {
    template = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw new InputError(`${file}: its anchors and aliases cannot be read: ${(e as Error).message.split('\n')[0]}`);
  }
  if (expandedSize(template, MAX_EXPANDED_VALUES) > MAX_EXPANDED_VALUES) {
    throw new InputError(`${file}: its aliases expand to more than ${MAX_EXPANDED_VALUES} values (an alias bomb?); `
      + 'write the repeated values out or reuse them fewer times');
  }
  return { template, positions };
}

/** `<<: *anchor` merges the anchored mapping, as PyYAML and cfn-lint do (YAML 1.1 merge keys). */
const MERGE_KEYS = true;

function parse(text: string): { doc: YAML.Document; lineCounter: YAML.LineCounter } {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { customTags: CUSTOM_TAGS, prettyErrors: false, uniqueKeys: false, lineCounter, merge: MERGE_KEYS });
  return { doc, lineCounter };
}

function isFlowIndent(e: YAML.YAMLError): boolean {
  return e.code === 'BAD_INDENT' && /^Flow (sequence|mapping)/.test(e.message);
}

/**
 * `text` with every line inside a flow collection (`[...]`, `{...}`) indented past the line that opens
 * it, which the yaml package requires and PyYAML does not (indentation means nothing inside a flow).
 * Only spaces at line starts are added: values, line numbers and quoted or plain scalars (whose line
 * breaks fold away leading spaces) stay the same.
 */
export function indentFlowCollections(text: string): string {
  const lines = text.split('\n');
  let depth = 0;
  let base = 0;
  let quote: string | undefined;
  let blockScalarParent: number | undefined;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    const indent = /^ */.exec(line)![0].length;
    if (blockScalarParent !== undefined) {
      if (line.trim() === '' || indent > blockScalarParent) {
        continue; // the text of a `|` or `>` block scalar
      }
      blockScalarParent = undefined;
    }
    if (depth > 0 && indent <= base && line.trim() !== '') {
      line = ' '.repeat(base + 1 - indent) + line;
      lines[n] = line;
    }
    // Where a value can start outside a flow: the line's start, after `- `, `? ` or `key: `; inside one, after `[ { , :`.
    let valueStart = true;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (quote === '"' && c === '\\') {
          i++;
        } else if (c === quote) {
          if (quote === "'" && line[i + 1] === "'") {
            i++;
          } else {
            quote = undefined;
          }
        }
        continue;
      }
      if (c === ' ' || c === '\t') {
        continue;
      }
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
        break;
      }
      if ((c === '"' || c === "'") && valueStart) {
        quote = c;
      } else if ((c === '[' || c === '{') && valueStart) {
        if (depth === 0) {
          base = /^[ -]*/.exec(line)![0].length;
        }
        depth++;
      } else if ((c === ']' || c === '}') && depth > 0) {
        depth--;
      } else if (c === '!' && valueStart) {
        // A tag: the value follows it.
        while (i + 1 < line.length && line[i + 1] !== ' ') {
          i++;
        }
        continue;
      } else if ((c === '|' || c === '>') && valueStart && depth === 0 && /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(i))) {
        blockScalarParent = indent;
        break;
      }
      const indicator = (c === '-' || c === '?' || c === ':') && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t');
      valueStart = depth > 0 ? '[{,:'.includes(c) : indicator;
    }
  }
  return lines.join('\n');
}

/** The number of values of `value` with aliases expanded, counted up to a little past `limit`. */
function expandedSize(value: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) {
      return 1;
    }
    const known = sizes.get(v);
    if (known !== undefined) {
      return known;
    }
    let total = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      total += size(child);
      if (total > limit) {
        break;
      }
    }
    sizes.set(v, total);
    return total;
  };
  return size(value);
}
