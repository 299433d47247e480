import { CfnResource, IResolvable, IResolveContext } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { tokenOf } from '../../private/bindings/core';

/** The L2 attributes that reference a function or alias through a token of their own. */
export interface TappedL2 {
  readonly functionArn: string;
  readonly functionName: string;
}

/** Receives the scope of every resolution of a tapped token, with the path being resolved. */
export type TapListener = (scope: IConstruct, documentPath: readonly string[]) => void;

const TAPPED = new WeakSet<object>();

/**
 * Wraps `resolve` of the tokens that reference `resource` (`Ref`, a function's `Fn::GetAtt Arn`, and the L2's
 * `functionArn`/`functionName`, which resolve through a token of their own) so that `listener` learns
 * who resolves them.
 *
 * Why: telling which resources reference a function otherwise takes rendering every resource of the
 * app once more (as much work as synthesis itself). Synthesis already renders every resource once
 * before validation (`resolveReferences`, with the consuming resource as the context's scope), so the
 * guard only has to listen, and then render the few resources that reference a function.
 *
 * @returns whether the tokens could be tapped (if not, the caller must check every resource)
 */
export function tapReferences(resource: CfnResource, l2: TappedL2 | undefined, listener: TapListener): boolean {
  const tokens = [resource.ref, l2?.functionArn, l2?.functionName]
    .map((v) => (v === undefined ? undefined : tokenOf(v)));
  if (resource.cfnResourceType === 'AWS::Lambda::Function') {
    tokens.push(resource.getAtt('Arn'));
  }
  let ok = true;
  for (const token of tokens) {
    ok = (token === undefined || tap(token, listener)) && ok;
  }
  return ok;
}

function tap(token: IResolvable, listener: TapListener): boolean {
  if (typeof token.resolve !== 'function') {
    return false;
  }
  if (TAPPED.has(token)) {
    return true;
  }
  TAPPED.add(token);
  const resolve = token.resolve;
  (token as { resolve: (context: IResolveContext) => any }).resolve = function tapped(this: IResolvable, context: IResolveContext) {
    listener(context.scope, context.documentPath ?? []);
    return resolve.call(this, context);
  };
  return true;
}
