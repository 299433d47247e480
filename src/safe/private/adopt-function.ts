import { CfnDeletionPolicy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { madeSafeBy } from './made-safe';
import { checkSafeOptions } from './validate-options';
import { SafeFunctionBase } from '../safe-function-base';
import { SafeFunctionOptions } from '../safe-function-options';

const DELETION_POLICY: Record<string, CfnDeletionPolicy> = {
  [RemovalPolicy.DESTROY]: CfnDeletionPolicy.DELETE,
  [RemovalPolicy.RETAIN]: CfnDeletionPolicy.RETAIN,
  [RemovalPolicy.SNAPSHOT]: CfnDeletionPolicy.SNAPSHOT,
  [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE]: CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE,
};

/**
 * Checks that `candidate` is a function this app defines and can publish versions of, and gives its
 * `currentVersion` the options the safe part needs; refuses, naming the value and the fix, what
 * cannot work.
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

  // Private in aws-cdk-lib: read, and written only while no version exists; what the version got is
  // checked below on its resource, so a renamed field fails loudly instead of silently.
  const created = (fn as any)._currentVersion !== undefined;
  const versionOptions: lambda.VersionOptions | undefined = (fn as any).currentVersionOptions;
  const removalPolicy = checkSafeOptions(owner, options, created ? undefined : versionOptions);
  if (!created && removalPolicy !== undefined) {
    (fn as any).currentVersionOptions = { ...versionOptions, removalPolicy };
  }
  const version = fn.currentVersion.node.defaultChild as lambda.CfnVersion;
  const when = created ? 'was created before the SafeAlias (something read `currentVersion` or called `addAlias`)' : 'is created';
  if (version.provisionedConcurrencyConfig !== undefined) {
    refuse(`the currentVersion of ${seen} ${when} with provisioned concurrency `
      + `(${JSON.stringify(Stack.of(fn).resolve(version.provisionedConcurrencyConfig))}), which would be stranded on one version`,
    'remove currentVersionOptions.provisionedConcurrentExecutions from the function and set provisionedConcurrentExecutions on the SafeAlias: it configures the alias');
  }
  const wanted = removalPolicy && DELETION_POLICY[removalPolicy];
  if (wanted !== undefined && version.cfnOptions.deletionPolicy !== wanted) {
    refuse(`the currentVersion of ${seen} ${when} with the deletion policy ${version.cfnOptions.deletionPolicy ?? 'Delete'}, `
      + `but ${options.retainVersions !== undefined ? `retainVersions (${options.retainVersions})` : 'versionRemovalPolicy'} needs ${wanted}`,
    `create the SafeAlias right after the function, before anything reads \`fn.currentVersion\`, or give the function \`currentVersionOptions: { removalPolicy: RemovalPolicy.${removalPolicy!.toUpperCase()} }\``);
  }
  return fn;
}
