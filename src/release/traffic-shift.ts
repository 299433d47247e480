import { Duration, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Construct } from 'constructs';
import { fail, wholeDuration } from './private/validate';

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
 * created under the deployment. Checked when bound, so that the error names the construct that
 * uses the shift.
 */
function timeBased(kind: 'canary' | 'linear', percent: number, interval: Duration,
  trafficRouting: () => codedeploy.TrafficRouting): (scope: Construct) => codedeploy.ILambdaDeploymentConfig {
  return (scope) => {
    const minutes = checkShift(scope, kind, percent, interval);
    const predefined = Token.isUnresolved(percent) || Token.isUnresolved(minutes) ? undefined : PREDEFINED[`${kind}:${percent}:${minutes}`];
    return predefined ?? new codedeploy.LambdaDeploymentConfig(scope, 'TrafficShift', { trafficRouting: trafficRouting() });
  };
}

// CodeDeploy counts in whole percents and whole minutes; anything else would only fail at deploy time.
function checkShift(scope: Construct, kind: string, percent: number, interval: Duration): number {
  const prop = `deployment.trafficShift (TrafficShift.${kind})`;
  if (!Token.isUnresolved(percent) && !(Number.isInteger(percent) && percent >= 1 && percent <= 99)) {
    fail(scope, `${prop}: percent must be a whole number from 1 to 99, got ${percent}`,
      'Use TrafficShift.allAtOnce() to move all traffic in one step, or a percent such as 10.');
  }
  const minutes = wholeDuration(scope, `${prop}: interval`, interval, 'minutes', 1, MAX_SHIFT_MINUTES,
    `Use Duration.minutes(n) with n from 1 to ${MAX_SHIFT_MINUTES}: CodeDeploy shifts traffic in whole minutes.`);
  if (kind === 'linear' && ![percent, minutes].some(Token.isUnresolved)) {
    // 10% every 10 minutes reaches 100% after 9 intervals.
    const total = (Math.ceil(100 / percent) - 1) * minutes;
    if (total > MAX_SHIFT_MINUTES) {
      fail(scope, `${prop}: ${percent}% every ${minutes} minutes takes ${total} minutes to move all traffic, over CodeDeploy's ${MAX_SHIFT_MINUTES}`,
        'Raise percent or shorten interval.');
    }
  }
  return minutes;
}

/** CodeDeploy's quota on the time until all traffic has shifted in a canary or linear deployment (2 days). */
const MAX_SHIFT_MINUTES = 2880;
