import { CfnResource, Tokenization } from 'aws-cdk-lib';
import { isCfnResource, isReference } from './core';

/**
 * Whether an `AWS::Lambda::Alias` points at `$LATEST` (`FunctionVersion: '$LATEST'`: the L1 written so,
 * `new lambda.Alias({ version: fn.latestVersion })`, `fn.latestVersion.addAlias(...)`). Such an alias is
 * qualified in name only: whatever invokes it invokes `$LATEST`.
 */
export function aliasTargetsLatest(alias: CfnResource): boolean {
  const version = propertyOf(alias, 'functionVersion', 'FunctionVersion');
  return version === '$LATEST';
}

/**
 * The `AWS::Lambda::Function` an L1 alias names in `FunctionName` (a reference to the function's `Ref` or
 * `Arn`), for aliases that have no L2 to ask.
 */
export function functionOfAlias(alias: CfnResource): CfnResource | undefined {
  const name = propertyOf(alias, 'functionName', 'FunctionName');
  if (typeof name !== 'string') {
    return undefined;
  }
  const token = Tokenization.reverseString(name).firstToken;
  const target = isReference(token) ? token.target : undefined;
  return isCfnResource(target) && target.cfnResourceType === 'AWS::Lambda::Function' ? target : undefined;
}

/** A property of a `lambda.CfnAlias` (its L1 attribute), or of a raw `CfnResource` of the type. */
function propertyOf(resource: CfnResource, attribute: string, property: string): unknown {
  const value = (resource as any)[attribute];
  if (value !== undefined) {
    return value;
  }
  const properties = (resource as any)._cfnProperties ?? (resource as any).cfnProperties;
  return properties?.[property];
}
