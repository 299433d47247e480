import { Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newSafeFunction, newStack } from './release-helpers';
import { TrafficShift } from '../../src';

/** A number known only at deploy time. */
const deployTime = (name: string) => Token.asNumber({ Ref: name });

describe('values known only at deploy time pass validation', () => {
  test('a canary percent and interval', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { trafficShift: TrafficShift.canary(deployTime('Percent'), Duration.minutes(deployTime('Minutes'))) } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
      TrafficRoutingConfig: { TimeBasedCanary: { CanaryPercentage: { Ref: 'Percent' }, CanaryInterval: { Ref: 'Minutes' } } },
    });
  });

  test('alarm thresholds', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { rollbackAlarms: { errorsThreshold: deployTime('Errors') } } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Threshold: { Ref: 'Errors' } });
  });

  // lambda.Alias itself refuses a token weight (aws-cdk-lib 2.189), so only the version is a token here
  test('a stable version', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { weightedRouting: { stableVersion: Token.asString({ Ref: 'Stable' }), newVersionWeight: 0.25 } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      FunctionVersion: { Ref: 'Stable' },
      RoutingConfig: { AdditionalVersionWeights: [Match.objectLike({ FunctionWeight: 0.25 })] },
    });
  });

  test('scaling capacities and utilization target', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, {
      provisionedConcurrencyScaling: { minCapacity: deployTime('Min'), maxCapacity: deployTime('Max'), utilizationTarget: deployTime('Target') },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: { Ref: 'Min' }, MaxCapacity: { Ref: 'Max' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: { Ref: 'Target' } },
    });
  });
});
