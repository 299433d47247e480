import { CfnResource, Reference, Stack, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isCfnResource, stackOf } from './core';
import { IntrinsicWalker, OPAQUE } from '../intrinsics';
import { JoinConcat, RecordedReference, resolveRecordingReferences } from '../references';
import { SideEffectFreeResolver } from '../side-effect-free';

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
      const resolver = new SideEffectFreeResolver(new JoinConcat());
      const rendered = Tokenization.resolve(renderEntry(resource), { scope: resource, resolver, preparing: true });
      real = Object.values(rendered?.Resources ?? {})[0] ?? {};
    }
    return mapPath(entry, real, path, (value) => substituteReferences(value, references, resource));
  };
  return { resourceType: resource.cfnResourceType, entry, occurrences: walker.occurrences, templatePath };
}

/**
 * The shared walker over a rendered entry: sentinels stand for the recorded references (`undefined`
 * where the target is not a Lambda resource).
 */
class Walker extends IntrinsicWalker<CfnResource, undefined> {
  constructor(private readonly resource: CfnResource, refs: Array<{ target: IConstruct; attribute: string }>,
    private readonly logicalIds: LogicalIdIndex) {
    super(refs.map((r) => (isLambdaResource(r.target) ? { target: r.target, attribute: r.attribute } : undefined)), undefined);
  }

  /**
   * A reference that reached us already resolved (`UpdatePolicy` is resolved when rendered, escape
   * hatches and `Fn::Sub` templates name logical IDs): only the logical IDs of this stack's functions
   * can be told apart, as logical IDs are unique per stack only.
   */
  protected reference(logicalId: string, attribute: string): string {
    const target = this.logicalIds(stackOf(this.resource)).get(logicalId);
    return target ? this.record(target, attribute) : OPAQUE;
  }
}

/** The resource's template fragment before resolution (`_toCloudFormation` is internal: not in every version's typings). */
function renderEntry(resource: CfnResource): unknown {
  return (resource as any)._toCloudFormation();
}

/**
 * `path` (in the entry rendered with sentinels) translated into `real` (the same entry as synthesis
 * renders it): at each list index, the element of `real` equal to the element at that index once its
 * sentinels are rendered (the k-th of identical ones for the k-th). An index with no equal element is kept.
 */
function mapPath(entry: any, real: any, path: string, render: (value: unknown) => unknown): string {
  let out = '';
  let left = entry;
  let right = real;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (part.startsWith('[')) {
      const i = Number(part.slice(1, -1));
      const wanted = JSON.stringify(render(left?.[i]));
      // Identical elements each count (issue #18 §6): the k-th equal element on the left is the k-th on the right.
      const rank = Array.isArray(left) ? left.slice(0, i).filter((item) => JSON.stringify(render(item)) === wanted).length : 0;
      const equal = Array.isArray(right) ? right.flatMap((candidate, at) => (JSON.stringify(candidate) === wanted ? [at] : [])) : [];
      const j = equal.length === 0 ? -1 : equal[Math.min(rank, equal.length - 1)];
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
  return Tokenization.resolve(reference.token, { scope, resolver: new SideEffectFreeResolver(new JoinConcat()), preparing: true });
}
