import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, CfnParameter, CfnStack, CustomResource, Fn, NestedStack, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as config from 'aws-cdk-lib/aws-config';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as xray from 'aws-cdk-lib/aws-xray';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ENV, FUNCTION_PROPS, safeFunction, subscribe } from './guard-test-app';
import { Finding, GuardedFunctions, GuardRules, NoLatestInvocations, SafeFunction } from '../../src';

/**
 * §3 of issue 9, from the principle: a binding is a value some service will invoke (an ARN or a name in
 * a property whose role is to say what to invoke); a function name inside free text (names,
 * descriptions, expressions), a filter that selects what to observe, or data a custom resource handles
 * after the function's update is not.
 */
interface Shape {
  readonly name: string;
  readonly build: (stack: Stack, fn: SafeFunction) => void;
}

function check(shape: Shape): { findings: Finding[]; synth: () => void } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Stack', { env: ENV });
  shape.build(stack, safeFunction(stack));
  return { findings: NoLatestInvocations.findings(app), synth: () => app.synth() };
}

/** Unqualified in fact, whatever they look like: each must be found, by findings() and by synthesis alike. */
type MissedShape = Shape & { readonly ruleId: string; readonly propertyPath: string };

const MISSED_BINDINGS: MissedShape[] = [
  {
    name: 'an L2 alias on fn.latestVersion, bound by a subscription',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.Endpoint',
    build: (stack, fn) => subscribe(stack, new lambda.Alias(stack, 'A', { aliasName: 'x', version: fn.function.latestVersion }).functionArn),
  },
  {
    name: 'latestVersion.addAlias, bound by an SQS event source',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.FunctionName',
    build: (stack, fn) => fn.function.latestVersion.addAlias('y').addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'Q'))),
  },
  {
    name: 'an L1 CfnAlias with FunctionVersion $LATEST, bound by its Ref',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.Endpoint',
    build: (stack, fn) => subscribe(stack, new lambda.CfnAlias(stack, 'A', { functionName: fn.function.functionName, functionVersion: '$LATEST', name: 'z' }).ref),
  },
  {
    name: 'Fn.select over a literal list holding the ARN',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.Endpoint',
    build: (stack, fn) => subscribe(stack, Fn.select(1, ['arn:aws:lambda:us-east-1:123456789012:function:other', fn.function.functionArn])),
  },
  {
    name: 'Fn.select over a literal list with an index known only at deploy time',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.Endpoint',
    build: (stack, fn) => subscribe(stack, Fn.select(new CfnParameter(stack, 'Index', { type: 'Number' }).valueAsNumber, [fn.function.functionArn])),
  },
  {
    name: 'the name of Function.fromFunctionName(inner name), reaching an event source mapping through Select/Split over Join',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.FunctionName',
    build: (stack, fn) => lambda.Function.fromFunctionName(stack, 'Imported', fn.function.functionName)
      .addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'Q'))),
  },
  {
    name: 'the ARN passed as a parameter into an external template (CfnStack)',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.Parameters.Target',
    build: (stack, fn) => new CfnStack(stack, 'External', { templateUrl: 'https://s3.amazonaws.com/b/t.json', parameters: { Target: fn.function.functionArn } }),
  },
  {
    name: 'the name passed as a user parameter into a NestedStack (the guard cannot follow a CfnParameter)',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.Parameters.TargetName',
    build: (stack, fn) => {
      const nested = new NestedStack(stack, 'Nested', { parameters: { TargetName: fn.function.functionName } });
      new sqs.Queue(nested, 'Inside');
    },
  },
  {
    name: 'a custom resource property whose key names an invocation target (a service will invoke it later)',
    ruleId: GuardRules.LATEST_BINDING,
    propertyPath: 'Properties.LambdaFunctionArn',
    build: (stack, fn) => new CustomResource(stack, 'Configure', {
      serviceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', properties: { LambdaFunctionArn: fn.function.functionArn },
    }),
  },
  {
    name: 'an IAM statement with NotAction that does not exclude invoke',
    ruleId: GuardRules.LATEST_GRANT,
    propertyPath: 'Properties.PolicyDocument.Statement[0].Resource',
    build: (stack, fn) => new iam.Policy(stack, 'P', {
      statements: [new iam.PolicyStatement({ notActions: ['s3:*'], resources: [fn.function.functionArn] })],
      roles: [new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() })],
    }),
  },
  ...[['lambda:InvokeFunctionUrl', 'the URL invocation'], ['lambda:*', 'a wildcard'], ['lambda:Invoke*', 'an invoke wildcard'],
    ['lambda:InvokeAsync', 'the deprecated asynchronous invocation']].map(([action, what]): MissedShape => ({
    name: `a Lambda permission for ${what} (${action})`,
    ruleId: GuardRules.LATEST_PERMISSION,
    propertyPath: 'Properties.FunctionName',
    build: (stack, fn) => new lambda.CfnPermission(stack, 'Perm', { action, principal: 'sns.amazonaws.com', functionName: fn.function.functionArn }),
  })),
  {
    name: 'a Lambda permission whose action is a parameter (it may be invoke)',
    ruleId: GuardRules.LATEST_PERMISSION,
    propertyPath: 'Properties.FunctionName',
    build: (stack, fn) => new lambda.CfnPermission(stack, 'Perm', {
      action: new CfnParameter(stack, 'Action', { default: 'lambda:InvokeFunction' }).valueAsString, principal: 'sns.amazonaws.com', functionName: fn.function.functionArn,
    }),
  },
  {
    name: 'an IAM statement with NotAction that excludes only lambda:InvokeFunction (InvokeAsync stays allowed)',
    ruleId: GuardRules.LATEST_GRANT,
    propertyPath: 'Properties.PolicyDocument.Statement[0].Resource',
    build: (stack, fn) => new iam.Policy(stack, 'P', {
      statements: [new iam.PolicyStatement({ notActions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] })],
      roles: [new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() })],
    }),
  },
];

