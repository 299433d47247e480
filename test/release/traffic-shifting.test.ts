import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { existingDeploymentGroup, newSafeFunction, newStack, onlyLogicalId } from './release-helpers';
import { TrafficShift } from '../../src';

describe('traffic shifting', () => {
  test('a canary deployment puts a CodeDeploy update policy on the live alias', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = newSafeFunction(stack, { deployment: { trafficShift: TrafficShift.canary(10, Duration.minutes(5)) } });

    // THEN
    const template = Template.fromStack(stack);
    const group = onlyLogicalId(template, 'AWS::CodeDeploy::DeploymentGroup');
    const application = onlyLogicalId(template, 'AWS::CodeDeploy::Application');
    template.hasResource('AWS::Lambda::Alias', {
      Properties: { Name: 'live' },
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: application }, DeploymentGroupName: { Ref: group } },
      },
    });
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
    });
    template.resourceCountIs('AWS::CodeDeploy::DeploymentConfig', 0);
    expect(fn.deployment?.deploymentGroup.node.path).toBe('Default/Fn/Deployment/DeploymentGroup');
  });

  test('an empty deployment defaults to the 10% canary for 5 minutes', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: {} });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
  });

  test.each([
    ['canary 10% / 30 min', TrafficShift.canary(10, Duration.minutes(30)), 'CodeDeployDefault.LambdaCanary10Percent30Minutes'],
    ['linear 10% / 1 min', TrafficShift.linear(10, Duration.minutes(1)), 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute'],
    ['linear 10% / 10 min', TrafficShift.linear(10, Duration.minutes(10)), 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes'],
    ['all at once', TrafficShift.allAtOnce(), 'CodeDeployDefault.LambdaAllAtOnce'],
    ['a config imported by name', TrafficShift.fromConfig(codedeploy.LambdaDeploymentConfig.fromLambdaDeploymentConfigName(
      newStack(), 'Imported', 'MyCompany.Canary5Percent')), 'MyCompany.Canary5Percent'],
  ])('%s uses the named deployment configuration without creating one', (_name, trafficShift, configName) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { trafficShift } });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: configName });
    template.resourceCountIs('AWS::CodeDeploy::DeploymentConfig', 0);
  });

  test('a canary no predefined configuration matches creates a custom time-based canary configuration', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { trafficShift: TrafficShift.canary(25, Duration.minutes(7)) } });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
      ComputePlatform: 'Lambda',
      TrafficRoutingConfig: { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: 25, CanaryInterval: 7 } },
    });
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: { Ref: onlyLogicalId(template, 'AWS::CodeDeploy::DeploymentConfig') },
    });
  });

  test('a linear shift no predefined configuration matches creates a custom time-based linear configuration', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { trafficShift: TrafficShift.linear(20, Duration.hours(1)) } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
      TrafficRoutingConfig: { Type: 'TimeBasedLinear', TimeBasedLinear: { LinearPercentage: 20, LinearInterval: 60 } },
    });
  });

  test('an existing application is reused and named in the update policy', () => {
    // GIVEN
    const stack = newStack();
    const application = new codedeploy.LambdaApplication(stack, 'Shared', { applicationName: 'orders' });

    // WHEN
    newSafeFunction(stack, { deployment: { application } }, 'A');
    newSafeFunction(stack, { deployment: { application } }, 'B');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CodeDeploy::Application', 1);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 2);
    template.allResources('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.objectLike({ ApplicationName: { Ref: onlyLogicalId(template, 'AWS::CodeDeploy::Application') } }) },
    });
  });

  test('an existing deployment group is named in the update policy and no group is created', () => {
    // GIVEN
    const stack = newStack();
    const deploymentGroup = existingDeploymentGroup(stack);

    // WHEN
    const fn = newSafeFunction(stack, { deployment: { deploymentGroup } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: 'orders', DeploymentGroupName: 'orders-live' } },
    });
    expect(fn.deployment?.deploymentGroup).toBe(deploymentGroup);
  });

  test('without deployment the live alias has no update policy', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = newSafeFunction(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    expect(Object.values(template.findResources('AWS::Lambda::Alias'))[0].UpdatePolicy).toBeUndefined();
    expect(fn.deployment).toBeUndefined();
  });
});

describe('traffic shifting: bad input', () => {
  // percent and interval: see validation.test.ts, which names the construct that uses the shift.

  test('fails when an existing deployment group is combined with settings it owns', () => {
    // GIVEN
    const stack = newStack();
    const deploymentGroup = existingDeploymentGroup(stack);

    // WHEN / THEN
    expect(() => newSafeFunction(stack, { deployment: { deploymentGroup, trafficShift: TrafficShift.allAtOnce(), rollbackAlarms: {} } }))
      .toThrow('Default/Fn/Deployment: deployment.deploymentGroup is an existing group, which owns trafficShift, rollbackAlarms (given here). '
        + 'Configure trafficShift, rollbackAlarms where the group is defined');
  });

  test('fails when two functions deploy through the same existing deployment group', () => {
    // GIVEN
    const stack = newStack();
    const deploymentGroup = existingDeploymentGroup(stack);
    newSafeFunction(stack, { deployment: { deploymentGroup } }, 'A');

    // WHEN / THEN
    expect(() => newSafeFunction(stack, { deployment: { deploymentGroup } }, 'B'))
      .toThrow(/Default\/B\/Deployment: the deployment group Default\/Group already deploys Default\/A\/Alias; .*A conflicting deployment is in progress.*Give each function its own deployment group/);
  });

  test('fails when adding an alarm to an existing deployment group', () => {
    // GIVEN
    const stack = newStack();
    const deploymentGroup = existingDeploymentGroup(stack);
    const fn = newSafeFunction(stack, { deployment: { deploymentGroup } });

    // WHEN / THEN
    expect(() => fn.deployment!.addAlarm(fn.metricErrors().createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 })))
      .toThrow(/cannot add the alarm .* to the existing deployment group Default\/Group. Add it where the deployment group is defined/);
  });
});
