/**
 * What `MakeFunctionsSafe` costs at synth time: apps of FUNCTIONS plain functions, each bound to an
 * API Gateway method, an SQS event source, an SNS subscription and an EventBridge rule, synthesized
 * bare and with the aspect, in fresh processes, alternating which goes first. Prints medians and the
 * median per-round ratio (aspect / bare).
 *
 *   npx ts-node --transpile-only -P tsconfig.dev.json bench/migration.ts      # ROUNDS=3 SIZES=100,1000
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
import { MakeFunctionsSafe, SafeFunction } from '../src';

const PER_STACK = 25;

/**
 * Other checkouts whose MakeFunctionsSafe is measured in the same rounds (`VARIANTS=before:/tmp/a,after:/tmp/b`,
 * each a directory holding a `src/` beside a `node_modules` link to this one's), to compare a change side by side.
 */
const VARIANTS = (process.env.VARIANTS ?? '').split(',').filter(Boolean).map((v) => {
  const [name, dir] = v.split(':');
  return { name, dir };
});

/**
 * `bare`: plain functions bound to $LATEST; `aspect`: the same with MakeFunctionsSafe; `native`: written with
 * SafeFunction; `aspect@<dir>`: the aspect of another checkout (see VARIANTS).
 */
function sample(functions: number, mode: string): { synthMs: number; resources: number } {
  const variant = mode.startsWith('aspect@') ? mode.slice('aspect@'.length) : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const aspect: typeof MakeFunctionsSafe = variant ? require(`${variant}/src`).MakeFunctionsSafe : MakeFunctionsSafe;
  const outdir = `bench/out/migration.${process.pid}`;
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  for (let s = 0, made = 0; made < functions; s++) {
    const stack = new Stack(app, `Bench${s}`, { env: { account: '123456789012', region: 'us-east-1' } });
    const api = new apigw.RestApi(stack, 'Api');
    const topic = new sns.Topic(stack, 'Topic');
    for (let i = 0; i < PER_STACK && made < functions; i++, made++) {
      const props: lambda.FunctionProps = {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(`exports.handler = async () => '${s}-${i}';`),
      };
      const fn: lambda.IFunction = mode === 'native' ? new SafeFunction(stack, `Fn${i}`, props) : new lambda.Function(stack, `Fn${i}`, props);
      api.root.addResource(`r${i}`).addMethod('GET', new apigw.LambdaIntegration(fn));
      fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, `Q${i}`, { visibilityTimeout: Duration.seconds(60) })));
      topic.addSubscription(new subs.LambdaSubscription(fn));
      new events.Rule(stack, `Rule${i}`, { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(fn)] });
    }
  }
  if (mode === 'aspect' || variant) {
    aspect.applyTo(app);
  }
  const t0 = performance.now();
  const assembly = app.synth();
  const synthMs = performance.now() - t0;
  const resources = assembly.stacks.reduce((n, st) => n + Object.keys(st.template.Resources ?? {}).length, 0);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { synthMs, resources };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  if (process.env.SAMPLE) {
    const [functions, mode] = process.env.SAMPLE.split(':');
    process.stdout.write(JSON.stringify(sample(Number(functions), mode)));
    return;
  }
  const rounds = Number(process.env.ROUNDS ?? 3);
  const sizes = (process.env.SIZES ?? '100,1000').split(',').map(Number);
  const run = (functions: number, mode: string) => JSON.parse(execFileSync(process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-P', 'tsconfig.dev.json', __filename],
    { env: { ...process.env, SAMPLE: `${functions}:${mode}` }, maxBuffer: 1_048_576 }).toString());
  const lines = ['| functions | bare synth (ms) | SafeFunction-native (ms) | with MakeFunctionsSafe (ms) | aspect / bare | aspect / native | resources bare → migrated |'
    + VARIANTS.map((v) => ` ${v.name} / bare |`).join(''), `|---:|---:|---:|---:|---:|---:|---|${'---:|'.repeat(VARIANTS.length)}`];
  for (const n of sizes) {
    const [bare, native, withAspect, ratios, nativeRatios]: number[][] = [[], [], [], [], []];
    const variantRatios: number[][] = VARIANTS.map(() => []);
    let res = '';
    for (let r = 0; r < rounds; r++) {
      const modes = ['bare', 'native', 'aspect', ...VARIANTS.map((v) => `aspect@${v.dir}`)];
      const order = r % 2 ? [...modes].reverse() : modes;
      const out: Record<string, any> = {};
      for (const mode of order) out[mode] = run(n, mode);
      bare.push(out.bare.synthMs); native.push(out.native.synthMs); withAspect.push(out.aspect.synthMs);
      ratios.push(out.aspect.synthMs / out.bare.synthMs); nativeRatios.push(out.aspect.synthMs / out.native.synthMs);
      VARIANTS.forEach((v, i) => variantRatios[i].push(out[`aspect@${v.dir}`].synthMs / out.bare.synthMs));
      res = `${out.bare.resources} → ${out.aspect.resources}`;
    }
    lines.push(`| ${n} | ${median(bare).toFixed(0)} | ${median(native).toFixed(0)} | ${median(withAspect).toFixed(0)} | ${median(ratios).toFixed(2)}× | ${median(nativeRatios).toFixed(2)}× | ${res} |`
      + variantRatios.map((v) => ` ${median(v).toFixed(2)}× |`).join(''));
  }
  const [one, five, fifteen] = os.loadavg().map((l) => l.toFixed(1));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lines.push('', `aws-cdk-lib ${require('aws-cdk-lib/package.json').version}, ${os.cpus().length} cores, load average ${one} ${five} ${fifteen} at the end`);
  console.log(lines.join('\n'));
}

main();
