import { App, Aspects, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { ENV, FUNCTION_PROPS, subscribe } from './guard-test-app';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';

/*
 * Issue #16 §4, issue #18 §6: a function is aws-cdk-lib's own by what created it, not by the scope it
 * sits in. aws-cdk-lib creates its handlers with its own construct as their scope; a function a user
 * creates inside a scope aws-cdk-lib hands them (CDK Pipelines' `options.scope`, a plain construct of
 * theirs below an aws-cdk-lib construct) is the user's, guarded under GuardedFunctions.ALL.
 */

const CONNECTION = 'arn:aws:codestar-connections:us-east-1:123456789012:connection/x';

/** A custom CDK Pipelines step that creates a function in the scope CDK Pipelines hands it and invokes it unqualified. */
class InvokeStep extends pipelines.Step implements pipelines.ICodePipelineActionFactory {
  constructor(private readonly inConstructOfItsOwn: boolean) {
    super('Invoke');
  }

  public produceAction(stage: codepipeline.IStage, options: pipelines.ProduceActionOptions): pipelines.CodePipelineActionFactoryResult {
    const scope = this.inConstructOfItsOwn ? new (class Checks extends Construct {})(options.scope, 'Checks') : options.scope;
    const fn = new lambda.Function(scope, 'Smoke', FUNCTION_PROPS);
    stage.addAction(new actions.LambdaInvokeAction({ actionName: options.actionName, runOrder: options.runOrder, lambda: fn }));
    return { runOrdersConsumed: 1 };
  }
}

function pipelineApp(inConstructOfItsOwn: boolean): App {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Pipeline', { env: ENV });
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', { input: pipelines.CodePipelineSource.connection('o/r', 'main', { connectionArn: CONNECTION }), commands: ['x'] }),
  });
  const stage = new Stage(app, 'Prod', { env: ENV });
  new Stack(stage, 'Service');
  pipeline.addStage(stage, { post: [new InvokeStep(inConstructOfItsOwn)] });
  pipeline.buildPipeline();
  return app;
}

const strict = { functions: GuardedFunctions.ALL };

describe('functions a user creates inside a scope aws-cdk-lib hands them are the user\'s', () => {
  test.each([
    ['directly in CDK Pipelines\' options.scope', false],
    ['in a construct of its own inside options.scope', true],
  ])('a custom pipeline step\'s function %s, invoked unqualified by its action, is reported under GuardedFunctions.ALL', (_name, own) => {
    // GIVEN a custom step whose function sits below aws-cdk-lib's CodePipeline and Pipeline constructs
    const app = pipelineApp(own as boolean);
    // WHEN checked strictly THEN the action's FunctionName is a binding of the user's function
    const findings = NoLatestInvocations.findings(app, strict);
    expect(findings.map((f) => [f.ruleId, f.propertyPath.replace(/\[\d+\]/g, '[i]'), f.functionPath.split('/').pop()])).toEqual([
      ['SafeLambda-LatestBinding', 'Properties.Stages[i].Actions[i].Configuration.FunctionName', 'Smoke'],
    ]);
  });

  test('a function the user creates in a plain construct of theirs below a RestApi is reported', () => {
    // GIVEN a user's grouping construct inside an aws-cdk-lib construct
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const api = new apigateway.RestApi(stack, 'Api');
    const fn = new lambda.Function(new Construct(api, 'Handlers'), 'Fn', FUNCTION_PROPS);
    api.root.addMethod('GET', new apigateway.LambdaIntegration(fn));
    // THEN the method binds the user's function
    expect(NoLatestInvocations.findings(app, strict).map((f) => f.functionPath)).toEqual(['Stack/Api/Handlers/Fn']);
  });
});

/** An AsgCapacityProvider (draining by hook) over the user's own AutoScalingGroup, wrapped twice by 2.278's property injection. */
function capacityProviderApp(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
  const asg = new autoscaling.AutoScalingGroup(stack, 'Asg', {
    vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ecs.EcsOptimizedImage.amazonLinux2(),
  });
  new ecs.Cluster(stack, 'Cluster', { vpc }).addAsgCapacityProvider(new ecs.AsgCapacityProvider(stack, 'Capacity', {
    autoScalingGroup: asg, enableManagedDraining: false, enableManagedTerminationProtection: false,
  }));
  return { app, stack };
}

describe('a function the user creates directly in an aws-cdk-lib construct', () => {
  test('is the user\'s where aws-cdk-lib records who created it (2.278 by default), aws-cdk-lib\'s by its scope otherwise', () => {
    // GIVEN `new lambda.Function(restApi, ...)`: the scope is aws-cdk-lib's class, the caller is the user
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const api = new apigateway.RestApi(stack, 'Api');
    const fn = new lambda.Function(api, 'Handler', FUNCTION_PROPS);
    api.root.addMethod('GET', new apigateway.LambdaIntegration(fn));
    const recorded = ((fn.node.defaultChild as any).creationStack ?? [])[0]?.startsWith('...') === true;
    // THEN with a creation stack it is guarded; without one the scope decides (the limit the README states)
    expect(NoLatestInvocations.findings(app, strict).map((f) => f.functionPath)).toEqual(recorded ? ['Stack/Api/Handler'] : []);
  });
});

describe('aws-cdk-lib\'s own handlers, on every aws-cdk-lib', () => {
  test('the ECS drain hook of an AsgCapacityProvider over the user\'s own AutoScalingGroup is exempt', () => {
    // GIVEN the drain hook aws-cdk-lib creates in the user's ASG, under a strict guard
    const { app, stack } = capacityProviderApp();
    Aspects.of(app).add(new NoLatestInvocations(strict));
    // WHEN checked strictly THEN it (bound unqualified by the lifecycle hook's topic) is not reported
    expect(stack.node.findAll().filter((c) => c instanceof lambda.Function).map((c) => c.node.path)).toEqual(['Stack/Asg/DrainECSHook/Function']);
    expect(NoLatestInvocations.findings(app, strict)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('the one-line migration leaves the drain hook alone (no alias: it is aws-cdk-lib\'s)', () => {
    // GIVEN the same app, migrated
    const { app } = capacityProviderApp();
    MakeFunctionsSafe.applyTo(app);
    // THEN aws-cdk-lib's handler got no alias
    const resources = Object.values<any>(app.synth().getStackByName('Stack').template.Resources);
    expect(resources.filter((r) => r.Type === 'AWS::Lambda::Alias')).toEqual([]);
    expect(resources.filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(1);
  });

  test('a user function bound beside the drain hook is still reported', () => {
    // GIVEN a cluster with capacity (aws-cdk-lib's drain hook) and a function of the user's
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }) })
      .addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.micro') });
    subscribe(stack, new lambda.Function(stack, 'Mine', FUNCTION_PROPS).functionArn);
    // THEN only the user's is reported
    expect(NoLatestInvocations.findings(app, strict).map((f) => f.functionPath)).toEqual(['Stack/Mine']);
  });
});