/** Mentions of the unqualified function that no service invokes: none is a finding. */
const NON_BINDINGS: Shape[] = [
  {
    name: 'the name inside an alarm name and description, and the alarm metric dimensions',
    build: (stack, fn) => new cloudwatch.Alarm(stack, 'Al', {
      metric: fn.function.metricErrors(),
      threshold: 1,
      evaluationPeriods: 1,
      alarmName: `${fn.function.functionName}-errors`,
      alarmDescription: `Errors of ${fn.function.functionName}`,
    }),
  },
  { name: 'a queue named after the function', build: (stack, fn) => new sqs.Queue(stack, 'Q', { queueName: `${fn.function.functionName}-dlq` }) },
  {
    name: 'a metric-math SEARCH expression',
    build: (stack, fn) => new cloudwatch.CfnAlarm(stack, 'Search', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      metrics: [{ id: 'e1', expression: `MAX(SEARCH('{AWS/Lambda,FunctionName} FunctionName="${fn.function.functionName}"', 'Sum', 300))`, returnData: true }],
    }),
  },
  { name: 'an X-Ray group filter', build: (stack, fn) => new xray.CfnGroup(stack, 'G', { groupName: 'g', filterExpression: `service("${fn.function.functionName}")` }) },
  {
    name: 'a Config rule scope',
    build: (stack, fn) => new config.ManagedRule(stack, 'C', {
      identifier: 'LAMBDA_CONCURRENCY_CHECK', ruleScope: config.RuleScope.fromResource(config.ResourceType.LAMBDA_FUNCTION, fn.function.functionName),
    }),
  },
  {
    name: 'anomaly detector dimensions',
    build: (stack, fn) => new cloudwatch.CfnAnomalyDetector(stack, 'AD', {
      namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', dimensions: [{ name: 'FunctionName', value: fn.function.functionName }],
    }),
  },
  {
    name: 'an events.Archive event pattern',
    build: (stack, fn) => new events.Archive(stack, 'Ar', {
      sourceEventBus: events.EventBus.fromEventBusName(stack, 'Bus', 'default'), eventPattern: { resources: [fn.function.functionArn] },
    }),
  },
  {
    name: 'a CallAwsService lambda:invoke whose Qualifier comes before FunctionName',
    build: (stack, fn) => new sfn.StateMachine(stack, 'Sm', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.CallAwsService(stack, 'Call', {
        service: 'lambda', action: 'invoke', parameters: { Qualifier: 'live', FunctionName: fn.function.functionName }, iamResources: [fn.live.functionArn],
      })),
    }),
  },
  {
    name: 'an AwsCustomResource that invokes the function once it is updated',
    build: (stack, fn) => new cr.AwsCustomResource(stack, 'Invoke', {
      onCreate: { service: 'Lambda', action: 'invoke', parameters: { FunctionName: fn.function.functionName }, physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.live.functionArn] })]),
    }),
  },
  {
    name: 'a BucketDeployment substitution marker carrying the ARN as data',
    build: (stack, fn) => new s3deploy.BucketDeployment(stack, 'Deploy', {
      sources: [s3deploy.Source.jsonData('config.json', { target: fn.function.functionArn })], destinationBucket: new s3.Bucket(stack, 'Site'),
    }),
  },
  {
    name: 'a custom resource property that its handler uses after the function\'s update',
    build: (stack, fn) => new CustomResource(stack, 'Seed', {
      serviceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', properties: { FunctionToCall: fn.function.functionName, Payload: fn.function.functionArn },
    }),
  },
  { name: 'a tag value', build: (stack, fn) => Tags.of(new sqs.Queue(stack, 'Tagged')).add('fn', fn.function.functionName) },
  {
    name: 'a log metric filter pattern',
    build: (stack, fn) => new logs.MetricFilter(stack, 'MF', {
      logGroup: new logs.LogGroup(stack, 'LG'), metricNamespace: 'n', metricName: 'm', filterPattern: logs.FilterPattern.literal(fn.function.functionName),
    }),
  },
  { name: 'a topic display name', build: (stack, fn) => new sns.Topic(stack, 'T', { displayName: fn.function.functionName }) },
  ...['lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:ListTags'].map((action): Shape => ({
    name: `a Lambda permission for ${action}, which invokes nothing`,
    build: (stack, fn) => new lambda.CfnPermission(stack, 'Perm', { action, principal: 'codepipeline.amazonaws.com', functionName: fn.function.functionArn }),
  })),
  {
    name: 'an IAM statement allowing lambda:GetFunction and lambda:UpdateFunctionCode',
    build: (stack, fn) => new iam.Policy(stack, 'P', {
      statements: [new iam.PolicyStatement({ actions: ['lambda:GetFunction', 'lambda:UpdateFunctionCode'], resources: [fn.function.functionArn] })],
      roles: [new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() })],
    }),
  },
  {
    name: 'an IAM statement with NotAction that excludes invoke',
    build: (stack, fn) => new iam.Policy(stack, 'P', {
      statements: [new iam.PolicyStatement({ notActions: ['lambda:*'], resources: [fn.function.functionArn] })],
      roles: [new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() })],
    }),
  },
];

