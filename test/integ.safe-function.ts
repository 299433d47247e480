import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { SafeFunction } from '../src';

/*
 * A SafeFunction behind an HTTP API, fed by an SQS queue and an EventBridge schedule: all three
 * bind the live alias, never the unqualified function.
 */
const app = new App({ context: { [cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION]: true } });
const stack = new Stack(app, 'SafeFunctionIntegStack');

const handler = new SafeFunction(stack, 'Handler', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });'),
  timeout: Duration.seconds(10),
});

new apigwv2.HttpApi(stack, 'Api', {
  defaultIntegration: new HttpLambdaIntegration('Handler', handler),
});

const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(60) });
handler.addEventSource(new SqsEventSource(queue));

new events.Rule(stack, 'Schedule', {
  schedule: events.Schedule.rate(Duration.hours(1)),
  targets: [new targets.LambdaFunction(handler)],
});

new IntegTest(app, 'SafeFunctionInteg', { testCases: [stack] });
