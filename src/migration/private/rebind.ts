import { CfnResource, Fn, Reference, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RecordedReference, resolveRecordingReferences } from '../../private/references';
import { replacementOf } from '../../private/replacement';

/** What a function's unqualified references become. */
export interface RebindTarget {
  /** The function's `AWS::Lambda::Function` resource. */
  readonly functionResource: CfnResource;
  /** The alias ARN, as a token (`alias.functionArn`). */
  readonly aliasArn: string;
  /** The alias-qualified name, as a token (`alias.functionName`, `name:live`). */
  readonly aliasName: string;
  /** The alias's own name (`live`), for a resource that takes the qualifier in a property of its own. */
  readonly qualifier: string;
  /** The alias construct: a resource given its name as a literal qualifier must be created after it. */
  readonly alias: IConstruct;
}

/** Why a binding was left alone. */
export enum RebindSkip {
  /** The value could not be rendered with its references kept as tokens. */
  NOT_RENDERABLE = 'not-renderable',
  /** The function is named through a raw logical ID or an imported value, not a token. */
  NO_TOKEN = 'no-token',
  /** The reference is already followed by a qualifier (`:$LATEST`): appending the alias would break it. */
  QUALIFIED_TEXT = 'qualified-text',
}

/** The outcome of rebinding one property of one resource. */
export interface RebindOutcome {
  readonly rewritten: boolean;
  readonly skip?: RebindSkip;
  /**
   * Where the alias name went instead, when the resource takes the qualifier in a property of its own
   * (`Properties.Qualifier` of a function URL or an async-invoke configuration): the binding keeps the
   * function, as a SafeAlias renders it (issue #16 §1).
   */
  readonly qualifierPath?: string;
}

const SENTINEL = /@@ref(\d+)@@/g;

/**
 * Rewrites the value at `propertyPath` (`Properties.Targets[0].Arn`) of `resource` so that every
 * unqualified reference to each of `targets`' functions becomes its alias: the ARN becomes the alias
 * ARN and the name becomes `name:alias`. Every other reference in the value is put back as the token
 * it was, so that references across stacks still turn into exports; the new value is an escape-hatch
 * override, which synthesis resolves like any property. One outcome per target, in order.
 */
export function rebindProperty(resource: CfnResource, propertyPath: string, targets: readonly RebindTarget[],
  renders: RenderCache = new Map(), apply = true): RebindOutcome[] {
  const all = (skip: RebindSkip): RebindOutcome[] => targets.map(() => ({ rewritten: false, skip }));
  let rendered: Rendered;
  let segments: string[];
  let value: unknown;
  try {
    rendered = renderOnce(resource, renders);
    segments = pathSegments(propertyPath, rendered.entry);
    value = valueAt(rendered.entry, segments);
  } catch {
    // A reference elsewhere in the resource that cannot take a sentinel. Keep only the functions' own
    // references as tokens; any other intrinsic left in the value would then be a raw one that may
    // name another stack's resource, so such a value is left alone.
    try {
      rendered = render(resource, (r) => targets.some((t) => r.target === t.functionResource));
      segments = pathSegments(propertyPath, rendered.entry);
      value = valueAt(rendered.entry, segments);
    } catch {
      return all(RebindSkip.NOT_RENDERABLE);
    }
    if (JSON.stringify(value ?? null).match(/"(Ref|Fn::GetAtt|Fn::ImportValue)"/)) {
      return all(RebindSkip.NOT_RENDERABLE);
    }
  }
  // A resource that takes the qualifier in a property of its own keeps the function where it names it,
  // and gets the alias name there: `FunctionName: fn` + `Qualifier: live`, never `fn:live` + `$LATEST`.
  const qualifierSegments = targets.length === 1 ? qualifierSiblingOf(resource, rendered.entry, segments) : undefined;
  const seen = new Set<RebindTarget>();
  const qualified = new Set<RebindTarget>();
  const replaced = new Set<RebindTarget>();
  // Values rendered before we see them (`UpdatePolicy` hooks) name the function by its raw logical
  // ID; that is only the function's within its own stack.
  let rebuilt = value;
  for (const target of targets) {
    const sameStack = Stack.of(resource) === Stack.of(target.functionResource);
    const logicalId = sameStack ? Stack.of(resource).resolve(target.functionResource.logicalId) : undefined;
    const raw = replaceRaw(rebuilt, logicalId, target, () => seen.add(target));
    rebuilt = qualifierSegments ? rebuilt : raw;
  }
  rebuilt = mapStrings(rebuilt, (text) => text.replace(SENTINEL, (whole, index: string, offset: number) => {
    const reference = rendered.references[Number(index)];
    const target = targets.find((t) => reference.target === t.functionResource && (reference.attribute === 'Arn' || reference.attribute === 'Ref'));
    if (!target) {
      return Token.asString(reference.token);
    }
    seen.add(target);
    if (text.slice(offset + whole.length).startsWith(':')) {
      qualified.add(target);
      return Token.asString(reference.token);
    }
    replaced.add(target);
    if (qualifierSegments) {
      return Token.asString(reference.token);
    }
    return reference.attribute === 'Arn' ? target.aliasArn : target.aliasName;
  }));
  // A target counts as rewritten where any unqualified reference to it was (a policy document keeps its
  // `arn:*` entries as they are); what is left (`:$LATEST`) the guard still reports.
  const qualifierPath = qualifierSegments ? propertyPathOf(qualifierSegments) : undefined;
  const outcomes = targets.map((target): RebindOutcome => replaced.has(target) || (seen.has(target) && !qualified.has(target))
    ? { rewritten: true, ...(qualifierPath ? { qualifierPath } : {}) }
    : { rewritten: false, skip: seen.has(target) ? RebindSkip.QUALIFIED_TEXT : RebindSkip.NO_TOKEN });
  if (apply && outcomes.some((o) => o.rewritten)) {
    if (qualifierSegments) {
      resource.addOverride(overridePathOf(qualifierSegments), targets[0].qualifier);
      // The qualifier is a literal, so nothing else orders the resource after the alias it names.
      resource.node.addDependency(targets[0].alias);
    } else {
      resource.addOverride(overridePathOf(segments), flattenJoins(rebuilt));
    }
  }
  return outcomes;
}

