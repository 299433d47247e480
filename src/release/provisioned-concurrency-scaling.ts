import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';

/**
 * Autoscaling of the live alias's provisioned concurrency, alongside `provisionedConcurrentExecutions`.
 *
 * Application Auto Scaling targets the alias (`function:name:live`), never a version, so the
 * capacity follows the alias from release to release.
 */
export interface ProvisionedConcurrencyScaling {
  /**
   * Most provisioned concurrency the alias may be scaled to.
   */
  readonly maxCapacity: number;

  /**
   * Least provisioned concurrency the alias is scaled to.
   *
   * Keep `provisionedConcurrentExecutions` within `[minCapacity, maxCapacity]`: CloudFormation
   * sets that value on every alias update and Auto Scaling moves it, and the two fight otherwise
   * (aws/aws-cdk#29992, #30503).
   *
   * @default - provisionedConcurrentExecutions, or 1
   */
  readonly minCapacity?: number;

  /**
   * Target utilization of the provisioned concurrency, from 0.1 to 0.9, tracked by scaling.
   *
   * @default - no target tracking
   */
  readonly utilizationTarget?: number;

  /**
   * Scheduled changes of the capacity (for example, up in the morning, down at night).
   *
   * @default - no schedules
   */
  readonly schedules?: ProvisionedConcurrencySchedule[];
}

/**
 * A scheduled change of an alias's provisioned concurrency range.
 */
export interface ProvisionedConcurrencySchedule extends appscaling.ScalingSchedule {
  /**
   * Name of the scheduled action, unique among the alias's schedules (letters and digits).
   */
  readonly name: string;
}
