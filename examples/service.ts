import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SafeFunction, SafeNodejsFunction } from '../src';

/**
 * Route 1 of the migration guide, new code: an order service. An HTTP API takes orders, a queue feeds
 * the worker, a nightly rule reconciles, a topic fans out notifications and a state machine runs
 * fulfilment. Every function is safe from the start (four SafeFunctions and one SafeNodejsFunction),
 * handed to the integrations exactly as a plain lambda.Function would be.
 */
export class OrderServiceStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const common = {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(10),
      environment: { SERVICE: 'orders' },
    };
    const handler = (name: string) => new SafeFunction(this, name, {
      ...common,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async (event) => ({ statusCode: 200, body: '${name}' });`),
    });

    // A NodejsFunction (esbuild) that is safe: without `entry` it bundles service.Api.ts, next to this file.
    const api = new SafeNodejsFunction(this, 'Api', common);
    const worker = handler('Worker');
    const reconciler = handler('Reconciler');
    const notifier = handler('Notifier');
    const fulfil = handler('Fulfil');

    const http = new apigwv2.HttpApi(this, 'Http');
    http.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('Orders', api) });

    const queue = new sqs.Queue(this, 'Orders', { visibilityTimeout: Duration.seconds(60) });
    worker.addEventSource(new SqsEventSource(queue, { batchSize: 10 }));
    queue.grantSendMessages(api);

    new events.Rule(this, 'Nightly', {
      schedule: events.Schedule.cron({ hour: '3', minute: '0' }),
      targets: [new targets.LambdaFunction(reconciler)],
    });

    const topic = new sns.Topic(this, 'OrderEvents');
    topic.addSubscription(new subscriptions.LambdaSubscription(notifier));

    new sfn.StateMachine(this, 'Fulfilment', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(this, 'Fulfil order', { lambdaFunction: fulfil })),
    });
  }
}

/** The order service's app; `context` is added to the app's (the tests skip bundling with it). */
export function buildOrderService(context: Record<string, unknown> = {}): App {
  const app = new App({ context: { '@aws-cdk/aws-lambda:recognizeLayerVersion': true, ...context } });
  new OrderServiceStack(app, 'OrderService');
  return app;
}
