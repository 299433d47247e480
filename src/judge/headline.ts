import { GuardRules } from '../guard/guard-rules';

/*
 * The first line of every message (issue #19 §4): `[<rule ID>] <path>: <what it binds> — fix: <few words>`,
 * at most HEADLINE_WIDTH characters, so that a failed synthesis or a `check` report can be scanned one
 * line per finding; the complete message (path, value, fix, suppression) follows on the next lines.
 */

/** The widest a first line may be: it fits a terminal. */
export const HEADLINE_WIDTH = 120;

/** The shortest a path is cut to (head and tail kept) before the headline gives up fitting. */
const MIN_PART = 16;

/** What a headline is made of: fixed words, and the paths that may be cut in the middle to fit. */
export interface HeadlineParts {
  readonly ruleId: string;
  /** The construct path, or the template path (`Resources.Binding`). */
  readonly where: string;
  /** Where the reference sits (`Properties.Endpoint`); empty for none. */
  readonly propertyPath: string;
  /** The verb phrase with `{fn}` where the function goes: `invokes $LATEST of {fn}`. */
  readonly what: string;
  /** The function's path; empty for none. */
  readonly fn: string;
  readonly fix: string;
}

/** `[<rule ID>] <where>: <propertyPath> <what> — fix: <fix>`, paths cut in the middle (`…`) until it fits. */
export function headline(parts: HeadlineParts): string {
  const render = (where: string, property: string, fn: string) =>
    `[${parts.ruleId}] ${where}: ${property ? `${property} ` : ''}${parts.what.replace('{fn}', fn)} — fix: ${parts.fix}`;
  const paths = { where: parts.where, fn: parts.fn, property: parts.propertyPath };
  const line = () => render(paths.where, paths.property, paths.fn);
  const over = () => line().length - HEADLINE_WIDTH;
  // First the words the details repeat: `Properties.` and an L1's `/Resource` (its L2 is named enough).
  if (over() > 0) {
    paths.property = paths.property.replace(/^Properties\./, '');
  }
  if (over() > 0) {
    paths.where = paths.where.replace(/\/(Resource|Default)$/, '');
  }
  // Then the function's path, the property path, and last the resource's (what a reader scans for).
  for (const [keys, min] of [[['fn'], 24], [['property'], MIN_PART], [['where'], 24], [['where', 'fn'], MIN_PART]] as const) {
    for (let key = longestOf(keys, min); over() > 0 && key !== undefined; key = longestOf(keys, min)) {
      paths[key] = cutMiddle(paths[key], Math.max(min, paths[key].length - over()));
    }
  }
  // Whatever is left over (a very long rule phrase): the line is cut, the details follow in full.
  return over() > 0 ? `${line().slice(0, HEADLINE_WIDTH - 1)}…` : line();

  function longestOf(keys: ReadonlyArray<keyof typeof paths>, min: number): keyof typeof paths | undefined {
    return keys.filter((k) => paths[k].length > min).sort((x, y) => paths[y].length - paths[x].length)[0];
  }
}

/** `text` at `width` characters: its head and its tail (the part that names the resource), `…` between. */
export function cutMiddle(text: string, width: number): string {
  if (text.length <= width) {
    return text;
  }
  const tail = Math.ceil((width - 1) * 0.6);
  const head = width - 1 - tail;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** What each rule's finding does, in a few words; `{fn}` is the function. */
export const HEADLINE_WHAT: Record<string, string> = {
  [GuardRules.LATEST_BINDING]: 'binds $LATEST of {fn}',
  [GuardRules.LATEST_PERMISSION]: 'permits invoking $LATEST of {fn}',
  [GuardRules.LATEST_GRANT]: 'allows invoking $LATEST of {fn}',
  [GuardRules.LATEST_SDK_TARGET]: 'hands SDK calls $LATEST of {fn}',
  [GuardRules.STATE_MACHINE_ALIAS]: 'invokes {fn} through an alias',
  [GuardRules.DURABLE_LATEST]: 'binds durable {fn} unqualified',
  [GuardRules.SNAP_START_LATEST]: 'binds SnapStart {fn} unqualified',
  [GuardRules.LATEST_PUBLISHED]: 'invokes $LATEST.PUBLISHED of {fn}',
};
