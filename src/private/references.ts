import { DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext, Reference, StringConcat, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { currentReferenceObserver } from './observed-references';
import { sideEffectFree } from './side-effect-free';

/** A reference met while resolving a value, replaced in the output by `sentinel`. */
export interface RecordedReference {
  /** The construct the reference points at (a CfnResource, a CfnParameter...). */
  readonly target: IConstruct;
  /** `Ref` or the GetAtt attribute (`Arn`...). */
  readonly attribute: string;
  /** The unique string that stands for the reference in the resolved value. */
  readonly sentinel: string;
  /** The reference itself, to render it as synthesis does where needed. */
  readonly token: IResolvable;
}

/** How `resolveRecordingReferences` renders a string made of several fragments. */
export interface RecordingOptions {
  /**
   * Keep such a string as `Fn::Join` of its fragments (adjacent literals merged), as synthesis
   * renders it, so that the text right after a sentinel stays next to it (`@@ref0@@:live`,
   * `.../functions/@@ref0@@/invocations`) and fragments that resolve to intrinsics keep their shape.
   *
   * @default false - fragments are concatenated as plain text
   */
  readonly keepJoins?: boolean;
}

/** The sentinel that stands for `references[index]` in a resolved value. */
export function sentinelFor(index: number): string {
  return `@@ref${index}@@`;
}

/**
 * Resolves `value` the way synthesis would, except that every `Reference` accepted by `pick`
 * becomes a sentinel string and is recorded (not one encoded as a number or a list: see
 * `isTypedAsNonString`; it renders as `{ Ref }` / `{ Fn::GetAtt }`). Unlike resolving to `{Ref: logicalId}`, this keeps the
 * identity of the target across stacks, nested stacks and regions (aspects run before
 * cross-stack references are turned into imports, so tokens still point at the producer).
 */
export function resolveRecordingReferences(
  scope: IConstruct,
  value: unknown,
  pick: (reference: Reference) => boolean,
  options: RecordingOptions = {},
): { readonly resolved: any; readonly references: RecordedReference[] } {
  const resolver = new RecordingResolver(pick, options.keepJoins ? new JoinConcat() : new StringConcat());
  // issue #16 §8: what a whole template entry references, kept for the migration's next question.
  const observer = isWholeEntry(value) ? currentReferenceObserver() : undefined;
  resolver.met = observer ? [] : undefined;
  const resolved = Tokenization.resolve(value, { scope, resolver, preparing: true });
  observer?._record(scope, resolver.met!);
  return { resolved, references: resolver.references };
}

/** Read once: aws-cdk-lib's entry point runs require() on every access to an export, and this runs for every token. */
const ReferenceClass = Reference;

class RecordingResolver extends DefaultTokenResolver {
  public readonly references: RecordedReference[] = [];
  /** Every string-typed reference met, picked or not (see `ObservedReferences`). */
  public met?: Reference[];

  constructor(private readonly pick: (reference: Reference) => boolean, concat: IFragmentConcatenator) {
    super(concat);
  }

  public resolveToken(token: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (this.met && ReferenceClass.isReference(token) && !isTypedAsNonString(token)) {
      this.met.push(token);
    }
    if (ReferenceClass.isReference(token) && this.pick(token) && !isTypedAsNonString(token)) {
      const sentinel = sentinelFor(this.references.length);
      this.references.push({ target: token.target, attribute: token.displayName, sentinel, token });
      return sentinel;
    }
    // Reading never changes the tree (issue #16 §4): findings() may run before synthesis.
    return super.resolveToken(sideEffectFree(token), context, postProcessor);
  }
}

/*
 * aws-cdk-lib remembers on a token each encoding it was given (`Token.asNumber`, `Token.asList`), under
 * these symbols. A reference encoded as a number or a list (`param.valueAsNumber` for `memorySize`,
 * `param.valueAsList` for subnets) may sit where the resource's validators want a number or a list, so
 * it never becomes a sentinel string: it renders as in synthesis (issue #9, a CfnParameter number made
 * every recording of the resource fail).
 */
const NUMBER_ENCODED = Symbol.for('@aws-cdk/core.TokenMap.NUMBER');
const LIST_ENCODED = Symbol.for('@aws-cdk/core.TokenMap.LIST');

/** A construct's whole template entry (`_toCloudFormation()`), not one of its values. */
function isWholeEntry(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('Resources' in value || 'Outputs' in value);
}

function isTypedAsNonString(token: IResolvable): boolean {
  return (token as any)[NUMBER_ENCODED] !== undefined || (token as any)[LIST_ENCODED] !== undefined;
}

/**
 * Concatenates fragments the way CloudFormation sees them: adjacent literals are merged and anything
 * else (an intrinsic) becomes an element of an `Fn::Join` with an empty delimiter.
 */
export class JoinConcat implements IFragmentConcatenator {
  public join(left: any, right: any): any {
    const parts: any[] = [];
    for (const part of [left, right]) {
      if (isEmptyJoin(part)) {
        parts.push(...part['Fn::Join'][1]);
      } else if (part !== undefined) {
        parts.push(part);
      }
    }
    const merged: any[] = [];
    for (const part of parts) {
      if (typeof part === 'string' && typeof merged[merged.length - 1] === 'string') {
        merged[merged.length - 1] += part;
      } else {
        merged.push(part);
      }
    }
    return merged.length === 1 ? merged[0] : { 'Fn::Join': ['', merged] };
  }
}

function isEmptyJoin(x: any): boolean {
  return typeof x === 'object' && x !== null && Array.isArray(x['Fn::Join']) && x['Fn::Join'][0] === '' && Array.isArray(x['Fn::Join'][1]);
}
