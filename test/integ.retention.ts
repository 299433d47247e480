/**
 * Snapshot of version retention: two SafeFunctions with retainVersions share one pruner, which runs
 * after every alias of its function has moved (Orders has a stage alias too) and records where each
 * alias points, for the next run's rollback targets. Checked offline (`integ-runner --dry-run`); no AWS account is needed.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SafeFunction } from '../src';

const app = new App();
const stack = new Stack(app, 'SafeLambdaRetention');

new SafeFunction(stack, 'Orders', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "orders" });'),
  retainVersions: 3,
  pruneMinAge: Duration.minutes(30),
  stageAliases: [{ aliasName: 'beta' }],
});

new SafeFunction(stack, 'Billing', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "billing" });'),
  retainVersions: 5,
  pruneMaxDeletions: 10,
  pruneDryRun: true,
});

new IntegTest(app, 'RetentionInteg', { testCases: [stack] });
