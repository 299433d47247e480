import { CfnOutput, CustomResource, Fn, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { maintenanceWindowTask } from './extra-cases';
import { bindingFinding, cfnOf, expectFindings, finding, findingsFor, findingsOf, guardedStack, logicalIdOf, newApp } from './guard-helpers';
import { ENV, safeFunction, subscribe } from './guard-test-app';
import { GuardedFunctions, GuardRules, SafeFunction } from '../../src';
import { plainFunctionProps } from '../fixtures/stacks';

/** Edge cases of issue #3, items 4 (what the guard must see) and 5 (what it must not report). */

const ENDPOINT = 'Properties.Endpoint';

describe('the text after the function ARN decides', () => {
  test.each([
    ['an alias name joined with Fn::Join', (fn: SafeFunction) => Fn.join('', [fn.function.functionArn, ':live'])],
    ['a version number joined by string concatenation', (fn: SafeFunction) => `${fn.function.functionArn}:7`],
    ['a version number from the Version resource', (fn: SafeFunction) => `${fn.function.functionArn}:${fn.currentVersion.version}`],
    ['an alias imported with Alias.fromAliasAttributes', (fn: SafeFunction) =>
      lambda.Alias.fromAliasAttributes(Stack.of(fn), 'Imported', { aliasName: 'live', aliasVersion: fn.currentVersion }).functionArn],
    ['a version imported with Version.fromVersionArn', (fn: SafeFunction) =>
      lambda.Version.fromVersionArn(Stack.of(fn), 'Imported', `${fn.function.functionArn}:7`).functionArn],
  ])('GIVEN the ARN qualified by %s WHEN bound THEN the guard reports nothing', (_label, endpoint) => {
    const { stack, fn } = guardedStack();
    subscribe(stack, endpoint(fn));

    expectFindings(stack, []);
  });

  test('GIVEN fn.latestVersion (`:$LATEST`) WHEN bound THEN the binding is refused', () => {
    const { stack, fn } = guardedStack();
    const sub = subscribe(stack, fn.function.latestVersion.functionArn);

    expectFindings(stack, [bindingFinding(sub, ENDPOINT, fn)]);
  });

  test('GIVEN a policy on `arn:*` only (an IAM wildcard, not an invocation) WHEN checked THEN the guard reports nothing', () => {
    const { stack, fn } = guardedStack();
    new iam.Policy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [`${fn.function.functionArn}:*`] })],
      roles: [new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() })],
    });

    expectFindings(stack, []);
  });
});