describe('bindings the guard must find', () => {
  test.each(MISSED_BINDINGS)('$name is reported as $ruleId at $propertyPath, by findings() and by synthesis', (shape) => {
    // GIVEN the shape, bound to a SafeFunction's inner function
    const { findings, synth } = check(shape);
    // WHEN the guard checks it THEN it reports the binding where the template holds it
    expect(findings.map((f) => [f.ruleId, f.propertyPath, f.functionPath])).toContainEqual([shape.ruleId, shape.propertyPath, 'Stack/Fn']);
    // AND synthesis agrees: an error fails it naming the same rule, a warning does not
    if (shape.ruleId === GuardRules.LATEST_GRANT) {
      expect(synth).not.toThrow();
    } else {
      expect(synth).toThrow(`[${shape.ruleId}]`);
    }
  });
});

describe('mentions that are not bindings', () => {
  test.each(NON_BINDINGS)('$name is not reported, and synthesis succeeds', (shape) => {
    // GIVEN the mention of a SafeFunction's inner function
    const { findings, synth } = check(shape);
    // WHEN the guard checks it THEN nothing is reported and nothing fails
    expect(findings).toEqual([]);
    expect(synth).not.toThrow();
  });
});

describe('aws-cdk-lib handlers under GuardedFunctions.ALL', () => {
  function strictApp(build: (stack: Stack) => void): App {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    build(stack);
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    return app;
  }

  test.each([
    ['the ECS drain hook of a cluster\'s capacity', (stack: Stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new ecs.Cluster(stack, 'Cluster', { vpc }).addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.micro') });
      // The drain hook exists, bound unqualified by its lifecycle hook's topic: only its marks exempt it.
      expect(stack.node.findAll().filter((c) => c instanceof lambda.Function).map((c) => c.node.path)).toEqual(['Stack/Cluster/Capacity/DrainECSHook/Function']);
    }],
    ['a function carrying the metadata aws-cdk-lib\'s generated handler classes add', (stack: Stack) => {
      const handler = new lambda.Function(stack, 'Handler', FUNCTION_PROPS);
      handler.node.addMetadata('aws:cdk:is-custom-resource-handler-runtime-family', 0);
      subscribe(stack, handler.functionArn);
    }],
    ['the EvaluateExpression handler of a state machine', (stack: Stack) => {
      new sfn.StateMachine(stack, 'Sm', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.EvaluateExpression(stack, 'Eval', { expression: '$.a + 1' })) });
    }],
    ...['my-singleton', 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'].map((uuid): [string, (stack: Stack) => void] => [
      `the function behind a SingletonFunction with the uuid '${uuid}' (found from its owner, not its ID)`, (stack: Stack) => {
        const singleton = new lambda.SingletonFunction(new Construct(stack, 'Owner'), 'Singleton', { ...FUNCTION_PROPS, uuid });
        subscribe(stack, singleton.functionArn);
      },
    ]),
  ])('%s is aws-cdk-lib\'s own: no finding, synthesis succeeds', (_name, build) => {
    // GIVEN an app whose only functions are aws-cdk-lib's own handlers, under a strict guard
    const app = strictApp(build);
    // WHEN checked THEN none of them is reported
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL })).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('a user function directly in a stack whose ID ends in 32 hex digits is still guarded', () => {
    // GIVEN an ID that looks like a singleton's (a uuid without dashes) on a function of the user's
    const app = strictApp((stack) => subscribe(stack, new lambda.Function(stack, 'Orders0123456789abcdef0123456789abcdef', FUNCTION_PROPS).functionArn));
    // WHEN checked THEN it is reported: no SingletonFunction owns it
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).map((f) => f.functionPath)).toEqual(['Stack/Orders0123456789abcdef0123456789abcdef']);
  });

  test('a user function inside the user\'s own construct is still guarded', () => {
    // GIVEN a plain function in a user construct, bound unqualified
    class Service extends Construct {}
    const app = strictApp((stack) => subscribe(stack, new lambda.Function(new Service(stack, 'Service'), 'Fn', FUNCTION_PROPS).functionArn));
    // WHEN checked THEN it is reported
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).map((f) => f.functionPath)).toEqual(['Stack/Service/Fn']);
    expect(() => app.synth()).toThrow(/SafeLambda-LatestBinding/);
  });
});

