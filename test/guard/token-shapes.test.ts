import { App, Aspects, Aws, CfnCondition, CfnMapping, CfnParameter, CfnResource, Duration, Fn, IResolvable, IResolveContext, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, FUNCTION_PROPS, safeFunction } from './guard-test-app';
import { GuardedFunctions, GuardRules, NoLatestInvocations } from '../../src';

/**
 * §1 of issue 9: the guard never breaks a valid app. Every value a user may legally pass (number and
 * list tokens, parameters, Lazy values, `Fn.getAtt` encodings) must render while the guard reads the
 * resource, whether the function is a SafeFunction (bound qualified) or a plain function under
 * `GuardedFunctions.ALL` (bound unqualified: one finding, and synthesis fails with that finding only).
 */
interface TokenShape {
  readonly name: string;
  /** The resource type that carries the binding. */
  readonly resourceType: string;
  readonly bind: (stack: Stack, target: lambda.IFunction) => void;
}

const numberParam = (stack: Stack, id = 'N') => new CfnParameter(stack, id, { type: 'Number', default: 5 }).valueAsNumber;
const listParam = (stack: Stack, id = 'L') => new CfnParameter(stack, id, { type: 'List<AWS::EC2::Subnet::Id>' }).valueAsList;

const SHAPES: TokenShape[] = [
  {
    name: 'SQS event source, batchSize from a Number parameter',
    resourceType: 'AWS::Lambda::EventSourceMapping',
    bind: (stack, target) => target.addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'Q'), { batchSize: numberParam(stack) })),
  },
  {
    name: 'SQS event source, maxBatchingWindow from a Number parameter',
    resourceType: 'AWS::Lambda::EventSourceMapping',
    bind: (stack, target) => target.addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'Q'), {
      maxBatchingWindow: Duration.seconds(numberParam(stack)),
    })),
  },
  {
    name: 'Kinesis event source, parallelizationFactor from Lazy.number and retryAttempts from Token.asNumber(Fn.getAtt)',
    resourceType: 'AWS::Lambda::EventSourceMapping',
    bind: (stack, target) => {
      const queue = new sqs.CfnQueue(stack, 'Q');
      target.addEventSource(new eventSources.KinesisEventSource(new kinesis.Stream(stack, 'S'), {
        startingPosition: lambda.StartingPosition.LATEST,
        parallelizationFactor: Lazy.number({ produce: () => 2 }),
        retryAttempts: Token.asNumber(Fn.getAtt(queue.logicalId, 'MessageRetentionPeriod')),
      }));
    },
  },
  {
    name: 'L1 event source mapping, topics from a list parameter and batch size from a Number parameter',
    resourceType: 'AWS::Lambda::EventSourceMapping',
    bind: (stack, target) => {
      new lambda.CfnEventSourceMapping(stack, 'Esm', {
        functionName: target.functionArn,
        topics: new CfnParameter(stack, 'Topics', { type: 'CommaDelimitedList' }).valueAsList,
        batchSize: numberParam(stack),
        selfManagedEventSource: { endpoints: { kafkaBootstrapServers: Token.asList(Fn.split(',', 'a:9092,b:9092')) } },
      });
    },
  },
  {
    name: 'API Gateway integration, timeout from a Number parameter',
    resourceType: 'AWS::ApiGateway::Method',
    bind: (stack, target) => {
      new apigateway.RestApi(stack, 'Api').root.addMethod('GET', new apigateway.LambdaIntegration(target, {
        timeout: Duration.millis(numberParam(stack)),
      }));
    },
  },
  {
    name: 'a caller function in a VPC whose subnets come from a list parameter, holding the target in its environment',
    resourceType: 'AWS::Lambda::Function',
    bind: (stack, target) => {
      new lambda.CfnFunction(stack, 'Caller', {
        role: 'arn:aws:iam::123456789012:role/r',
        code: { zipFile: 'exports.handler = async () => {};' },
        runtime: 'nodejs22.x',
        handler: 'index.handler',
        memorySize: numberParam(stack, 'Memory'),
        vpcConfig: { subnetIds: listParam(stack), securityGroupIds: Token.asList(Fn.split(',', new CfnParameter(stack, 'Groups').valueAsString)) },
        environment: { variables: { TARGET: target.functionArn } },
      });
    },
  },
  {
    name: 'an SNS subscription with a numeric filter from a Number parameter on a topic with a Lazy display name',
    resourceType: 'AWS::SNS::Subscription',
    bind: (stack, target) => {
      new sns.Topic(stack, 'T', { displayName: Lazy.string({ produce: () => 'topic' }) }).addSubscription(new subscriptions.LambdaSubscription(target, {
        filterPolicy: { n: sns.SubscriptionFilter.numericFilter({ greaterThan: numberParam(stack) }) },
      }));
    },
  },
  {
    name: 'EventBridge target with a number and a list parameter in its input',
    resourceType: 'AWS::Events::Rule',
    bind: (stack, target) => {
      new events.Rule(stack, 'R', { schedule: events.Schedule.rate(Duration.minutes(numberParam(stack))) }).addTarget(new targets.LambdaFunction(target, {
        event: events.RuleTargetInput.fromObject({ n: numberParam(stack, 'M'), l: listParam(stack), s: new CfnParameter(stack, 'S').valueAsString }),
        retryAttempts: numberParam(stack, 'Retries'),
      }));
    },
  },
  {
    name: 'permission whose source account is a string parameter and an L1 mapping built with Lazy.any',
    resourceType: 'AWS::Lambda::Permission',
    bind: (stack, target) => {
      new lambda.CfnPermission(stack, 'Perm', {
        action: 'lambda:InvokeFunction',
        functionName: target.functionArn,
        principal: 's3.amazonaws.com',
        sourceAccount: new CfnParameter(stack, 'Account').valueAsString,
        sourceArn: Lazy.string({ produce: () => 'arn:aws:s3:::bucket' }),
      });
    },
  },
  {
    name: 'a Step Functions LambdaInvoke whose task timeout is a Number parameter',
    resourceType: 'AWS::StepFunctions::StateMachine',
    bind: (stack, target) => new sfn.StateMachine(stack, 'SM', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', {
        lambdaFunction: target, taskTimeout: sfn.Timeout.duration(Duration.seconds(numberParam(stack))),
      })),
    }),
  },
  {
    name: 'the binding inside Fn.conditionIf with AWS::NoValue, under a condition on a parameter',
    resourceType: 'AWS::SNS::Subscription',
    bind: (stack, target) => {
      const condition = new CfnCondition(stack, 'Enabled', { expression: Fn.conditionEquals(new CfnParameter(stack, 'On').valueAsString, 'yes') });
      new sns.CfnSubscription(stack, 'Sub', {
        protocol: 'lambda', topicArn: 'arn:aws:sns:us-east-1:123456789012:t', endpoint: Fn.conditionIf(condition.logicalId, target.functionArn, Aws.NO_VALUE).toString(),
      });
    },
  },
  {
    name: 'an event source mapping whose batch size is looked up in a CfnMapping',
    resourceType: 'AWS::Lambda::EventSourceMapping',
    bind: (stack, target) => new lambda.CfnEventSourceMapping(stack, 'Esm', {
      functionName: target.functionName,
      batchSize: Token.asNumber(new CfnMapping(stack, 'Sizes', { mapping: { prod: { batch: 10 } } }).findInMap('prod', 'batch')),
      eventSourceArn: new sqs.Queue(stack, 'Q').queueArn,
    }),
  },
  {
    name: 'the ARN through Token.asAny in a CfnResource',
    resourceType: 'AWS::SNS::Subscription',
    bind: (stack, target) => new CfnResource(stack, 'Raw', {
      type: 'AWS::SNS::Subscription', properties: { Protocol: 'lambda', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Endpoint: Token.asAny(target.functionArn) },
    }),
  },
  {
    name: 'a topic ARN joined from a number token beside the binding',
    resourceType: 'AWS::SNS::Subscription',
    bind: (stack, target) => new sns.CfnSubscription(stack, 'Sub', {
      protocol: 'lambda', topicArn: Fn.join(':', ['arn:aws:sns:us-east-1:123456789012', Token.asString(numberParam(stack))]), endpoint: target.functionArn,
    }),
  },
];

