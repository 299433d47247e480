import { DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext } from 'aws-cdk-lib';

/*
 * Reading the tree must never change it (issue #16 §4: `findings()` is read-only). Resolving some tokens
 * changes what synthesis renders later, when it happens before synthesis (findings() is called on a tree
 * whose aspects have not run):
 * - an IAM `PolicyDocument` freezes its statements and, with `@aws-cdk/aws-iam:minimizePolicies`, merges
 *   them in place; a role's policy split (an aspect at synthesis) then no longer finds the statements a
 *   grant was made with, and every `DependsOn` on that grant is lost (seen on two Firehose delivery
 *   streams sharing a destination);
 * - a cached `Lazy` keeps the first value it produced, so what is added to its construct afterwards
 *   never reaches the template.
 * Tokens resolved here are put back as they were: the statements and their frozen flags, the cache.
 */

/** A token that resolves as `token` does, and leaves `token` as it was. */
export function sideEffectFree(token: IResolvable): IResolvable {
  const state = snapshot(token);
  if (!state) {
    return token;
  }
  return {
    creationStack: token.creationStack,
    typeHint: token.typeHint,
    resolve: (context: IResolveContext) => {
      const restore = state();
      try {
        return token.resolve(context);
      } finally {
        restore();
      }
    },
    toString: () => token.toString(),
  };
}

/** A resolver that leaves every token it resolves as it was (see `sideEffectFree`). */
export class SideEffectFreeResolver extends DefaultTokenResolver {
  public resolveToken(token: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    return super.resolveToken(sideEffectFree(token), context, postProcessor);
  }
}

/** A function that records the token's mutable state and returns how to put it back, for tokens that have some. */
function snapshot(token: any): (() => () => void) | undefined {
  if (isPolicyDocument(token)) {
    return () => {
      const statements: any[] = [...token.statements];
      const frozen = statements.map((s) => s._frozen);
      return () => {
        token.statements.splice(0, token.statements.length, ...statements);
        statements.forEach((s, i) => { s._frozen = frozen[i]; });
      };
    };
  }
  if (isCachedLazy(token)) {
    return () => {
      const cached = token._cached;
      return () => { token._cached = cached; };
    };
  }
  return undefined;
}

/** An `iam.PolicyDocument`, by shape (its statements are private: should they move, nothing is restored). */
function isPolicyDocument(token: any): boolean {
  return Array.isArray(token?.statements) && typeof token.freezeStatements === 'function' && typeof token._maybeMergeStatements === 'function';
}

/** A `Lazy` value that caches what it produced (`Lazy.string(...)` and the like, not the `uncached` ones). */
function isCachedLazy(token: any): boolean {
  return typeof token?.producer?.produce === 'function' && token.cache === true;
}
