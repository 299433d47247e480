import { Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newSafeFunction, newStack } from './release-helpers';

describe('provisioned concurrency autoscaling', () => {
  test('scales the live alias on utilization from the provisioned concurrency up to the maximum', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = newSafeFunction(stack, {
      provisionedConcurrentExecutions: 5,
      provisionedConcurrencyScaling: { maxCapacity: 50, utilizationTarget: 0.7 },
    });

    // THEN
    const template = Template.fromStack(stack);
    const aliasId = stack.getLogicalId(fn.live.node.defaultChild as lambda.CfnAlias);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 5 } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 5,
      MaxCapacity: 50,
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      ServiceNamespace: 'lambda',
    });
    // the resource ID is derived from the alias's ARN, so the target waits for the alias (aws/aws-cdk#7903)
    const target = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0];
    expect(JSON.stringify(target.Properties.ResourceId)).toContain(JSON.stringify({ Ref: aliasId }));
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 0.7,
        PredefinedMetricSpecification: { PredefinedMetricType: 'LambdaProvisionedConcurrencyUtilization' },
      },
    });
  });

  test('schedules change the capacity range of the live alias', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, {
      provisionedConcurrentExecutions: 2,
      provisionedConcurrencyScaling: {
        maxCapacity: 20,
        schedules: [
          { name: 'Morning', schedule: appscaling.Schedule.cron({ hour: '8', minute: '0' }), minCapacity: 10 },
          { name: 'Night', schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }), minCapacity: 2 },
        ],
      },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 20,
      ScheduledActions: [
        { ScheduledActionName: 'Morning', Schedule: 'cron(0 8 * * ? *)', ScalableTargetAction: { MinCapacity: 10 } },
        { ScheduledActionName: 'Night', Schedule: 'cron(0 20 * * ? *)', ScalableTargetAction: { MinCapacity: 2 } },
      ],
    });
  });

  test('without provisioned concurrency the scaling floor defaults to 1', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { provisionedConcurrencyScaling: { maxCapacity: 4, utilizationTarget: 0.5 } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 4 });
  });
});

describe('provisioned concurrency autoscaling: bad input', () => {
  test('fails when the provisioned concurrency lies outside the scaling range', () => {
    expect(() => newSafeFunction(newStack(), {
      provisionedConcurrentExecutions: 100, provisionedConcurrencyScaling: { minCapacity: 1, maxCapacity: 10, utilizationTarget: 0.7 },
    })).toThrow('Default/Fn: provisionedConcurrentExecutions (100) is outside provisionedConcurrencyScaling\'s range [1, 10], '
      + 'so every deployment would reset what Auto Scaling set (aws/aws-cdk#29992). Set provisionedConcurrentExecutions within');
  });

  test('fails when the minimum is above the maximum', () => {
    expect(() => newSafeFunction(newStack(), { provisionedConcurrencyScaling: { minCapacity: 8, maxCapacity: 4, utilizationTarget: 0.7 } }))
      .toThrow('Default/Fn: provisionedConcurrencyScaling.minCapacity (8) is above maxCapacity (4). Raise maxCapacity or lower minCapacity');
  });

  test('fails when nothing would scale', () => {
    expect(() => newSafeFunction(newStack(), { provisionedConcurrencyScaling: { maxCapacity: 4 } }))
      .toThrow(/provisionedConcurrencyScaling has neither utilizationTarget nor schedules, so nothing would ever scale. Add utilizationTarget/);
  });

  test.each([0.05, 0.95])('fails for a utilization target of %p', (target) => {
    expect(() => newSafeFunction(newStack(), { provisionedConcurrencyScaling: { maxCapacity: 4, utilizationTarget: target } }))
      .toThrow(`Default/Fn: provisionedConcurrencyScaling.utilizationTarget must be from 0.1 to 0.9, got ${target}.`);
  });

  test('fails for a fractional maximum', () => {
    expect(() => newSafeFunction(newStack(), { provisionedConcurrencyScaling: { maxCapacity: 2.5, utilizationTarget: 0.5 } }))
      .toThrow('Default/Fn: provisionedConcurrencyScaling.maxCapacity must be a whole number of at least 1, got 2.5.');
  });

  test('fails for two schedules of the same name', () => {
    const schedule = appscaling.Schedule.cron({ hour: '8', minute: '0' });
    expect(() => newSafeFunction(newStack(), {
      provisionedConcurrencyScaling: { maxCapacity: 4, schedules: [{ name: 'Up', schedule, minCapacity: 2 }, { name: 'Up', schedule, minCapacity: 3 }] },
    })).toThrow('Default/Fn: provisionedConcurrencyScaling.schedules has two schedules named \'Up\'. Give each schedule its own name.');
  });
});
