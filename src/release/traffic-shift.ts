import { Duration, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Construct } from 'constructs';

/**
 * How CodeDeploy moves the live alias from the previous version to the new one.
 *
 * The predefined CodeDeploy configurations are used where one matches (`canary(10, 5 minutes)` is
 * `CodeDeployDefault.LambdaCanary10Percent5Minutes`); any other percentage or interval creates a
 * custom deployment configuration next to the deployment group.
 */
export class TrafficShift {
  /**
   * Shifts `percent` of the traffic to the new version, then the rest after `interval`.
   *
   * @param percent whole percentage of traffic the new version receives first, 1 to 99
   * @param interval how long the new version serves that share before the rest moves, whole minutes, at least 1
   */
  public static canary(percent: number, interval: Duration): TrafficShift {
    return new TrafficShift(timeBased('canary', percent, interval,
      () => new codedeploy.TimeBasedCanaryTrafficRouting({ percentage: percent, interval })));
  }

  /**
   * Shifts `percent` more of the traffic to the new version every `interval`, until all of it has moved.
   *
   * @param percent whole percentage of traffic moved at each step, 1 to 99
   * @param interval time between two steps, whole minutes, at least 1
   */
  public static linear(percent: number, interval: Duration): TrafficShift {
    return new TrafficShift(timeBased('linear', percent, interval,
      () => new codedeploy.TimeBasedLinearTrafficRouting({ percentage: percent, interval })));
  }

  /**
   * Moves all of the traffic at once, after the pre-traffic hook has passed.
   *
   * Still worth a deployment: hooks run, and alarms roll back during the post-traffic hook.
   */
  public static allAtOnce(): TrafficShift {
    return new TrafficShift(() => codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE);
  }

  /**
   * Uses any CodeDeploy deployment configuration for Lambda: a predefined one, one created with
   * `codedeploy.LambdaDeploymentConfig`, or one imported by name.
   */
  public static fromConfig(config: codedeploy.ILambdaDeploymentConfig): TrafficShift {
    return new TrafficShift(() => config);
  }

  private constructor(private readonly produce: (scope: Construct) => codedeploy.ILambdaDeploymentConfig) {}

  /**
   * The deployment configuration, created under `scope` when it is a custom one.
   *
   * @internal
   */
  public _bind(scope: Construct): codedeploy.ILambdaDeploymentConfig {
    return this.produce(scope);
  }
}

const PREDEFINED: Record<string, codedeploy.ILambdaDeploymentConfig> = {
  'canary:10:5': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  'canary:10:10': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
  'canary:10:15': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  'canary:10:30': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_30MINUTES,
  'linear:10:1': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  'linear:10:2': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES,
  'linear:10:3': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
  'linear:10:10': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_10MINUTES,
};

/**
 * A canary or linear shift: the predefined configuration when one matches, else a custom one
 * created under the deployment.
 */
function timeBased(kind: 'canary' | 'linear', percent: number, interval: Duration,
  trafficRouting: () => codedeploy.TrafficRouting): (scope: Construct) => codedeploy.ILambdaDeploymentConfig {
  checkShift(kind, percent, interval);
  const minutes = interval.isUnresolved() ? 'token' : interval.toMilliseconds() / 60_000;
  const predefined = PREDEFINED[`${kind}:${percent}:${minutes}`];
  return (scope) => predefined ?? new codedeploy.LambdaDeploymentConfig(scope, 'TrafficShift', { trafficRouting: trafficRouting() });
}

// CodeDeploy counts in whole percents and whole minutes; anything else would only fail at deploy time.
function checkShift(kind: string, percent: number, interval: Duration): void {
  if (!Token.isUnresolved(percent) && !(Number.isInteger(percent) && percent >= 1 && percent <= 99)) {
    throw new Error(`TrafficShift.${kind}: percent must be a whole number from 1 to 99, got ${percent}. `
      + 'Use TrafficShift.allAtOnce() to move all traffic in one step, or a percent such as 10.');
  }
  if (!interval.isUnresolved()) {
    const ms = interval.toMilliseconds();
    if (ms < 60_000 || ms % 60_000 !== 0) {
      throw new Error(`TrafficShift.${kind}: interval must be a whole number of minutes, at least 1, got ${interval.toHumanString()}. `
        + 'Use Duration.minutes(n) with n >= 1: CodeDeploy shifts traffic in whole minutes.');
    }
  }
}
