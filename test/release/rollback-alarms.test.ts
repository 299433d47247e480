import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { dependencyCycles, newSafeFunction, newStack } from './release-helpers';
import { TrafficHook, TrafficShift } from '../../src';

/** Logical IDs of the function and of its current version, from the only alias in the template. */
function functionAndVersion(template: Template): { fn: string; version: string } {
  const alias = Object.values(template.findResources('AWS::Lambda::Alias'))[0].Properties;
  return { fn: alias.FunctionName.Ref, version: alias.FunctionVersion['Fn::GetAtt'][0] };
}

describe('rollback alarms', () => {
  test.each(['Errors', 'Throttles'])('alarms on the %s of the new version as invoked through the live alias', (metricName) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { trafficShift: TrafficShift.canary(10, Duration.minutes(5)) } });

    // THEN
    const template = Template.fromStack(stack);
    const { fn, version } = functionAndVersion(template);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: Match.arrayEquals([
        { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [version, 'Version'] } },
        { Name: 'FunctionName', Value: { Ref: fn } },
        { Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: fn }, ':live']] } },
      ]),
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('the deployment group rolls back on the generated alarms and on the user\'s alarms', () => {
    // GIVEN
    const stack = newStack();
    const latency = new cloudwatch.Alarm(stack, 'Latency', {
      metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: 'Latency' }), threshold: 500, evaluationPeriods: 1,
    });

    // WHEN
    const fn = newSafeFunction(stack, { deployment: { alarms: [latency] } });
    const duration = fn.metricDuration().createAlarm(stack, 'Duration', { threshold: 1000, evaluationPeriods: 1 });
    fn.deployment!.addAlarm(duration);

    // THEN
    const template = Template.fromStack(stack);
    const [errors, throttles] = fn.deployment!.rollbackAlarms.map((a) => stack.resolve((a as cloudwatch.Alarm).alarmName));
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      AlarmConfiguration: {
        Enabled: true,
        Alarms: [{ Name: errors }, { Name: throttles }, { Name: stack.resolve(latency.alarmName) }, { Name: stack.resolve(duration.alarmName) }],
      },
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
    });
  });

  test('thresholds, period and evaluation periods are configurable', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, {
      deployment: { rollbackAlarms: { errorsThreshold: 5, throttlesThreshold: 20, period: Duration.minutes(2), evaluationPeriods: 3 } },
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Threshold: 5, Period: 120, EvaluationPeriods: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Threshold: 20, Period: 120, EvaluationPeriods: 3 });
  });

  test('with generated alarms disabled only the user\'s alarms roll back', () => {
    // GIVEN
    const stack = newStack();
    const latency = new cloudwatch.Alarm(stack, 'Latency', {
      metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: 'Latency' }), threshold: 500, evaluationPeriods: 1,
    });

    // WHEN
    newSafeFunction(stack, { deployment: { rollbackAlarms: { enabled: false }, alarms: [latency] } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: stack.resolve(latency.alarmName) }] },
    });
  });

  test('a user-chosen auto-rollback configuration is kept', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true } } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'] },
    });
  });

  test('alarms, hooks and the alias form no dependency cycle (aws/aws-cdk#2231, #13922)', () => {
    // GIVEN
    const stack = newStack();
    const preHook = newSafeFunction(stack, {}, 'PreHook');
    const application = new codedeploy.LambdaApplication(stack, 'App');

    // WHEN: everything that references the alias, its versions or the deployment group at once
    const fn = newSafeFunction(stack, {
      deployment: {
        application,
        preTraffic: TrafficHook.fromFunction(preHook),
        postTraffic: TrafficHook.smokeTest(),
        trafficShift: TrafficShift.linear(5, Duration.minutes(2)),
      },
      provisionedConcurrentExecutions: 2,
      provisionedConcurrencyScaling: { maxCapacity: 10, utilizationTarget: 0.7 },
    });
    fn.deployment!.addAlarm(fn.metricErrors().createAlarm(stack, 'AliasErrors', { threshold: 1, evaluationPeriods: 1 }));
    fn.addStageAlias('beta');

    // THEN
    expect(dependencyCycles(Template.fromStack(stack))).toEqual([]);
  });

  test('the cycle check sees references inside an update policy', () => {
    // GIVEN: an alias whose update policy names a group that depends on an alarm on the alias
    const template = Template.fromJSON({
      Resources: {
        Alias: { Type: 'AWS::Lambda::Alias', Properties: {}, UpdatePolicy: { CodeDeployLambdaAliasUpdate: { DeploymentGroupName: { Ref: 'Group' } } } },
        Group: { Type: 'AWS::CodeDeploy::DeploymentGroup', Properties: { AlarmConfiguration: { Alarms: [{ Name: { Ref: 'Alarm' } }] } } },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Dimensions: [{ Name: 'Resource', Value: { 'Fn::Sub': '${Alias}' } }] } },
      },
    });

    // WHEN
    const cycles = dependencyCycles(template);

    // THEN
    expect(cycles).toEqual([['Alias', 'Group', 'Alarm', 'Alias']]);
  });
});

describe('rollback alarms: bad input', () => {
  test.each([
    ['errorsThreshold', { errorsThreshold: 0 }, 0],
    ['throttlesThreshold', { throttlesThreshold: 2.5 }, 2.5],
    ['evaluationPeriods', { evaluationPeriods: -1 }, -1],
  ])('fails for %s below 1 or fractional', (prop, rollbackAlarms, value) => {
    expect(() => newSafeFunction(newStack(), { deployment: { rollbackAlarms } }))
      .toThrow(`Default/Fn/Deployment: rollbackAlarms.${prop} must be a whole number of at least 1, got ${value}. `
        + 'Use 1 to roll back on the first occurrence.');
  });
});
