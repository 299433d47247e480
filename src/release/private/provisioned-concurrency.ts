import { Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { checkScheduleName, fail, isWholeNumberIn } from './validate';
import { ProvisionedConcurrencyScaling } from '../provisioned-concurrency-scaling';

/**
 * Adds Application Auto Scaling to the alias's provisioned concurrency.
 *
 * The scalable target's resource ID comes from `alias.functionName`, which is derived from the
 * alias's ARN, so the target is created after the alias (aws/aws-cdk#7903: "Cannot find alias arn").
 */
export function addProvisionedConcurrencyScaling(alias: lambda.Alias, provisioned: number | undefined,
  scaling: ProvisionedConcurrencyScaling): void {
  const owner = alias.node.scope as Construct;
  const min = scaling.minCapacity ?? provisioned ?? 1;
  const max = scaling.maxCapacity;
  for (const [prop, value, least] of [['minCapacity', min, 0], ['maxCapacity', max, 1]] as const) {
    if (!isWholeNumberIn(value, least)) {
      fail(owner, `provisionedConcurrencyScaling.${prop} must be a whole number of at least ${least}, got ${value}`,
        'Give the capacity as a number of concurrent executions.');
    }
  }
  if (!Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    fail(owner, `provisionedConcurrencyScaling.minCapacity (${min}) is above maxCapacity (${max})`,
      'Raise maxCapacity or lower minCapacity (it defaults to provisionedConcurrentExecutions).');
  }
  if (provisioned !== undefined && ![provisioned, min, max].some(Token.isUnresolved) && (provisioned < min || provisioned > max)) {
    fail(owner, `provisionedConcurrentExecutions (${provisioned}) is outside provisionedConcurrencyScaling's range [${min}, ${max}], `
      + 'so every deployment would reset what Auto Scaling set (aws/aws-cdk#29992)',
    'Set provisionedConcurrentExecutions within [minCapacity, maxCapacity], usually equal to minCapacity.');
  }
  const { utilizationTarget, schedules = [] } = scaling;
  if (utilizationTarget === undefined && schedules.length === 0) {
    fail(owner, 'provisionedConcurrencyScaling has neither utilizationTarget nor schedules, so nothing would ever scale',
      'Add utilizationTarget (for example 0.7) or schedules, or remove provisionedConcurrencyScaling and keep provisionedConcurrentExecutions.');
  }
  if (utilizationTarget !== undefined && !Token.isUnresolved(utilizationTarget) && !(utilizationTarget >= 0.1 && utilizationTarget <= 0.9)) {
    fail(owner, `provisionedConcurrencyScaling.utilizationTarget must be from 0.1 to 0.9, got ${utilizationTarget}`,
      'Use for example 0.7 to scale out when 70% of the provisioned concurrency is in use.');
  }
  const target = alias.addAutoScaling({ minCapacity: min, maxCapacity: max });
  if (utilizationTarget !== undefined) {
    target.scaleOnUtilization({ utilizationTarget });
  }
  const names = new Set<string>();
  for (const { name, ...schedule } of schedules) {
    checkSchedule(owner, name, schedule);
    if (names.has(name)) {
      fail(owner, `provisionedConcurrencyScaling.schedules has two schedules named '${name}'`, 'Give each schedule its own name.');
    }
    names.add(name);
    target.scaleOnSchedule(name, schedule);
  }
}

/** Checks one schedule before aws-cdk-lib, which throws without a construct path. */
function checkSchedule(owner: Construct, name: string, schedule: appscaling.ScalingSchedule): void {
  const prop = `provisionedConcurrencyScaling.schedules['${name}']`;
  checkScheduleName(owner, `${prop}.name`, name);
  if (schedule.minCapacity === undefined && schedule.maxCapacity === undefined) {
    fail(owner, `${prop} sets neither minCapacity nor maxCapacity, so it would change nothing`,
      'Set minCapacity, maxCapacity or both for the time of the schedule.');
  }
  for (const key of ['minCapacity', 'maxCapacity'] as const) {
    const value = schedule[key];
    if (value !== undefined && !isWholeNumberIn(value, 0)) {
      fail(owner, `${prop}.${key} must be a whole number of at least 0, got ${value}`, 'Give the capacity as a number of concurrent executions.');
    }
  }
  const { minCapacity: min, maxCapacity: max } = schedule;
  if (min !== undefined && max !== undefined && !Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    fail(owner, `${prop}.minCapacity (${min}) is above its maxCapacity (${max})`, 'Raise maxCapacity or lower minCapacity.');
  }
  const { startTime, endTime } = schedule;
  if (startTime && endTime && startTime.getTime() >= endTime.getTime()) {
    fail(owner, `${prop}.startTime (${startTime.toISOString()}) is not before its endTime (${endTime.toISOString()})`,
      'Set endTime after startTime, or leave one of them out.');
  }
}
