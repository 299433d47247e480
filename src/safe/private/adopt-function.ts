import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { checkSafeOptions } from './validate-options';
import { madeSafeBy } from '../../private/made-safe';
import { SafeFunctionBase } from '../safe-function-base';
import { SafeFunctionOptions } from '../safe-function-options';

/**
 * Checks that `candidate` is a function this app defines and can publish versions of, and gives its
 * `currentVersion` (created now, or adopted when something created it before) the removal policy the
 * safe part needs; refuses, naming the value and the fix, what cannot work.
 */
export function adoptFunction(owner: IConstruct, candidate: lambda.IFunction, options: SafeFunctionOptions): lambda.Function {
  const path = owner.node.path;
  const refuse = (problem: string, fix: string): never => {
    throw new Error(`${path}: ${problem}. Fix: ${fix}`);
  };
  const seen = candidate.node.path;
  if (candidate instanceof SafeFunctionBase) {
    refuse(`${seen} is already safe (it is the live alias of ${candidate.function.node.path})`,
      'pass it to integrations as it is');
  }
  if (madeSafeBy(candidate)) {
    refuse(`the function ${seen} is already safe (it is ${madeSafeBy(candidate)!.node.path})`,
      'pass it to integrations as it is; it is its own live alias');
  }
  if (candidate instanceof lambda.SingletonFunction) {
    refuse(`the function ${seen} is a lambda.SingletonFunction, whose one function is shared by every SingletonFunction with its uuid `
      + 'and created outside this scope', 'use a lambda.Function (or a SafeFunction) for a function you want safe');
  }
  if (candidate instanceof lambda.Alias || candidate instanceof lambda.Version) {
    refuse(`${seen} is already a ${candidate instanceof lambda.Alias ? 'lambda.Alias' : 'lambda.Version'}, not a function`,
      `pass the function it belongs to (${candidate.lambda.node.path})`);
  }
  if (!(candidate instanceof lambda.Function)) {
    refuse(`the function ${seen} is not defined by this app (an imported function, such as lambda.Function.fromFunctionArn, `
      + 'or another IFunction), so no version of it can be published here',
    'make it safe in the app that defines it, and import its alias ARN (`…:function:name:live`) here');
  }
  const fn = candidate as lambda.Function;
  const stack = Stack.of(fn);
  if (Stack.of(owner) !== stack) {
    refuse(`the function ${seen} is in the stack ${stack.node.path}, not in ${Stack.of(owner).node.path}`,
      'create the SafeAlias in the function\'s stack (the function itself is a fine scope: `new SafeAlias(fn, \'Safe\', { function: fn })`)');
  }
  const aliasName = options.aliasName ?? 'live';
  const clash = fn.node.findAll().find((c): c is lambda.Alias => c instanceof lambda.Alias && c.lambda === fn && c.aliasName === aliasName);
  if (clash) {
    refuse(`the function ${seen} already has an alias named '${aliasName}' (${clash.node.path}), and Lambda allows one per name`,
      `remove that alias (\`fn.addAlias('${aliasName}')\`), or set aliasName to another name`);
  }

  // `currentVersionOptions` is private in aws-cdk-lib: read only to refuse what the user asked for
  // explicitly (provisioned concurrency on the version, a removal policy retainVersions contradicts).
  const created = (fn as any)._currentVersion !== undefined;
  const removalPolicy = checkSafeOptions(owner, options, (fn as any).currentVersionOptions);
  const version = fn.currentVersion;
  const cfnVersion = version.node.defaultChild as lambda.CfnVersion;
  if (cfnVersion.provisionedConcurrencyConfig !== undefined) {
    // Seen on the resource too, whatever aws-cdk-lib's private fields are called.
    refuse(`the currentVersion of ${seen} ${created ? 'was created before the SafeAlias ' : ''}with provisioned concurrency `
      + `(${JSON.stringify(Stack.of(fn).resolve(cfnVersion.provisionedConcurrencyConfig))}), which would be stranded on one version`,
    'remove currentVersionOptions.provisionedConcurrentExecutions from the function and set provisionedConcurrentExecutions on the SafeAlias: it configures the alias');
  }
  if (removalPolicy !== undefined) {
    // The same version resource, whether or not it existed before: only its deletion policy changes.
    version.applyRemovalPolicy(removalPolicy);
  }
  return fn;
}
