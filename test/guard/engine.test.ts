import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, CfnCondition, CfnOutput, CustomResource, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ENV, FUNCTION_PROPS, guardedStack, plainFunction, safeFunction, subscribe, summary, synthError, warningModeBinding } from './guard-test-app';
import {
  DurableLatestRule, FailureMode, GuardedFunctions, GuardRules, LatestBindingRule, LatestGrantRule, LatestPermissionRule,
  LatestPublishedRule, LatestSdkTargetRule, NoLatestInvocations, SnapStartLatestRule, StateMachineAliasRule, WebFunctionAllAtOnceRule,
} from '../../src';

const BINDING = GuardRules.LATEST_BINDING;

describe('what the guard reports', () => {
  test('GIVEN an API method bound to the inner function WHEN checked THEN one finding names the method, the URI, the SafeFunction and the permission it brought', () => {
    const { app, stack, fn } = guardedStack();
    new apigateway.RestApi(stack, 'Api').root.addMethod('GET', new apigateway.LambdaIntegration(fn.function, { allowTestInvoke: false }));

    expect(summary(app)).toEqual([
      `${BINDING} Stack/Api/Default/GET/Resource Properties.Integration.Uri -> Stack/Fn`
        + ' + Stack/Api/Default/GET/ApiPermission.StackApiDBBEC0DB.GET.. Properties.FunctionName',
    ]);
    expect(NoLatestInvocations.findings(app)[0].relatedResources).toEqual([{
      ruleId: GuardRules.LATEST_PERMISSION,
      resourcePath: 'Stack/Api/Default/GET/ApiPermission.StackApiDBBEC0DB.GET..',
      propertyPath: 'Properties.FunctionName',
    }]);
  });

  test('GIVEN a finding WHEN synthesized THEN synthesis throws, the message names binding, path, function, fix and suppression, and nothing is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Stack', { env: ENV });
    const fn = safeFunction(stack);
    subscribe(stack, fn.function.functionArn);

    const error = synthError(app);

    expect(error).toContain(`[Stack/Sub] [${BINDING}] Stack/Sub: Properties.Endpoint binds $LATEST of Stack/Fn — fix: bind the live alias\n`);
    expect(error).toContain(`\n[${BINDING}] Stack/Sub binds Properties.Endpoint to the unqualified ARN of Stack/Fn`);
    expect(error).toMatch(/pass \S+ itself \(a SafeFunction or SafeAlias is its live alias\)/);
    expect(error).toContain('`.live` or `.currentVersion`');
    expect(error).toContain(`GuardSuppressions.add(<the construct at 'Stack/Sub' or one of its parents>, { ruleId: '${BINDING}', reason: `);
    expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(false);
  });

  test('GIVEN the SafeFunction, its alias and its version bound WHEN synthesized THEN nothing is reported', () => {
    const { app, stack, fn } = guardedStack();
    subscribe(stack, fn.functionArn, 'ViaSafeFunction');
    subscribe(stack, fn.live.functionArn, 'ViaAlias');
    subscribe(stack, fn.currentVersion.functionArn, 'ViaVersion');

    expect(summary(app)).toEqual([]);
    expect(synthError(app)).toBe('');
  });
});

