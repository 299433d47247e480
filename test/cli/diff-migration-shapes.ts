import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cr from 'aws-cdk-lib/custom-resources';

// The shapes issue #16 found in real apps, each bound to a plain function `Target`, for `diff plain
// migrated` (test/cli/diff-migration.test.ts): what the migration must leave deployable, and what a
// deployment of it still risks.

/** One shape: its name and how it binds `target` in `stack`. */
export interface MigrationShape {
  readonly name: string;
  readonly bind: (stack: Stack, target: lambda.Function) => void;
}

export const MIGRATION_SHAPES: MigrationShape[] = [
  {
    name: 'async-invoke configuration (retryAttempts, maxEventAge)',
    bind: (_stack, target) => {
      target.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(5) });
    },
  },
  {
    name: 'AwsCustomResource invoking the function, granted with grantInvoke',
    bind: (stack, target) => {
      const call = new cr.AwsCustomResource(stack, 'Call', {
        onCreate: { service: 'Lambda', action: 'invoke', parameters: { FunctionName: target.functionName }, physicalResourceId: cr.PhysicalResourceId.of('call') },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
        installLatestAwsSdk: false,
      });
      target.grantInvoke(call);
    },
  },
  {
    name: 'Cognito CustomMessage trigger',
    bind: (stack, target) => {
      new cognito.UserPool(stack, 'Pool', { lambdaTriggers: { customMessage: target } });
    },
  },
  {
    name: 'function URL given to clients in an output',
    bind: (stack, target) => {
      const url = target.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
      new CfnOutput(stack, 'Endpoint', { value: url.url });
    },
  },
  {
    name: 'HTTP API served by a stage without auto-deploy',
    bind: (stack, target) => {
      const api = new apigwv2.HttpApi(stack, 'Http', { createDefaultStage: false });
      api.addRoutes({ path: '/', integration: new apigwv2Integrations.HttpLambdaIntegration('Root', target) });
      new apigwv2.HttpStage(stack, 'Stage', { httpApi: api, stageName: 'prod', autoDeploy: false });
    },
  },
  {
    name: 'state machine with a published version',
    bind: (stack, target) => {
      const machine = new sfn.StateMachine(stack, 'Flow', {
        definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: target })),
      });
      new sfn.CfnStateMachineVersion(stack, 'FlowVersion', { stateMachineArn: machine.stateMachineArn });
    },
  },
  {
    name: 'an existing alias named live',
    bind: (stack, target) => {
      new lambda.Alias(stack, 'Live', { aliasName: 'live', version: target.currentVersion });
    },
  },
];