/**
 * The path of the property that qualifies the function named at `segments`, if the resource has one:
 * a `Qualifier` next to it in the template, or a top-level `Qualifier` the resource type declares
 * (its L1 class has the property, or the resource specification knows it), whether set or not.
 */
function qualifierSiblingOf(resource: CfnResource, entry: any, segments: string[]): string[] | undefined {
  const key = segments[segments.length - 1];
  if (segments[0] !== 'Properties' || /qualifier$/i.test(key)) {
    return undefined;
  }
  const nested = NESTED_QUALIFIERS[resource.cfnResourceType]?.[segments.join('.')];
  if (nested) {
    // Set in the template: the resource qualifies the function there; unset, the alias ARN is native.
    return valueAt(entry, nested) !== undefined ? nested : undefined;
  }
  const parentSegments = segments.slice(0, -1);
  const parent = valueAt(entry, parentSegments);
  if (typeof parent === 'object' && parent !== null && !Array.isArray(parent) && 'Qualifier' in parent) {
    return [...parentSegments, 'Qualifier'];
  }
  const declared = 'qualifier' in resource || replacementOf(resource.cfnResourceType, 'Qualifier') === 'yes';
  return segments.length === 2 && declared ? ['Properties', 'Qualifier'] : undefined;
}

/**
 * Qualifiers a resource type keeps away from where it names the function, per function property
 * (issue #16 §1): an SSM maintenance window's Lambda task names it in `TaskArn` and qualifies it in its
 * invocation parameters.
 */
const NESTED_QUALIFIERS: Record<string, Record<string, string[]>> = {
  'AWS::SSM::MaintenanceWindowTask': {
    'Properties.TaskArn': ['Properties', 'TaskInvocationParameters', 'MaintenanceWindowLambdaParameters', 'Qualifier'],
  },
};

/** `['Properties', 'Targets', '0', 'Arn']` → `Properties.Targets[0].Arn`. */
function propertyPathOf(segments: string[]): string {
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * Turns each `Fn::Join` of the rendered value back into `Fn.join`, which synthesis resolves as it does
 * for native code: a string holding the alias token inside it is spliced in, not nested, so the
 * migrated template names the alias exactly as a SafeAlias-native one does (issue #16 §1).
 */
function flattenJoins(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(flattenJoins);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const keys = Object.keys(value);
  const args = (value as any)['Fn::Join'];
  if (keys.length === 1 && Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && Array.isArray(args[1]) && args[1].length > 0) {
    return Fn.join(args[0], args[1].map(flattenJoins) as string[]);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flattenJoins(v)]));
}