describe('the text after the reference decides', () => {
  test.each([
    [':live', false],
    [':7', false],
    [':$LATEST', true],
    ['/invocations', true],
    ['', true],
  ])('GIVEN the ARN joined with %j WHEN checked THEN refused: %s', (suffix, refused) => {
    const { app, stack, fn } = guardedStack();
    subscribe(stack, Fn.join('', [fn.function.functionArn, suffix]));

    expect(summary(app)).toEqual(refused ? [`${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn`] : []);
  });

  test('GIVEN fn.latestVersion WHEN bound THEN it is refused as :$LATEST', () => {
    const { app, stack, fn } = guardedStack();
    new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn.function.latestVersion)] });

    expect(summary(app)).toEqual([`${BINDING} Stack/Rule/Resource Properties.Targets[0].Arn -> Stack/Fn`]);
    expect(NoLatestInvocations.findings(app)[0].message).toContain('the `:$LATEST` qualified ARN');
  });

  test('GIVEN the region and partition read out of the ARN (Fn::Split) WHEN checked THEN they are not bindings', () => {
    const { app, stack, fn } = guardedStack();
    subscribe(stack, Fn.join(':', [Fn.select(1, Fn.split(':', fn.function.functionArn)), Fn.select(3, Fn.split(':', fn.function.functionArn))]));

    expect(summary(app)).toEqual([]);
  });

  test('GIVEN Function.fromFunctionArn(aliasArn).functionName (the import drops the qualifier) WHEN an event source uses it THEN it is refused, also at synth', () => {
    const { app, stack, fn } = guardedStack();
    const imported = lambda.Function.fromFunctionArn(stack, 'Imported', fn.functionArn);
    imported.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Queue')));

    expect(summary(app)).toEqual([`${BINDING} Stack/Imported/SqsEventSource:StackQueue1DEA7C94/Resource Properties.FunctionName -> Stack/Fn`]);
    expect(synthError(app)).toMatch(/cut out of an alias or version ARN/);
  });

  test.each([
    ['${Target}:live', false],
    ['${Target}', true],
    ['${Target}:$LATEST', true],
  ])('GIVEN Fn.sub(%j) with the ARN in the variable map WHEN checked THEN refused: %s', (template, refused) => {
    const { app, stack, fn } = guardedStack();
    subscribe(stack, Fn.sub(template, { Target: fn.function.functionArn }));

    expect(summary(app)).toEqual(refused ? [`${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn`] : []);
  });

  test('GIVEN a raw Fn.sub template naming the function logical ID WHEN synthesized THEN only the unqualified one is refused', () => {
    const { app, stack, fn } = guardedStack();
    const id = stack.resolve((fn.function.node.defaultChild as lambda.CfnFunction).logicalId);
    subscribe(stack, Fn.sub(`\${${id}.Arn}`), 'Raw');
    subscribe(stack, Fn.sub(`\${${id}.Arn}:live`), 'Qualified');

    expect(summary(app)).toEqual([`${BINDING} Stack/Raw Properties.Endpoint -> Stack/Fn`]);
    const error = synthError(app);
    expect(error).toContain('[Stack/Raw]');
    expect(error).not.toContain('[Stack/Qualified]');
  });

  test('GIVEN Fn.getAtt(logicalId, Arn), alone or inside Fn.join, in a regular property WHEN synthesized THEN it is refused', () => {
    const { app, stack, fn } = guardedStack();
    const id = stack.resolve((fn.function.node.defaultChild as lambda.CfnFunction).logicalId);
    subscribe(stack, Fn.getAtt(id, 'Arn').toString(), 'GetAtt');
    subscribe(stack, Fn.join('', [Fn.getAtt(id, 'Arn').toString(), '/invocations']), 'Joined');

    expect(summary(app)).toEqual([
      `${BINDING} Stack/GetAtt Properties.Endpoint -> Stack/Fn`,
      `${BINDING} Stack/Joined Properties.Endpoint -> Stack/Fn`,
    ]);
    expect(synthError(app)).toMatch(/\[Stack\/GetAtt\][\s\S]*\[Stack\/Joined\]/);
  });
});

describe('conditions and state machine JSON', () => {
  test('GIVEN the unqualified ARN in one branch of Fn::If WHEN checked THEN that branch is refused', () => {
    const { app, stack, fn } = guardedStack();
    const condition = new CfnCondition(stack, 'Blue', { expression: Fn.conditionEquals('a', 'b') });
    subscribe(stack, Fn.conditionIf(condition.logicalId, fn.functionArn, fn.function.functionArn).toString());

    expect(summary(app)).toEqual([`${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn`]);
  });

  test('GIVEN the deprecated LambdaInvoke.qualifier next to the inner function in a state machine WHEN checked THEN the qualifier counts', () => {
    const { app, stack, fn } = guardedStack();
    const invoke = (id: string, qualifier?: string) => new tasks.LambdaInvoke(stack, id, { lambdaFunction: fn.function, qualifier });
    new sfn.StateMachine(stack, 'Qualified', { definitionBody: sfn.DefinitionBody.fromChainable(invoke('WithQualifier', 'live')) });
    new sfn.StateMachine(stack, 'Unqualified', { definitionBody: sfn.DefinitionBody.fromChainable(invoke('WithoutQualifier')) });

    // The grant on the unqualified ARN is the unqualified state machine's, through its role.
    expect(summary(app).filter((l) => l.startsWith(BINDING))).toEqual([`${BINDING} Stack/Unqualified/Resource Properties.DefinitionString -> Stack/Fn`
      + ' + Stack/Unqualified/Role/DefaultPolicy/Resource Properties.PolicyDocument.Statement[0].Resource[0]']);
  });
});

