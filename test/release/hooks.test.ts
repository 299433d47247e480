import { Aspects, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { existingDeploymentGroup, inlineFunctionProps, newSafeFunction, newStack, onlyLogicalId } from './release-helpers';
import { GuardedFunctions, GuardRules, NoLatestInvocations, SafeDeployment, TrafficHook } from '../../src';

/** `arn:...:deploymentgroup:<application>/<group>`, as LambdaDeploymentGroup renders it. */
function deploymentGroupArn(template: Template): unknown {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':codedeploy:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':deploymentgroup:',
      { Ref: onlyLogicalId(template, 'AWS::CodeDeploy::Application') }, '/', { Ref: onlyLogicalId(template, 'AWS::CodeDeploy::DeploymentGroup') },
    ]],
  };
}

const PUT_STATUS = 'codedeploy:PutLifecycleEventHookExecutionStatus';

describe('hooks', () => {
  test('a plain function of any name becomes the pre-traffic hook, with its permissions and the version under test', () => {
    // GIVEN
    const stack = newStack();
    const hook = new lambda.Function(stack, 'CheckOrders', inlineFunctionProps('hook'));

    // WHEN
    const fn = newSafeFunction(stack, { deployment: { preTraffic: TrafficHook.fromFunction(hook) } });

    // THEN
    const template = Template.fromStack(stack);
    const hookId = stack.getLogicalId(hook.node.defaultChild as lambda.CfnFunction);
    const versionId = stack.resolve(fn.currentVersion.functionArn).Ref;
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.objectLike({ BeforeAllowTrafficHook: { Ref: hookId } }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [TrafficHook.TARGET_VERSION_ARN_ENV]: { Ref: versionId } } },
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CheckOrdersServiceRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CheckOrdersServiceRole') }],
      PolicyDocument: { Statement: [{ Action: PUT_STATUS, Effect: 'Allow', Resource: deploymentGroupArn(template) }] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FnDeploymentDeploymentGroupServiceRole') }],
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: Match.arrayWith([{ 'Fn::GetAtt': [hookId, 'Arn'] }]) }] },
    });
    expect(fn.deployment?.preTrafficHook).toBe(hook);
  });

  test('a SafeFunction hook is invoked through its alias and granted on it', () => {
    // GIVEN
    const stack = newStack();
    const hook = newSafeFunction(stack, {}, 'Verify');

    // WHEN
    newSafeFunction(stack, { deployment: { postTraffic: TrafficHook.fromFunction(hook) } });

    // THEN
    const template = Template.fromStack(stack);
    const hookAlias = stack.getLogicalId(hook.live.node.defaultChild as lambda.CfnAlias);
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: Match.objectLike({
          AfterAllowTrafficHook: { 'Fn::Join': ['', [{ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: hookAlias }] }] }, ':live']] },
        }),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FnDeploymentDeploymentGroupServiceRole') }],
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: hookAlias } }] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^VerifyFunctionServiceRole') }],
      PolicyDocument: { Statement: [{ Action: PUT_STATUS, Effect: 'Allow', Resource: deploymentGroupArn(template) }] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [TrafficHook.TARGET_VERSION_ARN_ENV]: { Ref: Match.stringLikeRegexp('^FnFunctionCurrentVersion') } } },
    });
  });

  test('an imported hook gets its permissions and no environment', () => {
    // GIVEN
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'HookRole', 'arn:aws:iam::123456789012:role/hook');
    const hook = lambda.Function.fromFunctionAttributes(stack, 'Hook', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hook', role, sameEnvironment: true,
    });

    // WHEN
    newSafeFunction(stack, { deployment: { preTraffic: TrafficHook.fromFunction(hook) } });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.objectLike({ BeforeAllowTrafficHook: 'hook' }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['hook'],
      PolicyDocument: { Statement: [{ Action: PUT_STATUS, Effect: 'Allow', Resource: deploymentGroupArn(template) }] },
    });
  });

  test('the smoke test invokes the version under test with the payload before traffic moves', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const fn = newSafeFunction(stack, {
      timeout: Duration.seconds(30),
      deployment: { preTraffic: TrafficHook.smokeTest({ payload: JSON.stringify({ ping: true }), timeout: Duration.minutes(2) }) },
    });

    // THEN
    const template = Template.fromStack(stack);
    const versionId = stack.resolve(fn.currentVersion.functionArn).Ref;
    const smokeTest = fn.deployment!.preTrafficHook as lambda.Function;
    const smokeTestId = stack.getLogicalId(smokeTest.node.defaultChild as lambda.CfnFunction);
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.objectLike({ BeforeAllowTrafficHook: { Ref: smokeTestId } }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Timeout: 120,
      Code: { ZipFile: Match.stringLikeRegexp('PutLifecycleEventHookExecutionStatusCommand') },
      Environment: { Variables: { TARGET_VERSION_ARN: { Ref: versionId }, PAYLOAD: '{"ping":true}' } },
    });
    // its role may invoke the version under test only, and report to this deployment group only
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FnDeploymentPreTrafficHookServiceRole') }],
      PolicyDocument: {
        Statement: [
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: versionId } },
          { Action: PUT_STATUS, Effect: 'Allow', Resource: deploymentGroupArn(template) },
        ],
      },
    });
  });

  test('the smoke test\'s inline source fits Lambda\'s 4 KB inline limit', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { postTraffic: TrafficHook.smokeTest() } });

    // THEN
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { PAYLOAD: '{}' } } } });
    const source = (Object.values(functions)[0] as any).Properties.Code.ZipFile as string;
    expect(source.length).toBeLessThan(4096);
  });

  test('hooks of an existing deployment group are granted to the role given', () => {
    // GIVEN
    const stack = newStack();
    const deploymentGroup = existingDeploymentGroup(stack);
    const role = iam.Role.fromRoleArn(stack, 'CodeDeployRole', 'arn:aws:iam::123456789012:role/codedeploy', { mutable: true });
    const hook = new lambda.Function(stack, 'Hook', inlineFunctionProps('hook'));

    // WHEN
    newSafeFunction(stack, { deployment: { deploymentGroup, role, preTraffic: TrafficHook.fromFunction(hook) } });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: 'orders', DeploymentGroupName: 'orders-live', BeforeAllowTrafficHook: { Ref: Match.stringLikeRegexp('^Hook') } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['codedeploy'],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'lambda:InvokeFunction' })] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^HookServiceRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: PUT_STATUS, Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }) })] },
    });
  });
});

