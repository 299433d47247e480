import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/**
 * Functions already made safe, and by what: one function has one live alias, so a second
 * SafeAlias (or a SafeAlias of a SafeFunction's inner function) is refused with the first one's path.
 */
const OWNER_OF = new WeakMap<lambda.IFunction, IConstruct>();

export function recordMadeSafe(fn: lambda.IFunction, owner: IConstruct): void {
  OWNER_OF.set(fn, owner);
}

/** The construct (SafeFunction, SafeAlias...) that made `fn` safe, if any. */
export function madeSafeBy(fn: lambda.IFunction): IConstruct | undefined {
  return OWNER_OF.get(fn);
}