describe('separate qualifier properties', () => {
  test.each([
    [undefined, true],
    ['live', false],
    ['$LATEST', true],
  ])('GIVEN a function URL on the inner function with Qualifier %j WHEN checked THEN refused: %s', (qualifier, refused) => {
    const { app, stack, fn } = guardedStack();
    new lambda.CfnUrl(stack, 'Url', { authType: 'AWS_IAM', targetFunctionArn: fn.function.functionArn, qualifier });

    expect(summary(app)).toEqual(refused ? [`${BINDING} Stack/Url Properties.TargetFunctionArn -> Stack/Fn`] : []);
  });

  test('GIVEN async-invoke settings on the inner function (Qualifier $LATEST) WHEN checked THEN they are refused, on the alias they are not', () => {
    const { app, fn } = guardedStack();
    fn.function.configureAsyncInvoke({ retryAttempts: 0 });
    fn.configureAsyncInvoke({ retryAttempts: 1 });

    expect(summary(app)).toEqual([`${BINDING} Stack/Fn/Function/EventInvokeConfig/Resource Properties.FunctionName -> Stack/Fn`]);
  });

  test('GIVEN an SSM maintenance window task WHEN its Lambda qualifier is missing THEN TaskArn is refused', () => {
    const { app, stack, fn } = guardedStack();
    const task = (id: string, qualifier?: string) => new ssm.CfnMaintenanceWindowTask(stack, id, {
      windowId: 'mw-0123456789abcdef0',
      taskType: 'LAMBDA',
      priority: 1,
      taskArn: fn.function.functionArn,
      taskInvocationParameters: { maintenanceWindowLambdaParameters: { qualifier } },
    });
    task('Unqualified');
    task('Qualified', 'live');

    expect(summary(app)).toEqual([`${BINDING} Stack/Unqualified Properties.TaskArn -> Stack/Fn`]);
  });
});

describe('references the token scan cannot see', () => {
  test('GIVEN a CodeDeploy hook written into an alias UpdatePolicy (resolved before the guard sees it) WHEN synthesized THEN the hook is refused', () => {
    const { app, stack, fn } = guardedStack();
    const hook = safeFunction(stack, 'Hook');
    (fn.live.node.defaultChild as lambda.CfnAlias).cfnOptions.updatePolicy = {
      codeDeployLambdaAliasUpdate: { applicationName: 'app', deploymentGroupName: 'group', beforeAllowTrafficHook: hook.function.functionName },
    };

    expect(summary(app)).toEqual([`${BINDING} Stack/Fn/Alias/Resource UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook -> Stack/Hook`]);
    expect(synthError(app)).toContain(BINDING);
  });

  test('GIVEN an escape-hatch override with a raw Fn::GetAtt WHEN synthesized THEN the overridden property is refused', () => {
    const { app, stack, fn } = guardedStack();
    const id = stack.resolve((fn.function.node.defaultChild as lambda.CfnFunction).logicalId);
    subscribe(stack, 'placeholder').addPropertyOverride('Endpoint', { 'Fn::GetAtt': [id, 'Arn'] });

    expect(summary(app)).toEqual([`${BINDING} Stack/Sub Properties.Endpoint -> Stack/Fn`]);
    expect(synthError(app)).toContain('[Stack/Sub]');
  });
});

