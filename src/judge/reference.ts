import { JudgedReference } from './input';
import { Qualifier } from '../guard/private/qualifier';

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
