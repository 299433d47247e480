import { CfnDeletionPolicy, CfnResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { resolveAliasTarget, warnPinned } from './alias-target';
import { AliasTargetOptions } from '../alias-target-options';
import { newAlias } from './new-alias';
import { addProvisionedConcurrencyScaling } from './provisioned-concurrency';
import { checkDescription, checkVersionRemovalPolicy, fail, isWholeNumberIn } from './validate';
import { aliasNameProblem } from '../../private/alias-name';
import { SafeDeployment } from '../safe-deployment';
import { SafeFunctionReleaseOptions } from '../safe-function-release-options';
import { StageAliasOptions } from '../stage-alias';

/** What the release logic needs of a SafeFunction. */
export interface ReleaseSubject {
  /** The SafeFunction. */
  readonly owner: Construct;
  /** Its unqualified function. */
  readonly fn: lambda.IFunction;
  /** The version published from the current code and configuration. */
  readonly current: lambda.IVersion;
  /** Name of the live alias. */
  readonly aliasName: string;
}

/**
 * Creates the live alias (`Alias`) on the current version, a pinned version or a weighted split,
 * with its provisioned concurrency and autoscaling.
 */
export function createLiveAlias(subject: ReleaseSubject, description: string | undefined,
  provisionedConcurrentExecutions: number | undefined, options: SafeFunctionReleaseOptions): lambda.Alias {
  const { owner, fn, current, aliasName } = subject;
  if (options.deployment) {
    // CodeDeploy owns the alias's version and routing during a deployment; a pin or a split on
    // top would be undone by the deployment or fail it.
    for (const prop of ['pinnedVersion', 'weightedRouting'] as const) {
      if (options[prop] !== undefined) {
        fail(owner, `${prop} (${JSON.stringify(options[prop])}) and deployment are both set, but CodeDeploy moves '${aliasName}' itself`,
          `Remove deployment while ${prop} is set (put it back to release), or remove ${prop}.`);
      }
    }
  }
  checkDescription(owner, 'aliasDescription', description);
  checkCurrentVersionPolicy(owner, current);
  checkWeightsWithoutProvisioned(owner, '', aliasName, options, provisionedConcurrentExecutions);
  const target = resolveAliasTarget(owner, fn, current, aliasName, options, '');
  // `new Alias`, not the deprecated `Version#addAlias`, which replaces the alias on every update
  // (aws/aws-cdk#20034).
  const alias = newAlias(owner, 'Alias', {
    aliasName,
    ...target,
    description,
    provisionedConcurrentExecutions,
  });
  if (options.pinnedVersion !== undefined) {
    warnPinned(owner, aliasName, options.pinnedVersion);
  }
  if (options.provisionedConcurrencyScaling) {
    addProvisionedConcurrencyScaling(alias, provisionedConcurrentExecutions, options.provisionedConcurrencyScaling);
  }
  return alias;
}

/**
 * Sets up what follows the live alias: the CodeDeploy deployment and the stage aliases.
 */
export function configureRelease(subject: ReleaseSubject, live: lambda.Alias, options: SafeFunctionReleaseOptions): SafeDeployment | undefined {
  for (const { aliasName, ...stage } of options.stageAliases ?? []) {
    addStageAlias(subject, aliasName, stage);
  }
  return options.deployment && new SafeDeployment(subject.owner, 'Deployment', {
    ...options.deployment,
    alias: live,
    version: subject.current,
  });
}

/**
 * Adds a stage alias next to the live one. Its construct ID is derived from its name, so adding,
 * removing or reordering aliases never replaces (deletes) another one (aws/serverless-application-model#298).
 */
export function addStageAlias(subject: ReleaseSubject, aliasName: string, options: StageAliasOptions): lambda.Alias {
  const { owner, fn, current } = subject;
  const problem = aliasNameProblem(aliasName);
  if (problem) {
    fail(owner, `invalid stage alias name '${aliasName}': ${problem}`,
      'Use 1 to 128 letters, digits, `-` or `_`, not all digits (for a branch, SafeFunction.aliasNameForBranch(branch)).');
  }
  if (Token.isUnresolved(aliasName)) {
    fail(owner, `the stage alias name '${aliasName}' is not known at synth time`,
      'Pass a literal name: the alias\'s logical ID is derived from it, so that aliases never replace each other.');
  }
  if (aliasName === subject.aliasName) {
    fail(owner, `the stage alias '${aliasName}' has the name of the live alias`,
      `Choose another name; '${aliasName}' is already the alias integrations bind to.`);
  }
  const id = `StageAlias-${aliasName}`;
  if (owner.node.tryFindChild(id)) {
    fail(owner, `the stage alias '${aliasName}' is added twice`, 'Add each stage alias once.');
  }
  checkDescription(owner, `stage alias '${aliasName}': description`, options.description);
  checkWeightsWithoutProvisioned(owner, `stage alias '${aliasName}': `, aliasName, options, options.provisionedConcurrentExecutions);
  const target = resolveAliasTarget(owner, fn, current, aliasName, options, `stage alias '${aliasName}': `);
  if (options.provisionedConcurrentExecutions !== undefined && !isWholeNumberIn(options.provisionedConcurrentExecutions, 1)) {
    fail(owner, `stage alias '${aliasName}': provisionedConcurrentExecutions must be a whole number of at least 1, got ${options.provisionedConcurrentExecutions}`,
      'Omit it for no provisioned concurrency.');
  }
  return newAlias(owner, id, {
    aliasName,
    ...target,
    description: options.description,
    provisionedConcurrentExecutions: options.provisionedConcurrentExecutions,
  });
}

/**
 * Lambda refuses provisioned concurrency on an alias that routes to two versions ("Alias with weights
 * can not be used with Provisioned Concurrency"), which leaves the stack stuck mid-update; `cdk-safe-lambda
 * diff` calls it `SafeLambda-WeightedProvisionedAlias`. Refused here too, with the same fix.
 */
function checkWeightsWithoutProvisioned(owner: Construct, prefix: string, aliasName: string, options: AliasTargetOptions,
  provisionedConcurrentExecutions: number | undefined): void {
  if (options.weightedRouting && provisionedConcurrentExecutions !== undefined) {
    fail(owner, `${prefix}weightedRouting (${JSON.stringify(options.weightedRouting)}) and ${prefix}provisionedConcurrentExecutions `
      + `(${provisionedConcurrentExecutions}) are both set on '${aliasName}', but Lambda refuses provisioned concurrency on an alias that routes to two versions`,
    `Finish the split first (pin or drop ${prefix}weightedRouting), then set ${prefix}provisionedConcurrentExecutions, or drop one of the two.`);
  }
}

/**
 * Fails when the current version would be deleted with a Snapshot policy, however it was asked for
 * (`versionRemovalPolicy`, `currentVersionOptions.removalPolicy`, an adopted function's options).
 */
function checkCurrentVersionPolicy(owner: Construct, current: lambda.IVersion): void {
  const cfn = current.node.defaultChild as CfnResource | undefined;
  if (cfn && CfnResource.isCfnResource(cfn) && cfn.cfnOptions.deletionPolicy === CfnDeletionPolicy.SNAPSHOT) {
    checkVersionRemovalPolicy(owner, 'the version removal policy (versionRemovalPolicy or currentVersionOptions.removalPolicy)', RemovalPolicy.SNAPSHOT);
  }
}