describe('across stacks, nested stacks and regions', () => {
  test('GIVEN the inner function bound from another stack WHEN synthesized THEN the consumer is named and synthesis fails', () => {
    const { app, fn } = guardedStack();
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    subscribe(consumer, fn.function.functionArn);

    expect(summary(app)).toEqual([`${BINDING} Consumer/Sub Properties.Endpoint -> Stack/Fn`]);
    expect(synthError(app)).toContain('[Consumer/Sub]');
  });

  test('GIVEN the inner function bound from a nested stack WHEN synthesized THEN the nested resource is named', () => {
    const { app, stack, fn } = guardedStack();
    subscribe(new NestedStack(stack, 'Nested'), fn.function.functionArn);

    expect(synthError(app)).toContain('[Stack/Nested/Sub]');
  });

  test('GIVEN the inner function bound from another region WHEN synthesized THEN synthesis fails', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer', { env: ENV, crossRegionReferences: true });
    const fn = safeFunction(producer);
    const consumer = new Stack(app, 'Consumer', { env: { ...ENV, region: 'eu-west-1' }, crossRegionReferences: true });
    subscribe(consumer, fn.function.functionArn);

    expect(synthError(app)).toContain(`[Consumer/Sub] [${BINDING}]`);
  });

  test('GIVEN the SafeFunction bound across stacks and the inner ARN in an output WHEN synthesized THEN the exports are not findings', () => {
    const { app, stack, fn } = guardedStack();
    subscribe(new Stack(app, 'Consumer', { env: ENV }), fn.functionArn);
    new CfnOutput(stack, 'InnerArn', { value: fn.function.functionArn, exportName: 'inner-arn' });

    expect(synthError(app)).toBe('');
  });
});

describe('permissions, grants and environment variables', () => {
  test('GIVEN a Lambda permission on the inner function WHEN synthesized THEN it is an error', () => {
    const { app, fn } = guardedStack();
    fn.function.addPermission('Invoke', { principal: new iam.ServicePrincipal('events.amazonaws.com') });

    expect(summary(app)).toEqual([`${GuardRules.LATEST_PERMISSION} Stack/Fn/Function/Invoke Properties.FunctionName -> Stack/Fn`]);
    expect(synthError(app)).toContain(GuardRules.LATEST_PERMISSION);
  });

  test('GIVEN grantInvoke on the inner function WHEN synthesized THEN a grant warning names the policy and synthesis succeeds', () => {
    const { app, stack, fn } = guardedStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    fn.function.grantInvoke(role);

    expect(summary(app)).toEqual([`${GuardRules.LATEST_GRANT} Stack/Role/DefaultPolicy/Resource Properties.PolicyDocument.Statement[0].Resource[0] -> Stack/Fn`]);
    expect(synthError(app)).toBe('');
    Annotations.fromStack(stack).hasWarning('/Stack/Role/DefaultPolicy/Resource', Match.stringLikeRegexp(`${GuardRules.LATEST_GRANT}.*Stack/Fn`));
  });

  test('GIVEN a policy on arn:* only, or a non-invoke action WHEN checked THEN the guard reports nothing', () => {
    const { app, stack, fn } = guardedStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [`${fn.function.functionArn}:*`] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:GetFunction'], resources: [fn.function.functionArn] }));

    expect(summary(app)).toEqual([]);
  });

  test('GIVEN another function holding the inner ARN or name WHEN synthesized THEN it is an SDK-target error; the SafeFunction ARN and name are fine', () => {
    const { app, stack, fn } = guardedStack();
    new lambda.Function(stack, 'Caller', {
      ...FUNCTION_PROPS,
      environment: { TARGET_ARN: fn.function.functionArn, TARGET_NAME: fn.function.functionName, OK_ARN: fn.functionArn, OK_NAME: fn.functionName },
    });

    expect(summary(app)).toEqual([
      `${GuardRules.LATEST_SDK_TARGET} Stack/Caller/Resource Properties.Environment.Variables.TARGET_ARN -> Stack/Fn`,
      `${GuardRules.LATEST_SDK_TARGET} Stack/Caller/Resource Properties.Environment.Variables.TARGET_NAME -> Stack/Fn`,
    ]);
    expect(synthError(app)).toContain(GuardRules.LATEST_SDK_TARGET);
  });
});