describe('hooks and the $LATEST guard', () => {
  test('the built-in smoke test is exempt from GuardedFunctions.ALL, like aws-cdk-lib\'s own handlers', () => {
    // GIVEN
    const stack = newStack();
    newSafeFunction(stack, { deployment: { preTraffic: TrafficHook.smokeTest() } });

    // WHEN
    const findings = NoLatestInvocations.findings(stack, { functions: GuardedFunctions.ALL });

    // THEN: CodeDeploy invokes the hook by name in the alias's UpdatePolicy, but it is ours, not the user's
    expect(findings.map((f) => `${f.ruleId} ${f.resourcePath} ${f.propertyPath}`)).toEqual([]);
    Aspects.of(stack).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('a plain hook function is still guarded under GuardedFunctions.ALL', () => {
    // GIVEN
    const stack = newStack();
    const hook = new lambda.Function(stack, 'CheckOrders', inlineFunctionProps('hook'));

    // WHEN
    newSafeFunction(stack, { deployment: { preTraffic: TrafficHook.fromFunction(hook) } });

    // THEN
    const findings = NoLatestInvocations.findings(stack, { functions: GuardedFunctions.ALL });
    expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({
      ruleId: GuardRules.LATEST_BINDING,
      propertyPath: 'UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook',
      functionPath: 'Default/CheckOrders',
    })]));
  });
});

describe('hooks: bad input', () => {
  test('fails when the smoke test payload is not JSON', () => {
    expect(() => newSafeFunction(newStack(), { deployment: { preTraffic: TrafficHook.smokeTest({ payload: '{ping}' }) } }))
      .toThrow(/^Default\/Fn\/Deployment: the smoke test PreTrafficHook's payload is not JSON \(.*\), got \{ping\}. Pass a JSON document/);
  });

  test('fails when one hook function is handed two versions under test', () => {
    // GIVEN
    const stack = newStack();
    const hook = new lambda.Function(stack, 'Hook', inlineFunctionProps('hook'));
    newSafeFunction(stack, { deployment: { preTraffic: TrafficHook.fromFunction(hook) } }, 'A');

    // WHEN / THEN
    expect(() => newSafeFunction(stack, { deployment: { preTraffic: TrafficHook.fromFunction(hook) } }, 'B'))
      .toThrow(`Default/Hook: this hook already tests Default/A/Function/CurrentVersion, and ${TrafficHook.TARGET_VERSION_ARN_ENV} can only hold one version. `
        + 'Give each SafeFunction its own hook function');
  });

  test('fails when a function is its own hook', () => {
    // GIVEN
    const stack = newStack();
    const fn = newSafeFunction(stack);

    // WHEN / THEN
    expect(() => new SafeDeployment(stack, 'Deployment', { alias: fn.live, version: fn.currentVersion, preTraffic: TrafficHook.fromFunction(fn) }))
      .toThrow('Default/Fn: the function is its own hook: its version would depend on itself and it would test itself before it exists. '
        + 'Use a separate hook function, or TrafficHook.smokeTest() to invoke the new version.');
  });

  test('fails when an existing deployment group has a hook but no role to invoke it', () => {
    // GIVEN
    const stack = newStack();
    const deploymentGroup = existingDeploymentGroup(stack);

    // WHEN / THEN
    expect(() => newSafeFunction(stack, { deployment: { deploymentGroup, postTraffic: TrafficHook.smokeTest() } }))
      .toThrow(/the hook Default\/Fn\/Deployment\/PostTrafficHook needs the existing deployment group's service role .* deployment.role is not set. Pass the group's service role as deployment.role/);
  });
});
