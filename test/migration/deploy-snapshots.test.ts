import { App, CfnParameter, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { GuardRules, GuardSuppressions, MakeFunctionsSafe, MakeFunctionsSafeProps } from '../../src';
import { INTEGRATION_CASES } from '../fixtures/integrations';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

// Issue #16 §2: a rewrite must reach whatever serves it. A resource that freezes a copy of the
// rewritten resource's configuration (an API Gateway deployment, a v2 stage without auto-deploy, a
// published state machine version) is taken again, or named in a warning with the fix.

const ENV = { account: '123456789012', region: 'us-east-1' };

type Build = (stack: Stack) => void;

/** Builds the same app twice, bare and migrated, and returns both templates of stack `S`. */
function bareAndMigrated(build: Build, props?: MakeFunctionsSafeProps): { bare: any; migrated: any; app: App; stack: Stack } {
  const bare = Template.fromStack(appWith(build).stack).toJSON();
  const { app, stack } = appWith(build);
  MakeFunctionsSafe.applyTo(app, props);
  return { bare, migrated: Template.fromStack(stack).toJSON(), app, stack };
}

function appWith(build: Build): { app: App; stack: Stack } {
  const app = new App({ context: RECOGNIZE_LAYERS });
  const stack = new Stack(app, 'S', { env: ENV });
  build(stack);
  return { app, stack };
}

function idsOf(template: any, type: string): string[] {
  return Object.keys(template.Resources).filter((id) => template.Resources[id].Type === type).sort();
}

function entriesOf(template: any, type: string): any[] {
  return idsOf(template, type).map((id) => template.Resources[id]);
}

/** Every way of binding a function to a REST API: the integration table's, and an OpenAPI body of a SpecRestApi. */
const REST_CASES: Array<[string, Build]> = [
  ...INTEGRATION_CASES.filter((c) => c.resourceType.startsWith('AWS::ApiGateway::'))
    .map((c): [string, Build] => [c.name, (stack) => c.bind(stack, new lambda.Function(stack, 'Fn', plainFunctionProps()))]),
  ['apigateway.SpecRestApi with an inline OpenAPI integration', (stack) => {
    const fn = new lambda.Function(stack, 'Fn', plainFunctionProps());
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`;
    new apigateway.SpecRestApi(stack, 'Spec', {
      apiDefinition: apigateway.ApiDefinition.fromInline({
        openapi: '3.0.2',
        paths: { '/': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri } } } },
      }),
    });
  }],
];

describe('REST API deployments after MakeFunctionsSafe', () => {
  test.each(REST_CASES)('GIVEN %s WHEN migrated THEN the stage serves a new Deployment', (_name, build) => {
    const { bare, migrated } = bareAndMigrated(build);
    const before = idsOf(bare, 'AWS::ApiGateway::Deployment');
    const after = idsOf(migrated, 'AWS::ApiGateway::Deployment');
    expect(before).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toEqual(before[0]);
    // The stage points at the new deployment.
    for (const stage of entriesOf(migrated, 'AWS::ApiGateway::Stage')) {
      expect(stage.Properties.DeploymentId).toEqual({ Ref: after[0] });
    }
  });

  test('GIVEN a REST API WHEN the same migrated app is synthesized twice, or built twice THEN the Deployment ID is the same', () => {
    const build: Build = (stack) => new apigateway.LambdaRestApi(stack, 'Rest', { handler: new lambda.Function(stack, 'Fn', plainFunctionProps()) });
    const first = bareAndMigrated(build);
    const second = bareAndMigrated(build);
    const again = first.app.synth().getStackByName('S').template;
    expect(idsOf(second.migrated, 'AWS::ApiGateway::Deployment')).toEqual(idsOf(first.migrated, 'AWS::ApiGateway::Deployment'));
    expect(idsOf(again, 'AWS::ApiGateway::Deployment')).toEqual(idsOf(first.migrated, 'AWS::ApiGateway::Deployment'));
  });

  test('GIVEN two APIs, one of them bound to no plain function WHEN migrated THEN only the rewritten one gets a new Deployment', () => {
    const { bare, migrated } = bareAndMigrated((stack) => {
      new apigateway.LambdaRestApi(stack, 'Rewritten', { handler: new lambda.Function(stack, 'Fn', plainFunctionProps()) });
      const untouched = new apigateway.RestApi(stack, 'Untouched');
      untouched.root.addMethod('GET', new apigateway.MockIntegration());
    });
    const byApi = (template: any, api: string) => idsOf(template, 'AWS::ApiGateway::Deployment').filter((id) => id.startsWith(api));
    expect(byApi(migrated, 'Untouched')).toEqual(byApi(bare, 'Untouched'));
    expect(migrated.Resources[byApi(migrated, 'Untouched')[0]]).toEqual(bare.Resources[byApi(bare, 'Untouched')[0]]);
    expect(byApi(migrated, 'Rewritten')).not.toEqual(byApi(bare, 'Rewritten'));
  });

  test.each<[string, (stack: Stack, fn: lambda.Function) => MakeFunctionsSafeProps]>([
    ['its function is excluded', (_stack, fn) => ({ exclude: [fn] })],
    ['its binding is suppressed', (stack) => {
      GuardSuppressions.add(stack.node.findChild('Rest'), { ruleId: GuardRules.LATEST_BINDING, reason: 'the stage is redeployed by hand' });
      return {};
    }],
  ])('GIVEN a REST API whose method stays on $LATEST because %s WHEN migrated THEN its Deployment is byte-identical', (_name, how) => {
    const restApi: Build = (s) => new apigateway.LambdaRestApi(s, 'Rest', { handler: new lambda.Function(s, 'Fn', plainFunctionProps()) });
    const bare = Template.fromStack(appWith(restApi).stack).toJSON();
    let props: MakeFunctionsSafeProps = {};
    const { app, stack } = appWith((s) => {
      restApi(s);
      props = how(s, s.node.findChild('Fn') as lambda.Function);
    });
    MakeFunctionsSafe.applyTo(app, props);
    const left = Template.fromStack(stack).toJSON();
    const [id] = idsOf(bare, 'AWS::ApiGateway::Deployment');
    expect(idsOf(left, 'AWS::ApiGateway::Deployment')).toEqual([id]);
    expect(left.Resources[id]).toEqual(bare.Resources[id]);
  });

  test('GIVEN a user-made apigateway.Deployment and Stage WHEN migrated THEN that deployment is made anew', () => {
    const { bare, migrated } = bareAndMigrated((stack) => {
      const api = new apigateway.RestApi(stack, 'Api', { deploy: false });
      api.root.addMethod('GET', new apigateway.LambdaIntegration(new lambda.Function(stack, 'Fn', plainFunctionProps())));
      const deployment = new apigateway.Deployment(stack, 'Release', { api });
      new apigateway.Stage(stack, 'Prod', { deployment, stageName: 'prod' });
    });
    const [after] = idsOf(migrated, 'AWS::ApiGateway::Deployment');
    expect(after).not.toEqual(idsOf(bare, 'AWS::ApiGateway::Deployment')[0]);
    Template.fromJSON(migrated).hasResourceProperties('AWS::ApiGateway::Stage', { DeploymentId: { Ref: after } });
  });

  test('GIVEN a CfnDeployment of the user WHEN migrated THEN it gets a new logical ID, which its stage references', () => {
    const { bare, migrated, stack } = bareAndMigrated((s) => {
      const api = new apigateway.RestApi(s, 'Api', { deploy: false });
      const method = api.root.addMethod('GET', new apigateway.LambdaIntegration(new lambda.Function(s, 'Fn', plainFunctionProps())));
      const deployment = new apigateway.CfnDeployment(s, 'Manual', { restApiId: api.restApiId });
      deployment.addDependency(method.node.defaultChild as apigateway.CfnMethod);
      new apigateway.CfnStage(s, 'ManualStage', { restApiId: api.restApiId, deploymentId: deployment.ref, stageName: 'prod' });
    });
    const [before] = idsOf(bare, 'AWS::ApiGateway::Deployment');
    const [after] = idsOf(migrated, 'AWS::ApiGateway::Deployment');
    expect(after).toMatch(new RegExp(`^${before}[0-9A-F]{8}$`));
    expect(migrated.Resources[after].DependsOn).toEqual(bare.Resources[before].DependsOn);
    Template.fromJSON(migrated).hasResourceProperties('AWS::ApiGateway::Stage', { DeploymentId: { Ref: after } });
    Annotations.fromStack(stack).hasInfo('/S/Manual', Match.stringLikeRegexp('new logical ID'));
  });

  test.each<[string, (stack: Stack) => Partial<lambda.FunctionProps>]>([
    ['a generated name', () => ({})],
    ['a literal name, which aws-cdk-lib hashes into the Deployment', () => ({ functionName: 'orders' })],
    ['a name from a CfnParameter (a token)', (stack) => ({ functionName: new CfnParameter(stack, 'Name').valueAsString })],
  ])('GIVEN a REST API whose function has %s WHEN migrated THEN the stage serves a new Deployment', (_name, naming) => {
    const { bare, migrated } = bareAndMigrated((stack) => {
      new apigateway.LambdaRestApi(stack, 'Rest', { handler: new lambda.Function(stack, 'Fn', { ...plainFunctionProps(), ...naming(stack) }) });
    });
    expect(idsOf(migrated, 'AWS::ApiGateway::Deployment')).not.toEqual(idsOf(bare, 'AWS::ApiGateway::Deployment'));
  });

  test('GIVEN a REST API in another stack than its function WHEN migrated THEN its Deployment is made anew and the app synthesizes', () => {
    const build = () => {
      const app = new App({ context: RECOGNIZE_LAYERS });
      const producer = new Stack(app, 'Producer', { env: ENV });
      const consumer = new Stack(app, 'S', { env: ENV });
      new apigateway.LambdaRestApi(consumer, 'Rest', { handler: new lambda.Function(producer, 'Fn', plainFunctionProps()) });
      return { app, stack: consumer };
    };
    const bare = Template.fromStack(build().stack).toJSON();
    const { app, stack } = build();
    MakeFunctionsSafe.applyTo(app);
    expect(() => app.synth()).not.toThrow();
    expect(idsOf(Template.fromStack(stack).toJSON(), 'AWS::ApiGateway::Deployment')).not.toEqual(idsOf(bare, 'AWS::ApiGateway::Deployment'));
  });

  test('GIVEN a CfnDeployment whose ID an output exports WHEN migrated THEN it keeps its ID and is named in a warning with the fix', () => {
    const { bare, migrated, stack } = bareAndMigrated((s) => {
      const api = new apigateway.RestApi(s, 'Api', { deploy: false });
      api.root.addMethod('GET', new apigateway.LambdaIntegration(new lambda.Function(s, 'Fn', plainFunctionProps())));
      const deployment = new apigateway.CfnDeployment(s, 'Manual', { restApiId: api.restApiId, stageName: 'prod' });
      s.exportValue(deployment.ref, { name: 'ManualDeployment' });
    });
    expect(idsOf(migrated, 'AWS::ApiGateway::Deployment')).toEqual(idsOf(bare, 'AWS::ApiGateway::Deployment'));
    const warnings = Annotations.fromStack(stack).findWarning('/S/Manual', Match.stringLikeRegexp('keeps serving \\$LATEST'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/Fix: give the deployment a new logical ID/);
  });

  test('GIVEN methods and a Deployment on an imported REST API WHEN migrated THEN that Deployment is made anew', () => {
    const { bare, migrated } = bareAndMigrated((s) => {
      const api = apigateway.RestApi.fromRestApiAttributes(s, 'Imported', { restApiId: 'abc123', rootResourceId: 'root456' });
      const method = api.root.addMethod('GET', new apigateway.LambdaIntegration(new lambda.Function(s, 'Fn', plainFunctionProps())));
      const deployment = new apigateway.Deployment(s, 'Release', { api });
      deployment.node.addDependency(method);
    });
    expect(idsOf(migrated, 'AWS::ApiGateway::Deployment')).not.toEqual(idsOf(bare, 'AWS::ApiGateway::Deployment'));
  });

  test.each<[string, Build]>([
    ['a RestApi with deploy: false and no deployment', (s) => {
      new apigateway.RestApi(s, 'Api', { deploy: false }).root.addMethod('GET',
        new apigateway.LambdaIntegration(new lambda.Function(s, 'Fn', plainFunctionProps())));
    }],
    ['methods on an imported REST API', (s) => {
      apigateway.RestApi.fromRestApiAttributes(s, 'Api', { restApiId: 'abc123', rootResourceId: 'root456' }).root.addMethod('GET',
        new apigateway.LambdaIntegration(new lambda.Function(s, 'Fn', plainFunctionProps())));
    }],
  ])('GIVEN %s WHEN migrated THEN a warning says its stages serve $LATEST until it is deployed, with the fix', (_name, build) => {
    const { stack } = bareAndMigrated(build);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('has no deployment in this template'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/Fix: deploy the API after this deployment/);
  });

  test('GIVEN a REST API that CDK deploys WHEN migrated THEN nothing says it has no deployment', () => {
    const { stack } = bareAndMigrated((s) => new apigateway.LambdaRestApi(s, 'Rest', { handler: new lambda.Function(s, 'Fn', plainFunctionProps()) }));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('has no deployment'))).toEqual([]);
  });

  test('GIVEN a REST API inside a Stage WHEN the app is migrated THEN the Stage\'s Deployment is made anew', () => {
    const build = () => {
      const app = new App({ context: RECOGNIZE_LAYERS });
      const stage = new Stage(app, 'Prod');
      const stack = new Stack(stage, 'S', { env: ENV });
      new apigateway.LambdaRestApi(stack, 'Rest', { handler: new lambda.Function(stack, 'Fn', plainFunctionProps()) });
      return { app, stack };
    };
    const bare = Template.fromStack(build().stack).toJSON();
    const { app, stack } = build();
    MakeFunctionsSafe.applyTo(app);
    expect(idsOf(Template.fromStack(stack).toJSON(), 'AWS::ApiGateway::Deployment')).not.toEqual(idsOf(bare, 'AWS::ApiGateway::Deployment'));
  });
});

describe('HTTP and WebSocket API stages after MakeFunctionsSafe', () => {
  const snapshotWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('does not auto-deploy'));

  test('GIVEN an HttpApi with its default stage, which auto-deploys WHEN migrated THEN nothing is said about its stage', () => {
    const { stack } = bareAndMigrated((s) => new apigwv2.HttpApi(s, 'Http').addRoutes({
      path: '/', integration: new apigwv2Integrations.HttpLambdaIntegration('I', new lambda.Function(s, 'Fn', plainFunctionProps())),
    }));
    expect(snapshotWarnings(stack)).toEqual([]);
  });

  test.each<[string, Build]>([
    ['an HttpStage without autoDeploy', (s) => {
      const api = new apigwv2.HttpApi(s, 'Http', { createDefaultStage: false });
      api.addRoutes({ path: '/', integration: new apigwv2Integrations.HttpLambdaIntegration('I', new lambda.Function(s, 'Fn', plainFunctionProps())) });
      new apigwv2.HttpStage(s, 'Stage', { httpApi: api, stageName: 'prod' });
    }],
    ['a WebSocketStage, whose autoDeploy defaults to false', (s) => {
      const api = new apigwv2.WebSocketApi(s, 'Ws', {
        connectRouteOptions: { integration: new apigwv2Integrations.WebSocketLambdaIntegration('I', new lambda.Function(s, 'Fn', plainFunctionProps())) },
      });
      new apigwv2.WebSocketStage(s, 'Stage', { webSocketApi: api, stageName: 'prod' });
    }],
  ])('GIVEN %s WHEN migrated THEN the stage is named in a warning with the fix', (_name, build) => {
    const { stack } = bareAndMigrated(build);
    const warnings = snapshotWarnings(stack);
    expect(warnings.map((w) => w.id)).toEqual(['/S/Stage/Resource']);
    const text = String(warnings[0].entry.data);
    expect(text.split('\n')[0].length).toBeLessThanOrEqual(120);
    expect(text).toMatch(/autoDeploy: true/);
  });

  test('GIVEN a WebSocketStage with autoDeploy WHEN migrated THEN nothing is said', () => {
    const { stack } = bareAndMigrated((s) => {
      const api = new apigwv2.WebSocketApi(s, 'Ws', {
        connectRouteOptions: { integration: new apigwv2Integrations.WebSocketLambdaIntegration('I', new lambda.Function(s, 'Fn', plainFunctionProps())) },
      });
      new apigwv2.WebSocketStage(s, 'Stage', { webSocketApi: api, stageName: 'prod', autoDeploy: true });
    });
    expect(snapshotWarnings(stack)).toEqual([]);
  });

  test('GIVEN a stage serving a v2 CfnDeployment of the template WHEN migrated THEN the deployment is made anew and nothing is said', () => {
    const { bare, migrated, stack } = bareAndMigrated((s) => {
      const api = new apigwv2.WebSocketApi(s, 'Ws', {
        connectRouteOptions: { integration: new apigwv2Integrations.WebSocketLambdaIntegration('I', new lambda.Function(s, 'Fn', plainFunctionProps())) },
      });
      const deployment = new apigwv2.CfnDeployment(s, 'Deployment', { apiId: api.apiId });
      deployment.node.addDependency(api);
      new apigwv2.CfnStage(s, 'Stage', { apiId: api.apiId, stageName: 'prod', deploymentId: deployment.ref });
    });
    const [before] = idsOf(bare, 'AWS::ApiGatewayV2::Deployment');
    const [after] = idsOf(migrated, 'AWS::ApiGatewayV2::Deployment');
    expect(after).toMatch(new RegExp(`^${before}[0-9A-F]{8}$`));
    Template.fromJSON(migrated).hasResourceProperties('AWS::ApiGatewayV2::Stage', { DeploymentId: { Ref: after } });
    expect(snapshotWarnings(stack)).toEqual([]);
  });
});

describe('published state machine versions after MakeFunctionsSafe', () => {
  function stateMachineApp(revision: 'attribute' | 'fixed' | 'none'): Build {
    return (s) => {
      const fn = new lambda.Function(s, 'Fn', plainFunctionProps());
      const machine = new sfn.StateMachine(s, 'Flow', {
        definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(s, 'Invoke', { lambdaFunction: fn })),
      });
      new sfn.CfnStateMachineVersion(s, 'Version', {
        stateMachineArn: machine.stateMachineArn,
        ...(revision === 'attribute' ? { stateMachineRevisionId: machine.stateMachineRevisionId } : {}),
        ...(revision === 'fixed' ? { stateMachineRevisionId: 'a1b2c3' } : {}),
      });
    };
  }
  const versionWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keeps an old definition'));

  test('GIVEN a version published from the state machine\'s StateMachineRevisionId WHEN migrated THEN it follows the rewritten definition by itself', () => {
    const { migrated, stack } = bareAndMigrated(stateMachineApp('attribute'));
    const [machine] = idsOf(migrated, 'AWS::StepFunctions::StateMachine');
    Template.fromJSON(migrated).hasResourceProperties('AWS::StepFunctions::StateMachineVersion', {
      StateMachineRevisionId: { 'Fn::GetAtt': [machine, 'StateMachineRevisionId'] },
    });
    expect(versionWarnings(stack)).toEqual([]);
  });

  test.each(['fixed', 'none'] as const)('GIVEN a version of a %s revision WHEN migrated THEN it is named in a warning with the fix', (revision) => {
    const { stack } = bareAndMigrated(stateMachineApp(revision));
    const warnings = versionWarnings(stack);
    expect(warnings.map((w) => w.id)).toEqual(['/S/Version']);
    expect(String(warnings[0].entry.data)).toMatch(/StateMachineRevisionId: stateMachine\.stateMachineRevisionId/);
  });
});

describe('function versions after MakeFunctionsSafe', () => {
  test('GIVEN a function whose environment names another function WHEN migrated THEN its published version is a new one', () => {
    // A version freezes the function's configuration; aws-cdk-lib hashes the rendered function, overrides included.
    const build: Build = (s) => {
      const worker = new lambda.Function(s, 'Worker', plainFunctionProps());
      const caller = new lambda.Function(s, 'Caller', { ...plainFunctionProps(), environment: { WORKER: worker.functionName } });
      worker.grantInvoke(caller);
      new lambda.Alias(s, 'CallerLive', { aliasName: 'live', version: caller.currentVersion });
    };
    const { bare, migrated } = bareAndMigrated(build);
    const callerVersion = (t: any) => idsOf(t, 'AWS::Lambda::Version').filter((id) => id.startsWith('CallerCurrentVersion'));
    expect(callerVersion(bare)).toHaveLength(1);
    expect(callerVersion(migrated)).toHaveLength(1);
    expect(callerVersion(migrated)).not.toEqual(callerVersion(bare));
  });
});