describe('references that invoke nothing', () => {
  test('GIVEN log groups, alarm and dashboard dimensions, trail selectors, event patterns, SSM parameters and outputs WHEN synthesized THEN nothing is reported', () => {
    const { app, stack, fn } = guardedStack();
    const inner = fn.function;
    new logs.LogGroup(stack, 'Logs', { logGroupName: `/aws/lambda/${inner.functionName}` });
    new logs.MetricFilter(stack, 'Filter', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'Imported', `/aws/lambda/${inner.functionName}`),
      filterPattern: logs.FilterPattern.allEvents(),
      metricNamespace: 'ns',
      metricName: 'm',
    });
    const alarm = inner.metricErrors().createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.Dashboard(stack, 'Dashboard').addWidgets(new cloudwatch.GraphWidget({ left: [inner.metricInvocations()], title: `${alarm.alarmName}` }));
    new cloudtrail.Trail(stack, 'Trail').addLambdaEventSelector([inner]);
    new events.Rule(stack, 'Pattern', { eventPattern: { resources: [inner.functionArn] }, targets: [new targets.LambdaFunction(fn)] });
    new ssm.StringParameter(stack, 'Param', { stringValue: inner.functionArn });
    new CfnOutput(stack, 'Out', { value: inner.functionArn });

    expect(summary(app)).toEqual([]);
    expect(synthError(app)).toBe('');
  });

  test('GIVEN a custom resource whose service token is the inner function WHEN synthesized THEN it is not a finding', () => {
    const { app, stack, fn } = guardedStack();
    new CustomResource(stack, 'Custom', { serviceToken: fn.function.functionArn });

    expect(summary(app)).toEqual([]);
    expect(synthError(app)).toBe('');
  });
});

