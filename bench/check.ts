/**
 * Benchmark of `cdk-safe-lambda check` on a cloud assembly of FUNCTIONS functions (default 1000).
 *
 *   npx ts-node --transpile-only -P tsconfig.dev.json bench/check.ts
 *
 * Synthesizes (untimed) an app of plain functions, 25 per stack, each with an alias and bound to an
 * API Gateway method, an SNS subscription, an EventBridge rule and an SQS event source; every other
 * function is bound unqualified (so findings are produced and rendered), the rest through the alias.
 * Then times `check <assembly> --format json` in this process: the first (cold) run and the median
 * of ROUNDS (default 5) more. Options (environment): FUNCTIONS, ROUNDS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { run } from '../src/cli/main';

const FUNCTIONS = Number(process.env.FUNCTIONS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PER_STACK = 25;

function synthesize(outdir: string): { stacks: number; resources: number } {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  for (let s = 0, made = 0; made < FUNCTIONS; s++) {
    const stack = new Stack(app, `Bench${s}`, { env: { account: '123456789012', region: 'us-east-1' } });
    const api = new apigw.RestApi(stack, 'Api');
    const topic = new sns.Topic(stack, 'Topic');
    for (let i = 0; i < PER_STACK && made < FUNCTIONS; i++, made++) {
      const fn = new lambda.Function(stack, `Fn${i}`, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(`exports.handler = async () => '${s}-${i}';`),
      });
      const target: lambda.IFunction = made % 2 === 0 ? fn : fn.addAlias('live');
      api.root.addResource(`r${i}`).addMethod('GET', new apigw.LambdaIntegration(target));
      topic.addSubscription(new subs.LambdaSubscription(target));
      new events.Rule(stack, `Rule${i}`, { schedule: events.Schedule.cron({ minute: '0' }), targets: [new targets.LambdaFunction(target)] });
      target.addEventSource(new SqsEventSource(new sqs.Queue(stack, `Queue${i}`)));
    }
  }
  const assembly = app.synth();
  const resources = assembly.stacks.reduce((n, st) => n + Object.keys((st.template as any).Resources ?? {}).length, 0);
  return { stacks: assembly.stacks.length, resources };
}

function timeCheck(outdir: string): { ms: number; findings: number; code: number } {
  let output = '';
  const started = performance.now();
  const code = run(['check', outdir, '--format', 'json'], { out: (t) => { output = t; }, err: (t) => { throw new Error(t); } });
  const ms = performance.now() - started;
  return { ms, findings: JSON.parse(output).findings.length, code };
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-'));
const synthStarted = performance.now();
const { stacks, resources } = synthesize(outdir);
const synthMs = performance.now() - synthStarted;
const bytes = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).reduce((n, f) => n + fs.statSync(path.join(outdir, f)).size, 0);
const cold = timeCheck(outdir);
const warm = Array.from({ length: ROUNDS }, () => timeCheck(outdir).ms).sort((a, b) => a - b);
const median = warm[Math.floor(warm.length / 2)];
console.log(`| functions | stacks | resources | templates | findings | check, first run | check, median of ${ROUNDS} | synth (untimed in check) |`);
console.log('|---|---|---|---|---|---|---|---|');
console.log(`| ${FUNCTIONS} | ${stacks} | ${resources} | ${(bytes / 1024 / 1024).toFixed(1)} MB | ${cold.findings} | ${(cold.ms / 1000).toFixed(2)} s | ${(median / 1000).toFixed(2)} s | ${(synthMs / 1000).toFixed(1)} s |`);
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
fs.rmSync(outdir, { recursive: true, force: true });
