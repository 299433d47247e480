import { AliasTargetOptions } from './alias-target-options';
import { ProvisionedConcurrencyScaling } from './provisioned-concurrency-scaling';
import { SafeDeploymentOptions } from './safe-deployment';
import { StageAlias } from './stage-alias';

/**
 * How a SafeFunction releases new versions: through CodeDeploy, pinned, split, and on which aliases.
 *
 * `pinnedVersion` and `weightedRouting` apply to the live alias.
 */
export interface SafeFunctionReleaseOptions extends AliasTargetOptions {
  /**
   * Releases each new version through CodeDeploy: traffic shifts gradually to it, hooks test it,
   * and alarms on its errors and throttles roll the live alias back.
   *
   * Cannot be combined with `pinnedVersion` or `weightedRouting`, which set the live alias's
   * versions themselves.
   *
   * @default - the live alias moves to each new version in one step
   */
  readonly deployment?: SafeDeploymentOptions;

  /**
   * More aliases on the same function (dev, beta, prod, branches), each on the current version or
   * on its own pinned version. See also `addStageAlias`.
   *
   * @default - the live alias only
   */
  readonly stageAliases?: StageAlias[];

  /**
   * Autoscaling of the live alias's provisioned concurrency, starting from
   * `provisionedConcurrentExecutions`.
   *
   * @default - no autoscaling
   */
  readonly provisionedConcurrencyScaling?: ProvisionedConcurrencyScaling;
}