function valueAt(entry: any, segments: string[]): unknown {
  return segments.reduce((v, key) => (v === undefined || v === null ? undefined : v[key]), entry);
}

/** Renders of whole resources, reused for every binding of a resource (an override at one path leaves the others as they were). */
export type RenderCache = Map<CfnResource, Rendered | Error>;

interface Rendered {
  readonly entry: any;
  readonly references: RecordedReference[];
}

function renderOnce(resource: CfnResource, renders: RenderCache): Rendered {
  let rendered = renders.get(resource);
  if (rendered === undefined) {
    try {
      rendered = render(resource, () => true);
    } catch (e) {
      rendered = e instanceof Error ? e : new Error(String(e));
    }
    renders.set(resource, rendered);
  }
  if (rendered instanceof Error) {
    throw rendered;
  }
  return rendered;
}

/**
 * `Properties.Targets[0].Arn` → `['Properties', 'Targets', '0', 'Arn']`, read against `entry`, the
 * rendered resource. The guard writes a path by joining keys with `.` and list indexes as `[n]`, keys
 * as they are, so a key may hold dots or brackets (`Variables.lambda.function_name`): at each map, the
 * key the path continues with is the one the map has (the longest that leads to a value), as the guard
 * wrote it (issue #16 §1). Without `entry`, or where nothing matches, every `.` and `[n]` separates.
 */
export function pathSegments(propertyPath: string, entry?: unknown): string[] {
  const naive = () => propertyPath.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '');
  return entry === undefined ? naive() : segmentsIn(entry, propertyPath) ?? naive();
}

function segmentsIn(value: unknown, rest: string): string[] | undefined {
  if (rest === '') {
    return [];
  }
  const index = /^\[(\d+)\]/.exec(rest);
  if (Array.isArray(value)) {
    const tail = index ? segmentsIn(value[Number(index[1])], rest.slice(index[0].length)) : undefined;
    return tail ? [index![1], ...tail] : undefined;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const text = rest.startsWith('.') ? rest.slice(1) : rest;
  const keys = Object.keys(value).filter((k) => text.startsWith(k) && /^($|\.|\[\d+\])/.test(text.slice(k.length)))
    .sort((a, b) => b.length - a.length);
  for (const key of keys) {
    const tail = segmentsIn((value as any)[key], text.slice(key.length));
    if (tail) {
      return [key, ...tail];
    }
  }
  return undefined;
}

/** Segments as `addOverride` reads them: a `.` or `\\` inside a key escaped with `\\`. */
function overridePathOf(segments: string[]): string {
  return segments.map((s) => s.replace(/[\\.]/g, (c) => `\\${c}`)).join('.');
}

/** `{Ref: id}` → the alias name, `{Fn::GetAtt: [id, Arn]}` → the alias ARN, for the function's logical ID. */
function replaceRaw(value: unknown, logicalId: string | undefined, target: RebindTarget, saw: () => void): unknown {
  if (logicalId === undefined || typeof value !== 'object' || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => replaceRaw(item, logicalId, target, saw));
  }
  const keys = Object.keys(value);
  const args = (value as any)[keys[0]];
  if (keys.length === 1 && keys[0] === 'Ref' && args === logicalId) {
    saw();
    return target.aliasName;
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && Array.isArray(args) && args[0] === logicalId && args[1] === 'Arn') {
    saw();
    return target.aliasArn;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceRaw(v, logicalId, target, saw)]));
}

function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === 'string') {
    return value.includes('@@ref') ? fn(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => mapStrings(item, fn));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

/**
 * The resource's template entry with every reference to a resource or parameter as a sentinel.
 * Throws if a typed property cannot take a sentinel (a number-typed reference).
 */
function render(resource: CfnResource, pick: (reference: Reference) => boolean): Rendered {
  // The guard's own renderer: joins kept, so the text right after a reference stays next to it.
  const { resolved, references } = resolveRecordingReferences(resource, (resource as any)._toCloudFormation(), pick, { keepJoins: true });
  return { entry: Object.values(resolved?.Resources ?? {})[0] ?? {}, references };
}