function withShape(shape: TokenShape, safe: boolean): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  if (safe) {
    shape.bind(stack, safeFunction(stack));
  } else {
    shape.bind(stack, new lambda.Function(stack, 'Plain', FUNCTION_PROPS));
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
  }
  return { app, stack };
}

describe('token-valued properties next to a guarded function', () => {
  test.each(SHAPES)('$name: bound to a SafeFunction, findings() is empty and synthesis succeeds', (shape) => {
    // GIVEN a SafeFunction bound (qualified) by a resource holding token-valued properties
    const { app } = withShape(shape, true);
    // WHEN the guard checks it THEN there is nothing to report, and nothing throws
    expect(NoLatestInvocations.findings(app)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test.each(SHAPES)('$name: bound unqualified under GuardedFunctions.ALL, synthesis fails with the guard finding only', (shape) => {
    // GIVEN a plain function bound unqualified by such a resource, with a strict guard
    const { app } = withShape(shape, false);
    // WHEN the guard checks it
    const findings = NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL });
    // THEN it reports the binding on the expected resource type, and synthesis fails with that finding
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.ruleId !== GuardRules.GUARD_INTERNAL_ERROR)).toBe(true);
    const messages = findings.filter((f) => f.ruleId !== GuardRules.LATEST_GRANT).map((f) => f.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(() => app.synth()).toThrow(/Validation failed with the following errors/);
    try {
      app.synth();
    } catch (e) {
      expect((e as Error).message).not.toMatch(/Resolution error|should be a number|should be a list/);
    }
    expect(findings.map((f) => f.resourcePath).some((path) => resourceTypeAt(app, path) === shape.resourceType)).toBe(true);
  });
});

