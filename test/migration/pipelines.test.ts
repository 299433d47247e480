import { App, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { GuardedFunctions, MakeFunctionsSafe, NoLatestInvocations } from '../../src';
import { plainFunctionProps } from '../fixtures/stacks';

// CDK Pipelines' addStage() synthesizes the Stage at once, and aws-cdk-lib refuses a tree changed after
// its synthesis: a MakeFunctionsSafe added later could only do nothing, silently (issue #10).

const ENV = { account: '123456789012', region: 'us-east-1' };

class ServiceStage extends Stage {
  constructor(scope: Construct, id: string, props: { migrateItself?: boolean } = {}) {
    super(scope, id, { env: ENV });
    const stack = new Stack(this, 'Service');
    const fn = new lambda.Function(stack, 'Worker', plainFunctionProps());
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn));
    if (props.migrateItself) {
      MakeFunctionsSafe.applyTo(this);
    }
  }
}

function pipelineOf(app: App): pipelines.CodePipeline {
  return new pipelines.CodePipeline(new Stack(app, 'Pipeline', { env: ENV }), 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('owner/repo', 'main', { connectionArn: 'arn:aws:codestar-connections:us-east-1:123456789012:connection/x' }),
      commands: ['npx cdk synth'],
    }),
  });
}

/** The template of the Stage's stack, as the pipeline deploys it. */
function serviceTemplate(app: App): any {
  return app.synth().getNestedAssembly('assembly-Prod').getStackByName('Prod-Service').template;
}

function aliases(template: any): number {
  return Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Lambda::Alias').length;
}

describe('MakeFunctionsSafe on CDK Pipelines stages', () => {
  test('GIVEN MakeFunctionsSafe.applyTo(this) in the Stage\'s constructor WHEN pipeline.addStage(new Stage(...)) THEN the deployed stage is safe', () => {
    // GIVEN a real CodePipeline whose stage is built inline in addStage(), migrating itself
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const pipeline = pipelineOf(app);
    pipeline.addStage(new ServiceStage(app, 'Prod', { migrateItself: true }));
    pipeline.buildPipeline();
    // WHEN the app synthesizes THEN the stage's template has the alias and the strict guard finds nothing
    expect(aliases(serviceTemplate(app))).toBe(1);
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).filter((f) => !f.suppressed)).toEqual([]);
  });

  test('GIVEN the Stage built first WHEN MakeFunctionsSafe.applyTo(app) runs before addStage() THEN the deployed stage is safe', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const pipeline = pipelineOf(app);
    const stage = new ServiceStage(app, 'Prod');
    MakeFunctionsSafe.applyTo(app);
    pipeline.addStage(stage);
    pipeline.buildPipeline();
    expect(aliases(serviceTemplate(app))).toBe(1);
  });

  test.each([
    ['after addStage()', false],
    ['after buildPipeline()', true],
  ])('GIVEN MakeFunctionsSafe.applyTo(app) called %s WHEN it runs THEN it refuses, naming the Stage and the fix', (_when, build) => {
    // GIVEN a stage the pipeline already synthesized
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const pipeline = pipelineOf(app);
    pipeline.addStage(new ServiceStage(app, 'Prod'));
    if (build) {
      pipeline.buildPipeline();
    }
    // WHEN / THEN
    expect(() => MakeFunctionsSafe.applyTo(app)).toThrow(
      /MakeFunctionsSafe\.applyTo\(<app>\): the Stage 'Prod' was already synthesized .*Fix: make the Stage safe before it is added: call MakeFunctionsSafe\.applyTo\(this\) at the end of the Stage's constructor/);
  });

  test('GIVEN the synthesized Stage excluded WHEN MakeFunctionsSafe.applyTo(app) runs THEN the rest of the app is migrated and the Stage left as it is', () => {
    // GIVEN a synthesized pipeline stage and a function of the app's own
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const pipeline = pipelineOf(app);
    const stage = new ServiceStage(app, 'Prod');
    pipeline.addStage(stage);
    pipeline.buildPipeline();
    const tools = new Stack(app, 'Tools', { env: ENV });
    const fn = new lambda.Function(tools, 'Fn', plainFunctionProps());
    new sns.Topic(tools, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn));
    // WHEN it is applied with the stage excluded
    MakeFunctionsSafe.applyTo(app, { exclude: [stage] });
    // THEN the app's own function is safe, the stage keeps its function unchanged
    const assembly = app.synth();
    expect(aliases(assembly.getStackByName('Tools').template)).toBe(1);
    expect(aliases(serviceTemplate(app))).toBe(0);
  });
});
