import { DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, Reference, StringConcat, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A reference met while resolving a value, replaced in the output by `sentinel`. */
export interface RecordedReference {
  /** The construct the reference points at (a CfnResource, a CfnParameter...). */
  readonly target: IConstruct;
  /** `Ref` or the GetAtt attribute (`Arn`...). */
  readonly attribute: string;
  /** The unique string that stands for the reference in the resolved value. */
  readonly sentinel: string;
}

/**
 * Resolves `value` the way synthesis would, except that every `Reference` accepted by `pick`
 * becomes a sentinel string and is recorded. Unlike resolving to `{Ref: logicalId}`, this keeps the
 * identity of the target across stacks, nested stacks and regions (aspects run before
 * cross-stack references are turned into imports, so tokens still point at the producer).
 */
export function resolveRecordingReferences(
  scope: IConstruct,
  value: unknown,
  pick: (reference: Reference) => boolean,
): { readonly resolved: any; readonly references: RecordedReference[] } {
  const resolver = new RecordingResolver(pick);
  const resolved = Tokenization.resolve(value, { scope, resolver, preparing: true });
  return { resolved, references: resolver.references };
}

class RecordingResolver extends DefaultTokenResolver {
  public readonly references: RecordedReference[] = [];

  constructor(private readonly pick: (reference: Reference) => boolean) {
    super(new StringConcat());
  }

  public resolveToken(token: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (Reference.isReference(token) && this.pick(token)) {
      const sentinel = `@@ref${this.references.length}@@`;
      this.references.push({ target: token.target, attribute: token.displayName, sentinel });
      return sentinel;
    }
    return super.resolveToken(token, context, postProcessor);
  }
}
