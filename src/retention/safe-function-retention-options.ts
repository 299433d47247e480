import { Duration } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';

/**
 * How a SafeFunction keeps its old versions and prunes them.
 *
 * Setting `retainVersions` retains every replaced version (so the alias can be pointed back at it)
 * and adds a pruner that runs after each deployment, once every alias of the function in the stack
 * has moved, and deletes the versions beyond the newest `retainVersions` that nothing uses any more.
 * The pruner never deletes `$LATEST`, a version an alias points or routes to, a version with
 * provisioned concurrency, an event source mapping or a running durable execution, a version any
 * alias pointed or routed to before the deployment (the rollback targets), a version younger than
 * `pruneMinAge`, or anything while a CodeDeploy deployment of the function is in progress. Its
 * first run (when retention is switched on) deletes nothing, since the aliases' previous targets are
 * not recorded yet. It always answers CloudFormation before its own timeout.
 */
export interface SafeFunctionRetentionOptions {
  /**
   * How many of the newest versions to keep, the current one included.
   *
   * Setting it retains replaced versions (`DeletionPolicy: Retain`) and adds the pruner; it
   * conflicts with `versionRemovalPolicy: RemovalPolicy.DESTROY`. A whole number, at least 1.
   *
   * On a capacity provider (Lambda Managed Instances), whose 100 versions all its functions share,
   * synthesis adds up what every SafeFunction on it may keep (a warning from 80, an error past 100),
   * and the pruner deletes the oldest of these N (never a protected version) while the provider has
   * no room left for each of its functions to publish.
   *
   * @default - no pruner; replaced versions follow `versionRemovalPolicy`
   */
  readonly retainVersions?: number;

  /**
   * Versions younger than this are never pruned, however many there are.
   *
   * Protects rollback targets when several deployments follow each other quickly. Measured from the
   * version's `LastModified`.
   *
   * @default Duration.hours(1)
   */
  readonly pruneMinAge?: Duration;

  /**
   * The most versions one deployment deletes.
   *
   * Limits the API calls (and the blast radius) of a single run; a backlog is worked off over the
   * following deployments. A whole number, at least 1.
   *
   * @default 50
   */
  readonly pruneMaxDeletions?: number;

  /**
   * Report what the pruner would delete, and delete nothing.
   *
   * The candidates appear in the pruner's log and in its `WouldDelete` attribute.
   *
   * @default false
   */
  readonly pruneDryRun?: boolean;

  /**
   * Fail the deployment (and roll it back) when pruning fails or runs out of time.
   *
   * By default a failure to prune (a timeout included) is reported in the pruner's log and in its `Errors` attribute, and
   * the deployment carries on: old versions cost storage, not availability.
   * A version someone else deleted first is not a failure.
   *
   * @default false
   */
  readonly pruneStrict?: boolean;

  /**
   * A CodeDeploy deployment group that deploys this function.
   *
   * While one of its deployments is in progress, the pruner deletes nothing. The group the
   * `deployment` prop creates or adopts is watched without it.
   *
   * @default - the group of the `deployment` prop, if any; otherwise no CodeDeploy check
   */
  readonly pruneDeploymentGroup?: codedeploy.ILambdaDeploymentGroup;
}
