import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { SafeFunction, TrafficHook, TrafficShift } from '../src';

/*
 * A canary release: each new version of the function gets 10% of the live alias's traffic for five
 * minutes, after a smoke test has invoked it; errors or throttles of the new version roll the alias
 * back. A post-traffic hook of any name checks the release, and a `beta` stage alias sits next to
 * `live` on the same function.
 */
const app = new App({ context: { [cxapi.LAMBDA_RECOGNIZE_LAYER_VERSION]: true } });
const stack = new Stack(app, 'ReleaseIntegStack');

const verify = new SafeFunction(stack, 'VerifyRelease', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline([
    "const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');",
    'exports.handler = async (event) => {',
    `  console.log('released', process.env.${TrafficHook.TARGET_VERSION_ARN_ENV});`,
    '  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({',
    "    deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status: 'Succeeded',",
    '  }));',
    '};',
  ].join('\n')),
});

const orders = new SafeFunction(stack, 'Orders', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (event) => ({ ok: true, ping: event.ping === true });'),
  timeout: Duration.seconds(10),
  deployment: {
    trafficShift: TrafficShift.canary(10, Duration.minutes(5)),
    preTraffic: TrafficHook.smokeTest({ payload: JSON.stringify({ ping: true }) }),
    postTraffic: TrafficHook.fromFunction(verify),
  },
});
orders.addStageAlias('beta');

new IntegTest(app, 'ReleaseInteg', { testCases: [stack] });
