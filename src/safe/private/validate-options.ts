import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { aliasNameProblem } from '../../private/alias-name';
import { checkRemovalPoliciesAgree } from '../../release/private/validate';
import { versionRemovalPolicy } from '../../retention/private/version-pruner';
import { SafeFunctionOptions } from '../safe-function-options';

/**
 * Checks the safe options before anything is built, and returns the removal policy the function's
 * versions need (retainVersions retains replaced versions for the pruner, and rejects a policy that
 * deletes them).
 *
 * @param versionOptions the `currentVersionOptions` the function is (or will be) built with
 */
export function checkSafeOptions(owner: IConstruct, options: SafeFunctionOptions,
  versionOptions: lambda.VersionOptions | undefined): RemovalPolicy | undefined {
  const path = owner.node.path;
  const aliasName = options.aliasName ?? 'live';
  const problem = aliasNameProblem(aliasName);
  if (problem) {
    throw new Error(`${path}: invalid aliasName '${aliasName}': ${problem}. `
      + 'Use 1 to 128 letters, digits, `-` or `_`, not all digits (for example \'live\').');
  }
  if (versionOptions?.provisionedConcurrentExecutions !== undefined) {
    throw new Error(`${path}: currentVersionOptions.provisionedConcurrentExecutions is `
      + `${versionOptions.provisionedConcurrentExecutions}, which would strand provisioned concurrency on one version. `
      + 'Use the provisionedConcurrentExecutions prop instead: it configures the alias.');
  }
  const pc = options.provisionedConcurrentExecutions;
  if (pc !== undefined && !Token.isUnresolved(pc) && (!Number.isInteger(pc) || pc < 1)) {
    throw new Error(`${path}: provisionedConcurrentExecutions must be a whole number of at least 1, got ${pc}. `
      + 'Omit it for no provisioned concurrency.');
  }
  checkAsyncInvokeOptions(path, options);
  // Two removal policies that disagree: one would be silently ignored (SNAPSHOT is refused in createLiveAlias).
  checkRemovalPoliciesAgree(owner, options.versionRemovalPolicy, versionOptions?.removalPolicy);
  return versionRemovalPolicy(owner, options, options.versionRemovalPolicy ?? versionOptions?.removalPolicy);
}

/**
 * The asynchronous-invocation settings, against Lambda's limits (`MaximumRetryAttempts` 0–2, whole;
 * `MaximumEventAgeInSeconds` 60–21600, whole), before aws-cdk-lib's own checks, which name no path and
 * let a fractional retry count through to the deployment.
 */
function checkAsyncInvokeOptions(path: string, options: SafeFunctionOptions): void {
  const retries = options.retryAttempts;
  if (retries !== undefined && !Token.isUnresolved(retries) && !(Number.isInteger(retries) && retries >= 0 && retries <= 2)) {
    throw new Error(`${path}: retryAttempts must be a whole number from 0 to 2, got ${retries}. `
      + 'Lambda retries a failed asynchronous invocation at most twice; use 0 to never retry.');
  }
  const age = options.maxEventAge;
  let seconds: number | undefined;
  try {
    seconds = age?.toSeconds({ integral: false });
  } catch {
    // A deploy-time Duration in another unit: aws-cdk-lib's own message says which unit it needs.
  }
  if (age !== undefined && seconds !== undefined && !Token.isUnresolved(seconds)) {
    if (!(Number.isInteger(seconds) && seconds >= 60 && seconds <= 21600)) {
      throw new Error(`${path}: maxEventAge must be a whole number of seconds from 1 minute to 6 hours, got ${age.toHumanString()}. `
        + 'Use for example Duration.minutes(5) or Duration.hours(6).');
    }
  }
}
