import { CfnParameter, Duration, Token } from 'aws-cdk-lib';
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

  test.each([
    ['the live alias', (p: number) => ({ provisionedConcurrentExecutions: p }), 'live'],
    ['a stage alias', (p: number) => ({ stageAliases: [{ aliasName: 'dev', provisionedConcurrentExecutions: p }] }), 'dev'],
  ])('a CfnParameter as provisioned concurrency of %s, which aws-cdk-lib alone refuses', (_alias, props, name) => {
    // GIVEN
    const stack = newStack();
    const param = new CfnParameter(stack, 'Concurrency', { type: 'Number' });

    // WHEN
    newSafeFunction(stack, props(param.valueAsNumber));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      Name: name, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: { Ref: 'Concurrency' } },
    });
  });

  test('a CfnParameter as the weight of the current version, which aws-cdk-lib alone refuses', () => {
    // GIVEN
    const stack = newStack();
    const param = new CfnParameter(stack, 'Weight', { type: 'Number' });

    // WHEN
    const fn = newSafeFunction(stack, { weightedRouting: { stableVersion: '4', newVersionWeight: param.valueAsNumber } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      FunctionVersion: '4',
      RoutingConfig: { AdditionalVersionWeights: [{ FunctionVersion: stack.resolve(fn.currentVersion.version), FunctionWeight: { Ref: 'Weight' } }] },
    });
  });

  test('an alarm period in seconds', () => {
    // GIVEN
    const stack = newStack();
    const param = new CfnParameter(stack, 'Period', { type: 'Number' });

    // WHEN
    newSafeFunction(stack, { deployment: { rollbackAlarms: { period: Duration.seconds(param.valueAsNumber) } } });

    // THEN
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Period: { Ref: 'Period' } }, 2);
  });
});
