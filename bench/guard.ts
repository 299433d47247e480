/**
 * Benchmark of the $LATEST guard: how much it adds to `app.synth()` and to peak memory.
 *
 *   npx ts-node --transpile-only -P tsconfig.dev.json bench/guard.ts
 *
 * Compiles bench/guard-app.ts and src/ with esbuild into bench/out/js (file by file, so that CPU
 * profiles name the engine's files), then runs every (size, guard on|off) sample in its own node
 * process, alternating on and off, for ROUNDS rounds, and reports medians. See bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import type { Sample } from './guard-app';
import { summarizeProfile } from './profile';

const ROOT = path.resolve(__dirname, '..');
/** Per run, so that two runs at once (on a shared machine) do not delete each other's files. */
const OUT = path.join(ROOT, 'bench', 'out', `run-${process.pid}`);
const RESULTS = path.join(ROOT, 'bench', 'results', 'guard.md');
const PROFILE_RESULTS = path.join(ROOT, 'bench', 'results', 'guard-profile.md');
const SIZES = (process.env.SIZES ?? '100,500,1000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** The issue's target: the guard adds at most 5 % to app.synth() at the largest size. */
const TARGET_RATIO = 1.05;

type Mode = Sample['guard'];
const MODES: readonly Mode[] = ['off', 'on'];

interface Measured extends Sample {
  readonly round: number;
  readonly load1: number;
}

/** Transpiles each file on its own (no bundle) so stack frames keep their source file names. */
function compile(): string {
  const outdir = path.join(OUT, 'js');
  fs.rmSync(outdir, { recursive: true, force: true });
  const sources = fs.readdirSync(path.join(ROOT, 'src'), { recursive: true })
    .map(String)
    .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map(f => path.join(ROOT, 'src', f));
  buildSync({
    entryPoints: [...sources, path.join(ROOT, 'bench', 'guard-app.ts')],
    outdir,
    outbase: ROOT,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return path.join(outdir, 'bench', 'guard-app.js');
}

function runSample(app: string, functions: number, guard: Mode, extraNodeArgs: string[] = []): Sample {
  const child = spawnSync(process.execPath, [...extraNodeArgs, app], {
    cwd: ROOT,
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FUNCTIONS: String(functions), GUARD: guard, OUTDIR: path.join(OUT, `cdk.out.${functions}.${guard}`) },
  });
  if (child.status !== 0) {
    throw new Error(`sample ${functions}/${guard} failed (exit ${child.status}):\n${child.stderr}`);
  }
  const line = child.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Sample;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x: number, digits = 0): string => x.toFixed(digits);

interface Row {
  readonly functions: number;
  readonly stacks: number;
  readonly resources: number;
  readonly synthOff: number;
  readonly synthOn: number;
  readonly spreadOff: string;
  readonly spreadOn: string;
  readonly ratio: number;
  readonly pairedRatio: number;
  readonly cpuRatio: number;
  readonly costPerFnMs: number;
  readonly synthPerFnMs: number;
  readonly rssOffMb: number;
  readonly rssOnMb: number;
}

function summarize(samples: Measured[]): Row[] {
  return SIZES.map(functions => {
    const of = (mode: Mode) => samples.filter(s => s.functions === functions && s.guard === mode);
    const off = of('off');
    const on = of('on');
    const synthOff = median(off.map(s => s.synthMs));
    const synthOn = median(on.map(s => s.synthMs));
    // The two samples of one round ran back to back, so their ratio cancels slow drifts in load.
    const paired = on.map(s => s.synthMs / off.find(o => o.round === s.round)!.synthMs);
    const cpu = (xs: Measured[]) => median(xs.map(s => s.synthCpuMs));
    const spread = (xs: Measured[]) => `${fmt(Math.min(...xs.map(s => s.synthMs)))}–${fmt(Math.max(...xs.map(s => s.synthMs)))}`;
    return {
      functions,
      stacks: on[0].stacks,
      resources: on[0].resources,
      synthOff,
      synthOn,
      spreadOff: spread(off),
      spreadOn: spread(on),
      ratio: synthOn / synthOff,
      pairedRatio: median(paired),
      cpuRatio: cpu(on) / cpu(off),
      costPerFnMs: (synthOn - synthOff) / functions,
      synthPerFnMs: synthOff / functions,
      rssOffMb: median(off.map(s => s.maxRssKb)) / 1024,
      rssOnMb: median(on.map(s => s.maxRssKb)) / 1024,
    };
  });
}

function render(rows: Row[], samples: Measured[], wallS: number): string {
  const loads = samples.map(s => s.load1);
  const largest = rows[rows.length - 1];
  const pct = (r: number) => `${r >= 1 ? '+' : ''}${fmt((r - 1) * 100, 1)} %`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · node ${process.version} · `
      + `aws-cdk-lib ${JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf-8')).version} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} · `
      + `${ROUNDS} rounds, medians · 1-min load average during the run ${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)} `
      + `(median ${fmt(median(loads), 2)}; the machine is shared) · ${fmt(wallS)} s in all.`,
    '',
    '| functions | stacks | CFN resources | `app.synth()` guard off | guard on | on/off | on/off (paired by round) | on/off (CPU time) | guard cost per function | synth per function (off) | peak RSS off | peak RSS on | on/off |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(r => `| ${r.functions} | ${r.stacks} | ${r.resources} | ${fmt(r.synthOff)} ms (${r.spreadOff}) | ${fmt(r.synthOn)} ms (${r.spreadOn}) `
      + `| ${pct(r.ratio)} | ${pct(r.pairedRatio)} | ${pct(r.cpuRatio)} | ${fmt(r.costPerFnMs, 2)} ms | ${fmt(r.synthPerFnMs, 2)} ms `
      + `| ${fmt(r.rssOffMb)} MiB | ${fmt(r.rssOnMb)} MiB | ${pct(r.rssOnMb / r.rssOffMb)} |`),
    '',
    `Target (guard adds ≤ ${fmt((TARGET_RATIO - 1) * 100)} % to \`app.synth()\` at ${largest.functions} functions): `
      + `${largest.ratio <= TARGET_RATIO ? 'met' : 'MISSED'} (${pct(largest.ratio)}, paired ${pct(largest.pairedRatio)}, `
      + `CPU time ${pct(largest.cpuRatio)}).`,
    `Linearity: guard cost per function ${rows.map(r => `${fmt(r.costPerFnMs, 2)} ms at ${r.functions}`).join(', ')}; `
      + `synth per function without the guard ${rows.map(r => `${fmt(r.synthPerFnMs, 2)} ms`).join(', ')}.`,
  ];
  return lines.join('\n') + '\n';
}

/**
 * One guarded sample per size under the V8 profiler: the guard's sampled time as a share of
 * `app.synth()` (everything it does runs inside it), which other load on the machine barely moves,
 * and where its time goes at the largest size.
 */
function profile(app: string): void {
  const rows = SIZES.map(functions => {
    const dir = path.join(OUT, `prof-${functions}`);
    const sample = runSample(app, functions, 'on', ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const summary = summarizeProfile(path.join(dir, fs.readdirSync(dir).find(f => f.endsWith('.cpuprofile'))!));
    return { functions, synthMs: sample.synthMs, ...summary };
  });
  const table = [
    `Profiled ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (\`node --cpu-prof\`, one guarded sample per size; `
      + `1-min load average ${fmt(os.loadavg()[0], 2)}).`,
    '',
    '| functions | `app.synth()` (profiled) | of which the guard | guard overhead | guard per function |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(r => `| ${r.functions} | ${fmt(r.synthMs)} ms | ${fmt(r.guardMs)} ms | +${fmt(100 * r.guardMs / (r.synthMs - r.guardMs), 1)} % `
      + `| ${fmt(r.guardMs / r.functions, 2)} ms |`),
    '',
  ].join('\n');
  fs.mkdirSync(path.dirname(PROFILE_RESULTS), { recursive: true });
  fs.writeFileSync(PROFILE_RESULTS, table);
  process.stdout.write(`${table}\nAt ${rows[rows.length - 1].functions} functions, ${rows[rows.length - 1].heaviest}`
    + `(profiles kept in ${path.relative(ROOT, OUT)})\n`);
}

function main(): void {
  const started = performance.now();
  const app = compile();
  if (process.argv.includes('--profile')) {
    profile(app);
    return;
  }

  const samples: Measured[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const functions of SIZES) {
      // Alternate which mode goes first, so neither always runs on a warmer (or busier) machine.
      const order = round % 2 === 0 ? MODES : [...MODES].reverse();
      for (const guard of order) {
        const load1 = os.loadavg()[0];
        const sample = runSample(app, functions, guard);
        samples.push({ ...sample, round, load1 });
        process.stderr.write(`round ${round + 1}/${ROUNDS} ${functions} guard ${guard}: synth ${fmt(sample.synthMs)} ms, `
          + `rss ${fmt(sample.maxRssKb / 1024)} MiB, load ${fmt(load1, 2)}\n`);
      }
    }
  }
  const table = render(summarize(samples), samples, (performance.now() - started) / 1000);
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, table);
  process.stdout.write(table);
  fs.rmSync(OUT, { recursive: true, force: true });
}

main();
