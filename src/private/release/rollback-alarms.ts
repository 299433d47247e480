import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { fail, isWholeNumberIn } from './validate';
import { RollbackAlarmOptions } from '../../release/rollback-alarm-options';

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
  if (options.enabled === false) {
    return [];
  }
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
        'Use 1 to roll back on the first occurrence, or set rollbackAlarms.enabled to false to create no alarms.');
    }
  }
  const functionName = version.lambda.functionName;
  return Object.entries(thresholds).map(([metricName, threshold]) => new cloudwatch.Alarm(scope, `${metricName}Alarm`, {
    alarmDescription: `${metricName} of the new version of ${alias.node.path} during a CodeDeploy deployment: rolls the alias back.`,
    metric: new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: {
        FunctionName: functionName,
        Resource: `${functionName}:${alias.aliasName}`,
        ExecutedVersion: version.version,
      },
      statistic: cloudwatch.Stats.SUM,
      period: options.period ?? Duration.minutes(1),
    }),
    threshold,
    evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }));
}
