import * as YAML from 'yaml';

/**
 * CloudFormation's short-form intrinsics, as YAML tags: `!Ref X` → `{ Ref: X }`, `!GetAtt A.B` →
 * `{ 'Fn::GetAtt': ['A', 'B'] }`, every other `!Name` → `{ 'Fn::Name': value }`.
 */
const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString'];

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
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { customTags: CUSTOM_TAGS, prettyErrors: false, uniqueKeys: false, lineCounter });
  const lineOf = (e: YAML.YAMLError) => lineCounter.linePos(e.pos[0]).line;
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = lineOf(error);
    throw new Error(`${file}: invalid YAML${line ? ` at line ${line}` : ''}: ${error.message.split('\n')[0]}`);
  }
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    const line = lineOf(unknownTag);
    throw new Error(`${file}: unknown tag${line ? ` at line ${line}` : ''}: ${unknownTag.message.split('\n')[0].replace(/ at line.*$/, '')} (not a CloudFormation intrinsic)`);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}
