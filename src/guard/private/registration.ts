import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { markSafeFunction } from '../../private/bindings/guarded-function';
import { NoLatestInvocations } from '../no-latest-invocations';

/**
 * Called by every SafeFunction: marks `inner` as its unqualified function and, unless it opted out,
 * adds the guard to its Stage once (aspects added to an App do not reach the stacks of a nested Stage,
 * so each Stage needs its own: cdk-nag#637, aws/aws-cdk#18440).
 */
export function guardSafeFunction(owner: IConstruct, inner: lambda.Function, guard: boolean): void {
  markSafeFunction(owner, inner, guard);
  if (guard) {
    NoLatestInvocations._addToStage(owner);
  }
}
