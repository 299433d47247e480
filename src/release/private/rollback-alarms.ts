import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { fail, fitDescription, isWholeNumberIn, wholeDuration } from './validate';
import { RollbackAlarmOptions } from '../rollback-alarm-options';

/**
 * Creates the alarms on the new version's errors and throttles, as seen through `alias`.
 *
 * The dimensions are built from the underlying function's name and the version's number, never
 * from the alias's own attributes: the deployment group lists these alarms and the alias's update
 * policy names the deployment group, so an alarm that depended on the alias would close a cycle
 * (aws/aws-cdk#2231, #13922).
 */
export function createRollbackAlarms(scope: Construct, alias: lambda.Alias, version: lambda.IVersion,
  options: RollbackAlarmOptions = {}): cloudwatch.Alarm[] {
  // Checked even when the alarms are off, so that switching them back on cannot reveal a bad value.
  const { thresholds, evaluationPeriods, periodSeconds } = checkRollbackAlarmOptions(scope, options);
  if (options.enabled === false) {
    return [];
  }
  const functionName = version.lambda.functionName;
  return Object.entries(thresholds).map(([metricName, threshold]) => {
    const alarm = new cloudwatch.Alarm(scope, `${metricName}Alarm`, {
      alarmDescription: fitDescription(`${metricName} of the new version of ${alias.node.path} during a CodeDeploy deployment: rolls the alias back.`,
        MAX_ALARM_DESCRIPTION_LENGTH),
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: {
          FunctionName: functionName,
          Resource: `${functionName}:${alias.aliasName}`,
          ExecutedVersion: version.version,
        },
        statistic: cloudwatch.Stats.SUM,
        // A deploy-time period cannot pass aws-cdk-lib's check of the metric; it is set on the L1 below.
        period: Token.isUnresolved(periodSeconds) ? Duration.minutes(1) : Duration.seconds(periodSeconds),
      }),
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (Token.isUnresolved(periodSeconds)) {
      (alarm.node.defaultChild as cloudwatch.CfnAlarm).period = periodSeconds;
    }
    return alarm;
  });
}

/** CloudWatch's limit on `AlarmDescription`. */
const MAX_ALARM_DESCRIPTION_LENGTH = 1024;

/** CloudWatch evaluates at most one day of data: `Period` x `EvaluationPeriods` <= 86,400 s. */
const MAX_EVALUATION_SECONDS = 86_400;

/**
 * Validates the rollback alarm options and returns them with their defaults, the period in seconds.
 *
 * AWS/Lambda publishes `Errors` and `Throttles` once a minute, so a period of less than a minute
 * (or not a whole number of minutes) would leave the alarm without data, treated as not breaching:
 * it would never roll anything back.
 */
function checkRollbackAlarmOptions(scope: Construct, options: RollbackAlarmOptions) {
  const evaluationPeriods = options.evaluationPeriods ?? 1;
  const thresholds: Record<string, number> = {
    Errors: options.errorsThreshold ?? 1,
    Throttles: options.throttlesThreshold ?? 1,
  };
  const checked: Record<string, number> = {
    errorsThreshold: thresholds.Errors, throttlesThreshold: thresholds.Throttles, evaluationPeriods,
  };
  for (const [prop, value] of Object.entries(checked)) {
    if (!isWholeNumberIn(value, 1)) {
      fail(scope, `rollbackAlarms.${prop} must be a whole number of at least 1, got ${value}`,
        'Use 1 to roll back on the first occurrence.');
    }
  }
  const period = options.period ?? Duration.minutes(1);
  // CloudFormation holds the period in seconds, and cannot multiply a deploy-time value by 60.
  const periodSeconds = period.isUnresolved()
    ? wholeDuration(scope, 'rollbackAlarms.period', period, 'seconds', 60, MAX_EVALUATION_SECONDS, '')
    : 60 * wholeDuration(scope, 'rollbackAlarms.period', period, 'minutes', 1, MAX_EVALUATION_SECONDS / 60,
      'Use Duration.minutes(n) with n from 1 to 1440: AWS/Lambda publishes Errors and Throttles once a minute, '
      + 'so a shorter period leaves the alarm without data and it never rolls back.');
  if (![periodSeconds, evaluationPeriods].some(Token.isUnresolved) && periodSeconds * evaluationPeriods > MAX_EVALUATION_SECONDS) {
    fail(scope, `rollbackAlarms.period (${periodSeconds / 60} min) x evaluationPeriods (${evaluationPeriods}) is over CloudWatch's one day`,
      'Lower evaluationPeriods or period so that together they cover at most 1440 minutes.');
  }
  return { thresholds, evaluationPeriods, periodSeconds };
}
