import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SafeAlias } from '../src';

export interface CheckoutStackProps extends StackProps {
  /**
   * Whether the function is wrapped in a SafeAlias; `false` builds the stack as it was before the
   * migration (the demo's "before").
   *
   * @default true
   */
  readonly safe?: boolean;
}

/**
 * Route 2 of the migration guide, one existing function: a NodejsFunction that an HTTP API, a queue,
 * a topic and a reporting role already use. One `new SafeAlias` makes it safe in place (same path,
 * same logical ID: not replaced); the integrations then get the SafeAlias instead of the function.
 */
export class CheckoutStack extends Stack {
  constructor(scope: Construct, id: string, props: CheckoutStackProps = {}) {
    super(scope, id, props);

    // The existing function, unchanged.
    const orders = new NodejsFunction(this, 'Orders', {
      entry: path.join(__dirname, 'handlers', 'orders.ts'),
      runtime: lambda.Runtime.NODEJS_22_X,
      environment: { TABLE: 'orders' },
    });

    // The migration: one line, then `live` wherever `orders` was bound.
    const live: lambda.IFunction = props.safe === false ? orders : new SafeAlias(this, 'OrdersLive', { function: orders });

    const http = new apigwv2.HttpApi(this, 'Http');
    http.addRoutes({ path: '/checkout', methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('Checkout', live) });
    live.addEventSource(new SqsEventSource(new sqs.Queue(this, 'Inbox')));
    new sns.Topic(this, 'Payments').addSubscription(new subscriptions.LambdaSubscription(live));
    live.grantInvoke(new iam.Role(this, 'Reporting', { assumedBy: new iam.AccountRootPrincipal() }));
  }
}

/** The app of route 2; `context` is added to the app's (the tests skip bundling with it). */
export function buildCheckout(options: { safe?: boolean; context?: Record<string, unknown> } = {}): App {
  const app = new App({ context: { '@aws-cdk/aws-lambda:recognizeLayerVersion': true, ...options.context } });
  new CheckoutStack(app, 'Checkout', { safe: options.safe });
  return app;
}
