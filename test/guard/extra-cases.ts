import { Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3objectlambda from 'aws-cdk-lib/aws-s3objectlambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as transfer from 'aws-cdk-lib/aws-transfer';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { SafeFunction } from '../../src';
import { IntegrationCase } from '../fixtures/integrations';

/**
 * Integrations test/fixtures/integrations.ts does not build, in the same shape, for the guard's matrix.
 *
 * Rows below 100 are section 3 of /work/shared/reference/integration-matrix.md. Section 4 (L1-only
 * properties) has no row numbers: `L1_ROW + n` stands for the n-th line of its table.
 */
export const L1_ROW = 100;

export const EXTRA_CASES: IntegrationCase[] = [
  // Section 3 rows the shared fixture leaves out.
  {
    name: 'cloudfront_origins.FunctionUrlOrigin',
    row: 10,
    // The Distribution names the URL, not the function: the URL's Qualifier decides (row 9).
    resourceType: 'AWS::Lambda::Url',
    propertyPath: 'Properties.TargetFunctionArn',
    form: 'qualifier',
    qualifierPath: 'Properties.Qualifier',
    bind: (stack, target) => {
      new cloudfront.Distribution(stack, 'Cdn', {
        defaultBehavior: { origin: new origins.FunctionUrlOrigin(target.addFunctionUrl()) },
      });
    },
  },
  {
    name: 'stepfunctions.CustomState Resource',
    row: 24,
    resourceType: 'AWS::StepFunctions::StateMachine',
    propertyPath: 'Properties.DefinitionString',
    form: 'embedded',
    bind: (stack, target) => {
      const task = new sfn.CustomState(stack, 'Invoke', { stateJson: { Type: 'Task', Resource: target.functionArn } });
      new sfn.StateMachine(stack, 'StateMachine', { definitionBody: sfn.DefinitionBody.fromChainable(task) });
    },
  },
  {
    name: 'stepfunctions.StateMachine definitionSubstitutions',
    row: 24,
    resourceType: 'AWS::StepFunctions::StateMachine',
    propertyPath: 'Properties.DefinitionSubstitutions.fn',
    bind: (stack, target) => {
      new sfn.StateMachine(stack, 'StateMachine', {
        definitionBody: sfn.DefinitionBody.fromString('{"StartAt":"I","States":{"I":{"Type":"Task","Resource":"${fn}","End":true}}}'),
        definitionSubstitutions: { fn: target.functionArn },
      });
    },
  },
  {
    name: 'appconfig validator (IValidator with the function ARN)',
    row: 36,
    resourceType: 'AWS::AppConfig::ConfigurationProfile',
    propertyPath: 'Properties.Validators[0].Content',
    bind: (stack, target) => {
      // LambdaValidator.fromFunction takes a concrete lambda.Function: an alias goes in as an IValidator.
      const validator: appconfig.IValidator = target instanceof lambda.Function
        ? appconfig.LambdaValidator.fromFunction(target)
        : { content: target.functionArn, type: appconfig.ValidatorType.LAMBDA };
      new appconfig.HostedConfiguration(stack, 'Config', {
        application: new appconfig.Application(stack, 'App'),
        content: appconfig.ConfigurationContent.fromInlineText('{}'),
        validators: [validator],
      });
    },
  },

  // Section 4: L1-only properties, bound the way a user writes them (`target.functionArn`).
  {
    name: 's3.CfnBucket NotificationConfiguration',
    row: L1_ROW + 1,
    resourceType: 'AWS::S3::Bucket',
    propertyPath: 'Properties.NotificationConfiguration.LambdaConfigurations[0].Function',
    bind: (stack, target) => {
      new s3.CfnBucket(stack, 'Bucket', {
        notificationConfiguration: { lambdaConfigurations: [{ event: 's3:ObjectCreated:*', function: target.functionArn }] },
      });
    },
  },
  {
    name: 'sns.CfnTopic Subscription',
    row: L1_ROW + 2,
    resourceType: 'AWS::SNS::Topic',
    propertyPath: 'Properties.Subscription[0].Endpoint',
    bind: (stack, target) => {
      new sns.CfnTopic(stack, 'Topic', { subscription: [{ protocol: 'lambda', endpoint: target.functionArn }] });
    },
  },
  {
    name: 'lex.CfnBot test alias code hook',
    row: L1_ROW + 3,
    resourceType: 'AWS::Lex::Bot',
    propertyPath: 'Properties.TestBotAliasSettings.BotAliasLocaleSettings[0].BotAliasLocaleSetting.CodeHookSpecification.LambdaCodeHook.LambdaArn',
    bind: (stack, target) => {
      new lex.CfnBot(stack, 'Bot', {
        name: 'bot',
        roleArn: role(stack, 'lexv2.amazonaws.com').roleArn,
        dataPrivacy: { ChildDirected: false },
        idleSessionTtlInSeconds: 300,
        testBotAliasSettings: { botAliasLocaleSettings: [lexLocale(target)] },
      });
    },
  },
  {
    name: 'lex.CfnBotAlias code hook',
    row: L1_ROW + 3,
    resourceType: 'AWS::Lex::BotAlias',
    propertyPath: 'Properties.BotAliasLocaleSettings[0].BotAliasLocaleSetting.CodeHookSpecification.LambdaCodeHook.LambdaArn',
    bind: (stack, target) => {
      new lex.CfnBotAlias(stack, 'BotAlias', { botId: 'BOTID12345', botAliasName: 'prod', botAliasLocaleSettings: [lexLocale(target)] });
    },
  },
  {
    name: 'iot.CfnAuthorizer',
    row: L1_ROW + 5,
    resourceType: 'AWS::IoT::Authorizer',
    propertyPath: 'Properties.AuthorizerFunctionArn',
    bind: (stack, target) => {
      new iot.CfnAuthorizer(stack, 'Authorizer', { authorizerFunctionArn: target.functionArn, signingDisabled: true });
    },
  },
  {
    name: 'cloudformation.CfnMacro',
    row: L1_ROW + 13,
    resourceType: 'AWS::CloudFormation::Macro',
    propertyPath: 'Properties.FunctionName',
    bind: (stack, target) => {
      new cloudformation.CfnMacro(stack, 'Macro', { name: 'Expand', functionName: target.functionArn });
    },
  },
  {
    name: 'cloudformation.CfnLambdaHook',
    row: L1_ROW + 14,
    resourceType: 'AWS::CloudFormation::LambdaHook',
    propertyPath: 'Properties.LambdaFunction',
    bind: (stack, target) => {
      new cloudformation.CfnLambdaHook(stack, 'Hook', {
        alias: 'Private::Guard::Hook',
        executionRole: role(stack, 'hooks.cloudformation.amazonaws.com').roleArn,
        failureMode: 'FAIL',
        hookStatus: 'ENABLED',
        lambdaFunction: target.functionArn,
        targetOperations: ['STACK'],
      });
    },
  },
  {
    name: 'transfer.CfnServer identity provider',
    row: L1_ROW + 18,
    resourceType: 'AWS::Transfer::Server',
    propertyPath: 'Properties.IdentityProviderDetails.Function',
    bind: (stack, target) => {
      new transfer.CfnServer(stack, 'Sftp', { identityProviderType: 'AWS_LAMBDA', identityProviderDetails: { function: target.functionArn } });
    },
  },
  {
    name: 'vpclattice.CfnTargetGroup LAMBDA',
    row: L1_ROW + 19,
    resourceType: 'AWS::VpcLattice::TargetGroup',
    propertyPath: 'Properties.Targets[0].Id',
    bind: (stack, target) => {
      new vpclattice.CfnTargetGroup(stack, 'Targets', { type: 'LAMBDA', targets: [{ id: target.functionArn }] });
    },
  },
  {
    name: 's3objectlambda.CfnAccessPoint transformation',
    row: L1_ROW + 23,
    resourceType: 'AWS::S3ObjectLambda::AccessPoint',
    propertyPath: 'Properties.ObjectLambdaConfiguration.TransformationConfigurations[0].ContentTransformation.AwsLambda.FunctionArn',
    bind: (stack, target) => {
      new s3objectlambda.CfnAccessPoint(stack, 'Olap', {
        objectLambdaConfiguration: {
          supportingAccessPoint: 'arn:aws:s3:us-east-1:123456789012:accesspoint/supporting',
          transformationConfigurations: [{ actions: ['GetObject'], contentTransformation: { AwsLambda: { FunctionArn: target.functionArn } } }],
        },
      });
    },
  },
  {
    name: 'ssm.CfnMaintenanceWindowTask TaskArn',
    row: L1_ROW + 24,
    resourceType: 'AWS::SSM::MaintenanceWindowTask',
    propertyPath: 'Properties.TaskArn',
    bind: (stack, target) => maintenanceWindowTask(stack, target.functionArn),
  },
  {
    name: 'ssm.CfnMaintenanceWindowTask TaskArn + Qualifier',
    row: L1_ROW + 24,
    resourceType: 'AWS::SSM::MaintenanceWindowTask',
    propertyPath: 'Properties.TaskArn',
    form: 'qualifier',
    qualifierPath: 'Properties.TaskInvocationParameters.MaintenanceWindowLambdaParameters.Qualifier',
    bind: (stack, target) => {
      const { unqualified, qualifier } = splitQualifier(target);
      maintenanceWindowTask(stack, unqualified.functionArn, qualifier);
    },
  },
];

/**
 * The unqualified function behind `target` and the qualifier `target` adds to it (alias name or
 * version number), for APIs that take the two apart.
 */
export function splitQualifier(target: lambda.IFunction): { unqualified: lambda.IFunction; qualifier?: string } {
  if (target instanceof SafeFunction || target instanceof lambda.Alias) {
    return { unqualified: target.lambda, qualifier: target.aliasName };
  }
  if (target instanceof lambda.Version) {
    return { unqualified: target.lambda, qualifier: target.version };
  }
  return { unqualified: target };
}

/** An SSM maintenance window task of type LAMBDA, with an optional separate `Qualifier`. */
export function maintenanceWindowTask(stack: Stack, taskArn: string, qualifier?: string): ssm.CfnMaintenanceWindowTask {
  const window = new ssm.CfnMaintenanceWindow(stack, 'Window', {
    name: 'nightly', schedule: 'cron(0 3 ? * * *)', duration: 2, cutoff: 1, allowUnassociatedTargets: true,
  });
  return new ssm.CfnMaintenanceWindowTask(stack, 'Task', {
    windowId: window.ref,
    priority: 1,
    taskType: 'LAMBDA',
    taskArn,
    taskInvocationParameters: qualifier === undefined ? undefined : { maintenanceWindowLambdaParameters: { qualifier } },
  });
}

function role(stack: Stack, service: string): iam.Role {
  return new iam.Role(stack, `Role-${service}`, { assumedBy: new iam.ServicePrincipal(service) });
}

function lexLocale(target: lambda.IFunction): lex.CfnBotAlias.BotAliasLocaleSettingsItemProperty {
  return {
    localeId: 'en_US',
    botAliasLocaleSetting: { enabled: true, codeHookSpecification: { lambdaCodeHook: { lambdaArn: target.functionArn, codeHookInterfaceVersion: '1.0' } } },
  };
}