function resourceTypeAt(app: App, path: string): string | undefined {
  const node = app.node.findAll().find((c) => c.node.path === path) as any;
  return node?.cfnResourceType;
}

/** A value that resolves only outside the guard: it stands for any unexpected failure while the guard renders a resource. */
class FailsInsideTheGuard implements IResolvable {
  public readonly creationStack: string[] = [];
  public resolve(_context: IResolveContext): any {
    if ((new Error().stack ?? '').includes('analyzeResource')) {
      throw new Error('unexpected value shape');
    }
    return 'arn:aws:sns:us-east-1:123456789012:topic';
  }
}

describe('an unexpected failure inside the guard', () => {
  function failingApp(): { app: App; stack: Stack } {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const fn = safeFunction(stack);
    new sns.CfnSubscription(stack, 'Sub', { protocol: 'lambda', endpoint: fn.function.functionArn, topicArn: Token.asString(new FailsInsideTheGuard()) });
    return { app, stack };
  }

  test('becomes a warning naming the resource and the failed step, never a crash of synthesis', () => {
    // GIVEN a resource whose rendering fails inside the guard only
    const { app, stack } = failingApp();
    // WHEN the app synthesizes THEN it succeeds, with a warning on the resource naming it and the step
    expect(() => app.synth()).not.toThrow();
    Annotations.fromStack(stack).hasWarning('/Stack/Sub', Match.stringLikeRegexp(
      '^\\[SafeLambda-GuardInternalError\\] Stack/Sub was not checked by the \\$LATEST guard: rendering the resource failed \\(unexpected value shape\\)'));
  });

  test('is what findings() reports too', () => {
    // GIVEN the same resource
    const { app } = failingApp();
    // WHEN findings() checks it THEN it does not throw and reports one internal-error warning on the resource
    const findings = NoLatestInvocations.findings(app);
    expect(findings.map((f) => [f.ruleId, f.resourcePath])).toEqual([[GuardRules.GUARD_INTERNAL_ERROR, 'Stack/Sub']]);
    expect(findings[0].message).toMatch(/Stack\/Sub was not checked by the \$LATEST guard: rendering the resource failed \(unexpected value shape\)/);
  });
});