describe('bindings by function name', () => {
  test.each<[string, (fn: SafeFunction) => string, boolean]>([
    ['the unqualified name', fn => fn.function.functionName, true],
    ['`name:$LATEST` (fn.latestVersion)', fn => fn.function.latestVersion.functionName, true],
    ['`name:live`', fn => Fn.join(':', [fn.function.functionName, 'live']), false],
    ['`name:7`', fn => `${fn.function.functionName}:7`, false],
  ])('GIVEN an event source mapping on %s WHEN checked THEN refused: %s', (_label, functionName, refused) => {
    const { stack, fn } = guardedStack();
    const esm = new lambda.CfnEventSourceMapping(stack, 'Esm', {
      functionName: functionName(fn),
      eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:queue',
    });

    expectFindings(stack, refused ? [bindingFinding(esm, 'Properties.FunctionName', fn)] : []);
  });

  test('GIVEN Function.fromFunctionArn(aliasArn).functionName (the import drops the qualifier) WHEN used by an event source mapping THEN it is refused', () => {
    const { stack, fn } = guardedStack();
    const imported = lambda.Function.fromFunctionArn(stack, 'Imported', fn.live.functionArn);
    const esm = new lambda.EventSourceMapping(stack, 'Esm', { target: imported, eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:queue' });

    expect(findingsFor(GuardRules.LATEST_BINDING, stack)).toEqual([bindingFinding(cfnOf(esm), 'Properties.FunctionName', fn)]);
  });
});

describe('qualifiers in a separate property', () => {
  test('GIVEN a function URL on the inner function with Qualifier live WHEN checked THEN the guard reports nothing', () => {
    const { stack, fn } = guardedStack();
    new lambda.CfnUrl(stack, 'Url', { authType: 'AWS_IAM', targetFunctionArn: fn.function.functionArn, qualifier: 'live' });

    expectFindings(stack, []);
  });

  test('GIVEN a function URL on the inner function without Qualifier WHEN checked THEN TargetFunctionArn is refused', () => {
    const { stack, fn } = guardedStack();
    const url = new lambda.CfnUrl(stack, 'Url', { authType: 'AWS_IAM', targetFunctionArn: fn.function.functionArn });

    expectFindings(stack, [bindingFinding(url, 'Properties.TargetFunctionArn', fn)]);
  });

  test('GIVEN async-invoke settings on the alias WHEN checked THEN the guard reports nothing', () => {
    const { stack, fn } = guardedStack();
    new lambda.EventInvokeConfig(stack, 'Async', { function: fn.function, qualifier: 'live', retryAttempts: 0 });

    expectFindings(stack, []);
  });

  test('GIVEN async-invoke settings configured on the inner function (Qualifier $LATEST) WHEN checked THEN they are refused', () => {
    const { stack, fn } = guardedStack();
    fn.function.configureAsyncInvoke({ retryAttempts: 0 });
    const config = fn.function.node.findChild('EventInvokeConfig');

    expectFindings(stack, [bindingFinding(cfnOf(config), 'Properties.FunctionName', fn)]);
  });

  test.each([
    ['live', false],
    ['$LATEST', true],
  ])('GIVEN an SSM maintenance window task on the inner function with Qualifier %s WHEN checked THEN refused: %s', (qualifier, refused) => {
    const { stack, fn } = guardedStack();
    const task = maintenanceWindowTask(stack, fn.function.functionArn, qualifier);

    expectFindings(stack, refused ? [bindingFinding(task, 'Properties.TaskArn', fn)] : []);
  });
});

describe('Fn::Sub', () => {
  test.each([
    ['${Target}', true],
    ['${Target}:$LATEST', true],
    ['${Target}:live', false],
  ])('GIVEN Fn.sub(%j) with the ARN in the variable map WHEN checked THEN refused: %s', (template, refused) => {
    const { stack, fn } = guardedStack();
    const sub = subscribe(stack, Fn.sub(template, { Target: fn.function.functionArn }));

    expectFindings(stack, refused ? [bindingFinding(sub, ENDPOINT, fn)] : []);
  });

  test.each([
    ['', true],
    [':live', false],
  ])('GIVEN a raw Fn.sub template naming the logical ID followed by %j WHEN checked THEN refused: %s', (suffix, refused) => {
    const { stack, fn } = guardedStack();
    const sub = subscribe(stack, Fn.sub(`\${${logicalIdOf(fn.function)}.Arn}${suffix}`));

    expectFindings(stack, refused ? [bindingFinding(sub, ENDPOINT, fn)] : []);
  });
});

describe('escape hatches naming the logical ID', () => {
  test('GIVEN addPropertyOverride with a raw Fn::GetAtt WHEN checked THEN the overridden property is refused', () => {
    const { stack, fn } = guardedStack();
    const sub = subscribe(stack, fn.functionArn);
    sub.addPropertyOverride('Endpoint', { 'Fn::GetAtt': [logicalIdOf(fn.function), 'Arn'] });

    expectFindings(stack, [bindingFinding(sub, ENDPOINT, fn)]);
  });

  test('GIVEN Fn.getAtt(logicalId, Arn) WHEN bound THEN it is refused', () => {
    const { stack, fn } = guardedStack();
    const sub = subscribe(stack, Fn.getAtt(logicalIdOf(fn.function), 'Arn').toString());

    expectFindings(stack, [bindingFinding(sub, ENDPOINT, fn)]);
  });

  test('GIVEN a CodeDeploy hook set directly in an alias UpdatePolicy WHEN checked THEN the hook is refused', () => {
    const { stack, fn } = guardedStack();
    const hook = safeFunction(stack, 'Hook');
    const alias = cfnOf(fn.live);
    alias.cfnOptions.updatePolicy = {
      codeDeployLambdaAliasUpdate: { applicationName: 'app', deploymentGroupName: 'group', beforeAllowTrafficHook: hook.function.functionName },
    };

    expectFindings(stack, [bindingFinding(alias, 'UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook', hook)]);
  });
});

describe('across stacks, nested stacks, regions and stages', () => {
  test('GIVEN the inner function bound from another stack WHEN synthesized THEN the consumer is named and synthesis fails', () => {
    const app = newApp();
    const fn = safeFunction(new Stack(app, 'Producer', { env: ENV }));
    const sub = subscribe(new Stack(app, 'Consumer', { env: ENV }), fn.function.functionArn);

    expectFindings(app, [bindingFinding(sub, ENDPOINT, fn)]);
  });

  test('GIVEN the SafeFunction bound from another stack, and the inner ARN in an output there WHEN synthesized THEN the exports are not findings', () => {
    const app = newApp();
    const fn = safeFunction(new Stack(app, 'Producer', { env: ENV }));
    const consumer = new Stack(app, 'Consumer', { env: ENV });
    subscribe(consumer, fn.functionArn);
    new CfnOutput(consumer, 'InnerArn', { value: fn.function.functionArn });

    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN the inner function bound from a nested stack WHEN synthesized THEN the nested resource is named and synthesis fails', () => {
    const { stack, fn } = guardedStack();
    const sub = subscribe(new NestedStack(stack, 'Nested'), fn.function.functionArn);

    expectFindings(stack, [bindingFinding(sub, ENDPOINT, fn)]);
  });

  test('GIVEN a SafeFunction inside a nested stack bound unqualified from the parent WHEN checked THEN the parent resource is named', () => {
    const app = newApp();
    const parent = new Stack(app, 'Parent', { env: ENV });
    const fn = safeFunction(new NestedStack(parent, 'Nested'));
    const sub = subscribe(parent, fn.function.functionArn);

    expectFindings(parent, [bindingFinding(sub, ENDPOINT, fn)]);
  });

  test('GIVEN the inner function bound from another region (crossRegionReferences) WHEN synthesized THEN synthesis fails', () => {
    const app = newApp();
    const fn = safeFunction(new Stack(app, 'Producer', { env: ENV, crossRegionReferences: true }));
    const consumer = new Stack(app, 'Consumer', { env: { ...ENV, region: 'eu-west-1' }, crossRegionReferences: true });
    const sub = subscribe(consumer, fn.function.functionArn);

    expectFindings(app, [bindingFinding(sub, ENDPOINT, fn)]);
  });

  test('GIVEN a SafeFunction in a Stage (where App aspects do not reach) WHEN the app is synthesized THEN the guard it registered fails synthesis', () => {
    const app = newApp();
    const stack = new Stack(new Stage(app, 'Prod'), 'Stack', { env: ENV });
    const fn = safeFunction(stack);
    const sub = subscribe(stack, fn.function.functionArn);

    expectFindings(stack, [bindingFinding(sub, ENDPOINT, fn)]);
  });
});

describe('SDK targets: environment variables of other functions', () => {
  test.each([
    ['ARN', (fn: SafeFunction) => fn.function.functionArn],
    ['name', (fn: SafeFunction) => fn.function.functionName],
  ])('GIVEN another function holding the inner function %s WHEN checked THEN the variable is refused', (_kind, value) => {
    const { stack, fn } = guardedStack();
    const caller = new lambda.Function(stack, 'Caller', { ...plainFunctionProps(), environment: { TARGET: value(fn) } });

    expectFindings(stack, [finding(GuardRules.LATEST_SDK_TARGET, cfnOf(caller), 'Properties.Environment.Variables.TARGET', fn)]);
  });

  test('GIVEN another function holding the SafeFunction ARN and name WHEN checked THEN the guard reports nothing', () => {
    const { stack, fn } = guardedStack();
    new lambda.Function(stack, 'Caller', { ...plainFunctionProps(), environment: { TARGET_ARN: fn.functionArn, TARGET_NAME: fn.functionName } });

    expectFindings(stack, []);
  });
});

describe('grants and permissions on the unqualified ARN', () => {
  test('GIVEN grantInvoke on the inner function WHEN synthesized THEN a grant warning names the policy and synthesis succeeds', () => {
    const { stack, fn } = guardedStack();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    fn.function.grantInvoke(role);
    const policy = cfnOf(role.node.findChild('DefaultPolicy'));

    // Only the unqualified entry: the `:*` wildcard that grantInvoke adds next to it is not one.
    expectFindings(stack, [finding(GuardRules.LATEST_GRANT, policy, 'Properties.PolicyDocument.Statement[0].Resource[0]', fn)]);
    Annotations.fromStack(stack).hasWarning(`/${policy.node.path}`, Match.stringLikeRegexp(GuardRules.LATEST_GRANT));
  });

  test('GIVEN an AWS::Lambda::Permission on the inner function WHEN synthesized THEN synthesis fails', () => {
    const { stack, fn } = guardedStack();
    fn.function.addPermission('FromS3', { principal: new iam.ServicePrincipal('s3.amazonaws.com') });
    const permission = cfnOf(fn.function.node.findChild('FromS3'));

    expectFindings(stack, [finding(GuardRules.LATEST_PERMISSION, permission, 'Properties.FunctionName', fn)]);
  });
});

describe('references that are not invocations through $LATEST', () => {
  test.each<[string, (stack: Stack, fn: SafeFunction) => void]>([
    ['the SafeFunction\'s own Version and Alias', () => undefined],
    ['a log group named after the function', (stack, fn) => {
      new logs.LogGroup(stack, 'Logs', { logGroupName: `/aws/lambda/${fn.function.functionName}-extra` });
    }],
    ['an alarm on the function\'s metric', (stack, fn) => {
      fn.function.metricErrors().createAlarm(stack, 'Alarm', { threshold: 1, evaluationPeriods: 1 });
    }],
    ['a dashboard widget of the function\'s metric', (stack, fn) => {
      new cloudwatch.Dashboard(stack, 'Dashboard', { widgets: [[new cloudwatch.GraphWidget({ left: [fn.function.metricInvocations()] })]] });
    }],
    ['an event pattern matching `:$LATEST`', (stack, fn) => {
      new events.Rule(stack, 'Pattern', {
        eventPattern: { source: ['lambda'], resources: [fn.function.latestVersion.functionArn] },
        targets: [new targets.LambdaFunction(fn)],
      });
    }],
    ['an output and an export of the ARN', (stack, fn) => {
      new CfnOutput(stack, 'Arn', { value: fn.function.functionArn, exportName: 'InnerArn' });
      stack.exportValue(fn.function.functionName, { name: 'InnerName' });
    }],
    ['a custom resource service token', (stack, fn) => {
      new CustomResource(stack, 'Custom', { serviceToken: fn.function.functionArn });
    }],
    ['a Lambda@Edge association with currentVersion', (stack, fn) => {
      new cloudfront.Distribution(stack, 'Cdn', {
        defaultBehavior: {
          origin: new origins.HttpOrigin('example.com'),
          edgeLambdas: [{ functionVersion: fn.currentVersion, eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST }],
        },
      });
    }],
  ])('GIVEN %s WHEN synthesized THEN the guard reports nothing and synthesis succeeds', (_label, build) => {
    const { stack, fn } = guardedStack();
    build(stack, fn);

    expectFindings(stack, []);
  });

  test('GIVEN a Provider framework around a SafeFunction WHEN checked with GuardedFunctions.ALL THEN its internal functions are not findings', () => {
    const { stack, fn } = guardedStack();
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: fn, isCompleteHandler: safeFunction(stack, 'IsComplete') });
    new CustomResource(stack, 'Resource', { serviceToken: provider.serviceToken });

    expect(findingsOf(stack, { functions: GuardedFunctions.ALL })).toEqual([]);
  });
});