describe('integ-tests assertions', () => {
  test('an assertion that invokes the function after deployment, and one that expects its ARN, are not bindings; the Permission it adds is', () => {
    // GIVEN an integ test whose assertions invoke the inner function and expect its ARN as a value
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Stack'); // environment-agnostic, as the assertions stack is
    const fn = safeFunction(stack);
    const integ = new IntegTest(app, 'Integ', { testCases: [stack] });
    integ.assertions.invokeFunction({ functionName: fn.function.functionName });
    integ.assertions.awsApiCall('Lambda', 'getFunction', { FunctionName: fn.live.functionName })
      .expect(ExpectedResult.objectLike({ Configuration: { FunctionArn: fn.function.functionArn } }));
    // WHEN checked
    const findings = NoLatestInvocations.findings(app);
    // THEN the invocation and the expected value are not bindings (they run once the deployment is done);
    // only the resource policy and the IAM grant integ-tests adds on the unqualified function are, as any such
    expect(findings.map((f) => [f.ruleId, f.resourcePath.split('/').pop()])).toEqual([
      [GuardRules.LATEST_PERMISSION, 'Invoke'],
      [GuardRules.LATEST_GRANT, 'Role'],
    ]);
    expect(() => app.synth()).toThrow(/SafeLambda-LatestPermission/);
  });
});
