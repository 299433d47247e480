import { JudgedReference } from './input';
import { Qualifier } from '../private/bindings/qualifier';

const FUNCTION_TYPE = 'AWS::Lambda::Function';
const ALIAS_TYPE = 'AWS::Lambda::Alias';

/** How messages name what a reference points at. */
export function describeReference(reference: JudgedReference, qualifier: Qualifier): string {
  if (qualifier === Qualifier.LATEST && reference.targetType === ALIAS_TYPE) {
    return 'an alias whose FunctionVersion is `$LATEST`';
  }
  if (qualifier === Qualifier.LATEST) {
    return 'the `:$LATEST` qualified ARN';
  }
  if (reference.attribute === 'Name' && reference.targetType !== FUNCTION_TYPE) {
    return 'the unqualified function name cut out of an alias or version ARN (`Function.fromFunctionArn(arn).functionName` drops the qualifier)';
  }
  return reference.attribute === 'Arn' ? 'the unqualified ARN' : 'the unqualified name';
}

/** Whether the reference names the function itself (its ARN, its name), not another attribute. */
export function isFunctionIdentity(reference: JudgedReference): boolean {
  if (reference.attribute === 'Name') {
    return true;
  }
  // `Fn::GetAtt` of an alias's `AliasArn` or a version's `FunctionArn` is the same qualified ARN as its `Ref`.
  const arnAttribute = reference.targetType === FUNCTION_TYPE ? 'Arn' : reference.targetType === ALIAS_TYPE ? 'AliasArn' : 'FunctionArn';
  return reference.attribute === 'Ref' || reference.attribute === arnAttribute;
}

/** What either adapter found (a construct's or a template's reference): the part the judge reads. */
export interface ReferenceFound {
  readonly target: { readonly cfnResourceType: string };
  readonly attribute: string;
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/** A reference as the judge reads it: the target's type, never the target (a construct or a template entry). */
export function judgedReference(found: ReferenceFound): JudgedReference {
  return { targetType: found.target.cfnResourceType, attribute: found.attribute, path: found.path, before: found.before, after: found.after };
}
