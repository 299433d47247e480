import { Duration } from 'aws-cdk-lib';

/**
 * The alarms SafeFunction creates for a deployment: they watch the new version while traffic moves
 * to it, and CodeDeploy rolls the alias back when one goes off.
 *
 * Both alarms count invocations of the new version through the alias (metric dimensions
 * `FunctionName`, `Resource` = `name:alias` and `ExecutedVersion`), so traffic still served by the
 * previous version cannot trigger a rollback, and the new version's errors are not diluted by it.
 */
export interface RollbackAlarmOptions {
  /**
   * Whether SafeFunction creates the errors and throttles alarms.
   *
   * Alarms passed in `alarms` are used either way.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Number of errors of the new version, within one period, that rolls the deployment back.
   *
   * @default 1
   */
  readonly errorsThreshold?: number;

  /**
   * Number of throttled invocations of the new version, within one period, that rolls the
   * deployment back.
   *
   * @default 1
   */
  readonly throttlesThreshold?: number;

  /**
   * Period over which errors and throttles are summed.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * Number of consecutive periods over the threshold before the alarm goes off.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;
}
