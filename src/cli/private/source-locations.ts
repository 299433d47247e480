import * as YAML from 'yaml';
import { InputError } from './input-error';

/*
 * Where each value of a template is written (issue #18): SARIF results carry the line and column of the
 * property a finding is about, and a key written twice is an input error naming its line (cfn-lint
 * refuses duplicates; JSON.parse and a YAML reader would keep only the last copy, and with it hide an
 * unqualified binding written in the first).
 */

/** A place in a template's text, 1-based as editors and SARIF count. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Template path (`Resources.Fn.Properties.Targets[0].Arn`) → where its key (or list element) is written. */
export type SourcePositions = Map<string, SourcePosition>;

/** `path` inside the collection at `parent`, as template paths are written. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  return parent === '' ? key : `${parent}.${key}`;
}

function duplicateKey(file: string, key: string, line: number, path: string): InputError {
  return new InputError(`${file}: line ${line}: duplicate key '${key}'${path ? ` in ${path}` : ''} `
    + '(CloudFormation and cfn-lint refuse it; keep one copy)');
}

interface JsonFrame {
  readonly path: string;
  readonly isObject: boolean;
  readonly keys: Set<string>;
  index: number;
  key?: string;
}

/**
 * The positions of every key and list element of a JSON text that `JSON.parse` accepted, iteratively
 * (a template nested thousands of levels deep does not overflow the stack here); a duplicate key is an
 * input error naming `file`, its line and the key.
 */
export function jsonPositions(text: string, file: string): SourcePositions {
  const positions: SourcePositions = new Map();
  const stack: JsonFrame[] = [];
  let line = 1;
  let lineStart = 0;
  let expectKey = false;
  const valuePath = (): string | undefined => {
    const top = stack[stack.length - 1];
    if (!top) {
      return '';
    }
    return top.isObject ? (top.key === undefined ? undefined : childPath(top.path, top.key)) : childPath(top.path, top.index);
  };
  const startValue = (at: number): string => {
    const top = stack[stack.length - 1];
    const path = valuePath() ?? '';
    if (top && !top.isObject) {
      positions.set(path, { line, column: at - lineStart + 1 });
    }
    return path;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    } else if (c === 34 /* " */) {
      let end = i + 1;
      let escaped = false;
      while (end < text.length && text.charCodeAt(end) !== 34) {
        escaped = escaped || text.charCodeAt(end) === 92;
        end += text.charCodeAt(end) === 92 /* \ */ ? 2 : 1;
      }
      const top = stack[stack.length - 1];
      if (top?.isObject && expectKey) {
        const key = escaped ? JSON.parse(text.slice(i, end + 1)) as string : text.slice(i + 1, end);
        if (top.keys.has(key)) {
          throw duplicateKey(file, key, line, top.path);
        }
        top.keys.add(key);
        top.key = key;
        positions.set(childPath(top.path, key), { line, column: i - lineStart + 1 });
        expectKey = false;
      } else {
        startValue(i);
      }
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const path = startValue(i);
      stack.push({ path, isObject: c === 123, keys: new Set(), index: 0 });
      expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.isObject) {
        expectKey = true;
      } else if (top) {
        top.index++;
      }
    } else if (c !== 32 && c !== 9 && c !== 13 && c !== 58 /* : */) {
      // A number, true, false or null: read to its end.
      startValue(i);
      while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1])) {
        i++;
      }
    }
  }
  return positions;
}

/**
 * The positions of every key and list element of a parsed YAML document (aliases are not followed: a
 * value is located where it is written); a key written twice in one mapping is an input error naming
 * `file`, its line and the key.
 */
export function yamlPositions(doc: YAML.Document, lineCounter: YAML.LineCounter, file: string): SourcePositions {
  const positions: SourcePositions = new Map();
  const at = (node: unknown): SourcePosition | undefined => {
    const range = (node as YAML.Node | undefined)?.range;
    if (!range) {
      return undefined;
    }
    const { line, col } = lineCounter.linePos(range[0]);
    return { line, column: col };
  };
  const pending: Array<[unknown, string]> = [[doc.contents, '']];
  while (pending.length > 0) {
    const [node, path] = pending.pop()!;
    if (YAML.isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        const key = String(YAML.isScalar(pair.key) ? pair.key.value : pair.key);
        const position = at(pair.key);
        if (keys.has(key)) {
          throw duplicateKey(file, key, position?.line ?? 0, path);
        }
        keys.add(key);
        if (position) {
          positions.set(childPath(path, key), position);
        }
        pending.push([pair.value, childPath(path, key)]);
      }
    } else if (YAML.isSeq(node)) {
      node.items.forEach((item, i) => {
        const position = at(item);
        if (position) {
          positions.set(childPath(path, i), position);
        }
        pending.push([item, childPath(path, i)]);
      });
    }
  }
  return positions;
}

/**
 * Where a template path is written: the position of the path, or of the nearest enclosing property
 * written (a path inside an intrinsic, `Properties.Events.Api`, a hook judged where SAM writes it).
 */
export function positionOf(positions: SourcePositions | undefined, templatePath: string): SourcePosition | undefined {
  let p = templatePath;
  while (positions && p) {
    const found = positions.get(p);
    if (found) {
      return found;
    }
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut < 0 ? '' : p.slice(0, cut);
  }
  return undefined;
}

/** A template file and where its values are written. */
export interface LocatedTemplate {
  readonly file: string;
  readonly positions?: SourcePositions;
}

/** `(file, templatePath)` → its position in that file, over every template read. */
export function sourceLocator(templates: LocatedTemplate[]): (file: string, templatePath: string) => SourcePosition | undefined {
  const byFile = new Map(templates.map((t) => [t.file, t.positions]));
  return (file, templatePath) => positionOf(byFile.get(file), templatePath);
}