describe('GuardedFunctions', () => {
  function appWithPlainBinding() {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    subscribe(stack, plainFunction(stack).functionArn);
    return { app, stack };
  }

  test('GIVEN a plain lambda.Function bound unqualified WHEN checked THEN only GuardedFunctions.ALL reports it', () => {
    const { app } = appWithPlainBinding();

    expect(summary(app)).toEqual([]);
    expect(summary(app, { functions: GuardedFunctions.ALL })).toEqual([`${BINDING} Stack/Sub Properties.Endpoint -> Stack/Plain`]);
  });

  test('GIVEN GuardedFunctions.ALL added to the app WHEN synthesized THEN the plain function fails synthesis with its own fix', () => {
    const { app } = appWithPlainBinding();
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));

    expect(synthError(app)).toMatch(/Fix: make Stack\/Plain safe in place and bind that: `new SafeAlias.*MakeFunctionsSafe.applyTo\(app\)/);
  });

  test('GIVEN S3 notifications, a Provider, a SingletonFunction and log retention WHEN checked with ALL THEN aws-cdk-lib internal handlers are exempt', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const fn = safeFunction(stack, 'Fn', { logRetention: logs.RetentionDays.ONE_DAY });
    new s3.Bucket(stack, 'Bucket').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn));
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: fn, isCompleteHandler: fn });
    new CustomResource(stack, 'Resource', { serviceToken: provider.serviceToken });
    const singleton = new lambda.SingletonFunction(stack, 'Singleton', { ...FUNCTION_PROPS, uuid: '0f3e5c2a-1234-4abc-9def-0123456789ab' });
    subscribe(stack, singleton.functionArn, 'SingletonSub');
    new cr.AwsCustomResource(stack, 'Sdk', {
      onCreate: { service: 'STS', action: 'getCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('id') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });

    expect(summary(app, { functions: GuardedFunctions.ALL })).toEqual([]);
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    expect(synthError(app)).toBe('');
  });

  test('GIVEN an L1 lambda.CfnFunction of the user WHEN bound unqualified THEN ALL reports it', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const cfn = new lambda.CfnFunction(stack, 'L1', { code: { zipFile: 'x' }, role: 'arn:aws:iam::123456789012:role/r', runtime: 'nodejs22.x', handler: 'index.handler' });
    subscribe(stack, cfn.attrArn);

    expect(summary(app, { functions: GuardedFunctions.ALL })).toEqual([`${BINDING} Stack/Sub Properties.Endpoint -> Stack/L1`]);
  });
});

describe('FailureMode', () => {
  test('GIVEN FailureMode.WARNING WHEN synthesized THEN synthesis succeeds with an acknowledgeable warning carrying the rule ID', () => {
    const { app, stack } = warningModeBinding();

    expect(synthError(app)).toBe('');
    Annotations.fromStack(stack).hasWarning('/Stack/Sub', Match.stringLikeRegexp(`^\\[${BINDING}\\] Stack/Sub: Properties\\.Endpoint binds [\\s\\S]*\\[ack: ${BINDING}\\]$`));
  });

  test('GIVEN FailureMode.ERROR (the default) WHEN the only finding is a grant THEN synthesis succeeds with a warning', () => {
    const { app, stack, fn } = guardedStack();
    fn.function.grantInvoke(new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));

    expect(synthError(app)).toBe('');
  });

  test('GIVEN an invalid failureMode from another language WHEN constructed THEN it fails with the value and the fix', () => {
    expect(() => new NoLatestInvocations({ failureMode: 'STRICT' as FailureMode })).toThrow(/unknown failureMode 'STRICT'. Use FailureMode.ERROR or FailureMode.WARNING/);
  });
});

describe('requireVersionsInStateMachines', () => {
  function stateMachine(stack: Stack, target: lambda.IFunction): sfn.StateMachine {
    return new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: target })),
    });
  }

  test('GIVEN a state machine invoking the SafeFunction (an alias) WHEN the option is on THEN it is refused, at synth too', () => {
    const { app, stack } = guardedStack();
    stateMachine(stack, safeFunction(stack, 'Task'));

    expect(summary(app)).toEqual([]);
    expect(summary(app, { requireVersionsInStateMachines: true })).toEqual([
      `${GuardRules.STATE_MACHINE_ALIAS} Stack/Machine/Resource Properties.DefinitionString -> Stack/Task`,
    ]);
    Aspects.of(app).add(new NoLatestInvocations({ requireVersionsInStateMachines: true }));
    expect(synthError(app)).toContain(GuardRules.STATE_MACHINE_ALIAS);
  });

  test('GIVEN a state machine invoking .currentVersion WHEN the option is on THEN nothing is reported', () => {
    const { app, stack } = guardedStack();
    stateMachine(stack, safeFunction(stack, 'Task').currentVersion);

    expect(summary(app, { requireVersionsInStateMachines: true })).toEqual([]);
  });
});

describe('rule IDs', () => {
  test('GIVEN the rule classes WHEN listed THEN each carries one GuardRules ID and its level, and the IDs are stable strings', () => {
    const rules = [
      new LatestBindingRule(), new LatestPermissionRule(), new LatestGrantRule(), new LatestSdkTargetRule(), new StateMachineAliasRule(),
      new DurableLatestRule(), new SnapStartLatestRule(), new LatestPublishedRule(), new WebFunctionAllAtOnceRule(),
    ];

    expect(rules.map((r) => [r.ruleId, r.isError])).toEqual([
      ['SafeLambda-LatestBinding', true],
      ['SafeLambda-LatestPermission', true],
      ['SafeLambda-LatestGrant', false],
      ['SafeLambda-LatestSdkTarget', true],
      ['SafeLambda-StateMachineAlias', true],
      ['SafeLambda-DurableLatest', true],
      ['SafeLambda-SnapStartLatest', true],
      ['SafeLambda-LatestPublished', false],
      ['SafeLambda-WebFunctionAllAtOnce', false],
    ]);
    const engineReported = [GuardRules.UNUSED_SUPPRESSION, GuardRules.GUARD_INTERNAL_ERROR];
    expect([...GuardRules.ALL_IDS].sort()).toEqual([...rules.map((r) => r.ruleId), ...engineReported].sort());
  });
});
