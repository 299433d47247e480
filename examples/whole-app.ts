import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MakeFunctionsSafe } from '../src';

/**
 * An app as most are before the migration: NodejsFunctions everywhere, each handed to its
 * integrations as it is, so that every binding invokes `$LATEST`. No line of it changes in route 3.
 */
export class LegacyServiceStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const fn = (name: string, environment: Record<string, string> = {}) => new NodejsFunction(this, name, {
      entry: path.join(__dirname, 'handlers', 'orders.ts'),
      runtime: lambda.Runtime.NODEJS_22_X,
      environment,
    });
    const api = fn('Api');
    const worker = fn('Worker');
    const notifier = fn('Notifier');
    const fulfil = fn('Fulfil');
    // Invokes the worker through the SDK, by the name in its environment.
    const caller = fn('Caller', { WORKER: worker.functionName });
    worker.grantInvoke(caller);

    new apigwv2.HttpApi(this, 'Http').addRoutes({ path: '/orders', integration: new HttpLambdaIntegration('Orders', api) });
    worker.addEventSource(new SqsEventSource(new sqs.Queue(this, 'Orders')));
    new events.Rule(this, 'Nightly', { schedule: events.Schedule.cron({ hour: '3', minute: '0' }), targets: [new targets.LambdaFunction(worker)] });
    new sns.Topic(this, 'OrderEvents').addSubscription(new subscriptions.LambdaSubscription(notifier));
    new sfn.StateMachine(this, 'Fulfilment', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(this, 'Fulfil order', { lambdaFunction: fulfil })),
    });
  }
}

/**
 * Route 3 of the migration guide, the whole app in one line: `MakeFunctionsSafe.applyTo(app)` as the
 * last line before synthesis. `safe: false` leaves it out (the demo's "before"); `context` is added to
 * the app's (the tests skip bundling with it).
 */
export function buildLegacyService(options: { safe?: boolean; context?: Record<string, unknown> } = {}): App {
  const app = new App({ context: { '@aws-cdk/aws-lambda:recognizeLayerVersion': true, ...options.context } });
  new LegacyServiceStack(app, 'LegacyService');
  if (options.safe !== false) {
    MakeFunctionsSafe.applyTo(app);
  }
  return app;
}
