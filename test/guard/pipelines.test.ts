import { App, Aspects, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { ENV, FUNCTION_PROPS, safeFunction, subscribe } from './guard-test-app';
import { FailureMode, GuardedFunctions, NoLatestInvocations } from '../../src';

/**
 * §2 of issue 9: a guard reaches every Stage however it is added. CDK Pipelines' `addStage()`
 * synthesizes the Stage at once, so a guard added afterwards (to the App, as the rollout section
 * says, or to the Stage itself) could never visit it.
 */
class AppStage extends Stage {
  constructor(scope: Construct, id: string, unqualified: boolean) {
    super(scope, id, { env: ENV });
    const stack = new Stack(this, 'Service');
    const plain = new lambda.Function(stack, 'Plain', FUNCTION_PROPS);
    const safe = safeFunction(stack, 'Safe');
    subscribe(stack, unqualified ? plain.functionArn : plain.addAlias('live').functionArn, 'PlainSub');
    subscribe(stack, safe.functionArn, 'SafeSub');
  }
}

function pipelineApp(unqualified: boolean): { app: App; stage: AppStage } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const pipelineStack = new Stack(app, 'Pipeline', { env: ENV });
  const pipeline = new pipelines.CodePipeline(pipelineStack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('owner/repo', 'main', { connectionArn: 'arn:aws:codestar-connections:us-east-1:123456789012:connection/x' }),
      commands: ['npx cdk synth'],
    }),
  });
  const stage = new AppStage(app, 'Prod', unqualified);
  pipeline.addStage(stage);
  pipeline.buildPipeline();
  return { app, stage };
}

const FINDING = /\[Prod\/Service\/PlainSub\] \[SafeLambda-LatestBinding\] Prod\/Service\/PlainSub: [\s\S]*Prod\/Service\/PlainSub binds Properties\.Endpoint [\s\S]*Stage 'Prod'/;

describe('CDK Pipelines stages', () => {
  test.each([
    ['to the App after buildPipeline()', (app: App, _stage: Stage, guard: NoLatestInvocations) => Aspects.of(app).add(guard)],
    ['to the Stage after addStage()', (_app: App, stage: Stage, guard: NoLatestInvocations) => Aspects.of(stage).add(guard)],
  ])('a strict guard added %s fails synthesis on the Stage\'s unqualified binding', (_how, add) => {
    // GIVEN a real CodePipeline whose stage binds a plain function unqualified
    const { app, stage } = pipelineApp(true);
    // WHEN a strict guard is added after the stage was synthesized
    add(app, stage, new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    // THEN synthesis fails naming the binding and the Stage, as findings() reports it
    expect(() => app.synth()).toThrow(FINDING);
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL }).map((f) => `${f.ruleId} ${f.resourcePath}`))
      .toEqual(['SafeLambda-LatestBinding Prod/Service/PlainSub']);
  });

  test('a strict guard on the App passes a Stage whose bindings are all qualified', () => {
    // GIVEN the same pipeline, every function bound through an alias
    const { app } = pipelineApp(false);
    // WHEN a strict guard is added to the App
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL }));
    // THEN synthesis succeeds and findings() agrees
    expect(() => app.synth()).not.toThrow();
    expect(NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL })).toEqual([]);
  });

  test('a guard in WARNING mode on the App reports the Stage\'s binding as a warning, without failing synthesis', () => {
    // GIVEN the pipeline with an unqualified binding in its stage
    const { app } = pipelineApp(true);
    // WHEN a strict guard in WARNING mode is added to the App
    Aspects.of(app).add(new NoLatestInvocations({ functions: GuardedFunctions.ALL, failureMode: FailureMode.WARNING }));
    // THEN synthesis succeeds, with the finding as a warning of the App
    expect(() => app.synth()).not.toThrow();
    const warnings = app.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.some((w) => /SafeLambda-LatestBinding\] Prod\/Service\/PlainSub/.test(w))).toBe(true);
  });
});
