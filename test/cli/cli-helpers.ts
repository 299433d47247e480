import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { run } from '../../src/cli/main';

/** What one run of the command printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `cdk-safe-lambda <args>` in-process (the bin shim only calls `run`). */
export function cli(...args: string[]): CliResult {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs the command and parses its JSON output. */
export function cliJson(...args: string[]): { code: number; findings: any[] } {
  const result = cli(...args, '--format', 'json');
  if (result.code === 2) {
    throw new Error(result.err);
  }
  return { code: result.code, findings: JSON.parse(result.out).findings };
}

const TEMP_DIRS: string[] = [];

/** A new temporary directory, removed once the test file has run. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-safe-lambda-cli-'));
  TEMP_DIRS.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of TEMP_DIRS.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Writes `content` (an object becomes JSON) to `name` in a new temporary directory; returns the path. */
export function writeTemplate(name: string, content: unknown, dir = tempDir()): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, undefined, 1));
  return file;
}

/** Translates a SAM template with the real `samtranslator` (the Python package cfn-lint and `sam deploy` use). */
export function samTranslate(template: unknown): any {
  const script = path.join(__dirname, '..', 'fixtures', 'templates', 'sam-translate.py');
  return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(template), encoding: 'utf8' }));
}

/** Synthesizes `app` into a new directory (no asset bundling); returns the cloud assembly's directory. */
export function synthAssembly(build: (app: App) => void, after?: (app: App) => void): string {
  const outdir = tempDir();
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  build(app);
  app.synth();
  after?.(app);
  return outdir;
}
