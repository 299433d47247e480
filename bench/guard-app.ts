/**
 * One benchmark sample: builds an app of FUNCTIONS fully wired SafeFunctions, synthesizes it once
 * and prints one JSON line. Run by bench/guard.ts in a fresh process per sample, so that no JIT
 * warm-up, cache or heap growth leaks from one sample into the next.
 *
 * Environment: FUNCTIONS (count), GUARD (`on` | `off`), OUTDIR (cloud assembly directory).
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SafeFunction } from '../src';

/** ~15 resources per function: 25 of them keep a stack under CloudFormation's 500-resource limit. */
export const FUNCTIONS_PER_STACK = 25;

export interface Sample {
  readonly functions: number;
  readonly guard: 'on' | 'off';
  readonly stacks: number;
  readonly resources: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** CPU time (user + system, all threads) of `app.synth()`: less sensitive than wall time to other load. */
  readonly synthCpuMs: number;
  readonly maxRssKb: number;
}

function buildApp(total: number, guard: boolean, outdir: string): App {
  const app = new App({ outdir });
  const stacks = Math.ceil(total / FUNCTIONS_PER_STACK);
  for (let s = 0, made = 0; s < stacks; s++) {
    const stack = new Stack(app, `Bench${s}`, { env: { account: '123456789012', region: 'us-east-1' } });
    const api = new apigw.RestApi(stack, 'Api');
    const topic = new sns.Topic(stack, 'Topic');
    for (let i = 0; i < FUNCTIONS_PER_STACK && made < total; i++, made++) {
      const fn = new SafeFunction(stack, `Fn${i}`, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(`exports.handler = async () => ({ statusCode: 200, body: '${s}-${i}' });`),
        timeout: Duration.seconds(10),
        guard,
      });
      api.root.addResource(`r${i}`).addMethod('GET', new apigw.LambdaIntegration(fn));
      fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, `Q${i}`, { visibilityTimeout: Duration.seconds(60) })));
      topic.addSubscription(new subs.LambdaSubscription(fn));
      new events.Rule(stack, `Rule${i}`, {
        schedule: events.Schedule.rate(Duration.minutes(5)),
        targets: [new targets.LambdaFunction(fn)],
      });
    }
  }
  return app;
}

function main(): void {
  const functions = Number(process.env.FUNCTIONS ?? 100);
  const guard = process.env.GUARD === 'on' ? 'on' : 'off';
  const outdir = process.env.OUTDIR ?? `bench/out/cdk.out.${functions}.${guard}`;
  fs.rmSync(outdir, { recursive: true, force: true });

  const t0 = performance.now();
  const app = buildApp(functions, guard === 'on', outdir);
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const assembly = app.synth();
  const t2 = performance.now();
  const cpuUsed = process.cpuUsage(cpu);

  const sample: Sample = {
    functions,
    guard,
    stacks: assembly.stacks.length,
    resources: assembly.stacks.reduce((n, st) => n + Object.keys(st.template.Resources ?? {}).length, 0),
    buildMs: t1 - t0,
    synthMs: t2 - t1,
    synthCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(JSON.stringify(sample) + '\n');
}

if (require.main === module) {
  main();
}
