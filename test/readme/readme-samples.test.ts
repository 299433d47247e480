import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ts from 'typescript';
import * as YAML from 'yaml';

// The README's sample outputs stay true (issue #19 §5): each one that can be generated here is
// generated from the README's own code and compared. A sample is the real output shortened at lines
// of `…`: every run of lines between them must appear in the real output, consecutively and in order.

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

function section(name: string): string {
  const start = README.indexOf(`<!-- ${name}:start -->`);
  const end = README.indexOf(`<!-- ${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`README.md has no <!-- ${name}:start/end --> markers`);
  return README.slice(start, end);
}

function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]);
}

/** The runs of lines of a sample between its `…` lines. */
function runs(sample: string): string[][] {
  const result: string[][] = [[]];
  for (const line of sample.split('\n')) {
    if (line.trim() === '…') result.push([]);
    else result[result.length - 1].push(line);
  }
  return result.filter((r) => r.length > 0);
}

/**
 * Where the runs of `sample` are found in `output`, in order; throws naming the first run not found.
 * A sample that does not start (end) with `…` must start (end) where the output does.
 */
function expectExcerpt(sample: string, output: string[]): void {
  let from = 0;
  const found: number[] = [];
  for (const run of runs(sample)) {
    let at = -1;
    for (let i = from; i + run.length <= output.length && at < 0; i++) {
      if (run.every((line, j) => output[i + j] === line)) at = i;
    }
    if (at < 0) throw new Error(`README sample lines not found (in this order) in the real output:\n${run.join('\n')}\n\nreal output:\n${output.join('\n')}`);
    found.push(at);
    from = at + run.length;
  }
  const lines = sample.split('\n');
  if (lines[0].trim() !== '…') expect(found[0]).toBe(0);
  if (lines[lines.length - 1].trim() !== '…') expect(from).toBe(output.length);
}

/**
 * Runs one of the README's TypeScript examples (as jsii-rosetta compiles it: the body of a Stack's
 * constructor, `this` being the Stack), with `cdk-safe-lambda` meaning this repository's src/.
 */
function runExample(source: string, self: unknown, epilogue = ''): any {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string) => (id === 'cdk-safe-lambda' ? require('../../src') : require(id));
  return new Function('require', 'exports', 'yourStacks', `${js}\n${epilogue}`).call(self, load, {}, yourStacks);
}

/** "Your stacks, unchanged": a plain lambda.Function reading an SQS queue, as in the README's sample. */
function yourStacks(app: App): void {
  const stack = new Stack(app, 'MyAppStack');
  const worker = new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
  worker.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Orders')));
}

/** The user start's TypeScript example that contains `marker`. */
function userStartExample(marker: string): string {
  const found = blocks(section('user-start'), 'ts').filter((b) => b.includes(marker));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The user start's text sample that contains `marker`. */
function userStartSample(marker: string): string {
  const found = blocks(section('user-start'), 'text').filter((b) => b.includes(marker));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('the README\'s sample outputs are the real ones', () => {
  test('GIVEN the quick start\'s sample of `npm run demo` WHEN the demo runs THEN the sample is an excerpt of its output, in order', () => {
    // GIVEN
    const sample = blocks(section('quickstart'), 'text');
    expect(sample).toHaveLength(1);
    const printed: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '));
    });
    const exitCode = process.exitCode;

    // WHEN
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require('../../examples/demo'));
    } finally {
      log.mockRestore();
      process.exitCode = exitCode;
    }

    // THEN
    expectExcerpt(sample[0], printed.join('\n').split('\n'));
  });

  test('GIVEN the README\'s samples of a failed synthesis WHEN aws-cdk-lib fails one THEN each sample opens as the newest aws-cdk-lib prints it, and this one\'s opening is in the README', () => {
    // GIVEN every sample line that opens the list of validation errors
    const openings = blocks(README, 'text').flatMap((b) => b.split('\n')).filter((l) => l.includes('Validation failed with the following errors:'));
    expect(openings.length).toBeGreaterThanOrEqual(1);
    const app = new App();
    new Stack(app, 'MyAppStack').node.addValidation({ validate: () => ['a finding'] });

    // WHEN
    let error: Error | undefined;
    try {
      app.synth();
    } catch (e) {
      error = e as Error;
    }

    // THEN (aws-cdk-lib 2.278 opens with its error code, older releases with the class name)
    for (const line of openings) expect(line).toMatch(/^\[?«ValidationFailedWithErrors» Validation failed with the following errors:$/);
    expect(README).toContain(error!.stack!.split('\n')[0]);
  });

  describe('the user start', () => {
    let cwd: string;
    beforeAll(() => {
      // The SafeFunction example reads its code from ./lambda, as in a `cdk init` app.
      cwd = process.cwd();
      const app = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-app-'));
      fs.mkdirSync(path.join(app, 'lambda'));
      fs.writeFileSync(path.join(app, 'lambda', 'index.js'), 'exports.handler = async () => ({});\n');
      process.chdir(app);
    });
    afterAll(() => process.chdir(cwd));

    test('GIVEN the one line on an existing app WHEN synthesized THEN `cdk synth`\'s sample info line and template lines are real', () => {
      // GIVEN the README's example, with "your stacks" in place of its comment
      const example = userStartExample('MakeFunctionsSafe.applyTo(app)');
      const withStacks = example.replace(/^\/\/ … your stacks, unchanged …$/m, 'yourStacks(app);');
      expect(withStacks).not.toBe(example);
      const sample = userStartSample('INFO MakeFunctionsSafe');
      const infos = runs(sample).filter((r) => r[0].startsWith('INFO '));
      const templateRuns = runs(sample).filter((r) => !r[0].startsWith('INFO '));
      expect(infos.length).toBeGreaterThanOrEqual(1);

      // WHEN
      const app: App = runExample(withStacks, undefined, 'return app;');
      const stack = app.synth().getStackByName('MyAppStack');

      // THEN each INFO line (`INFO <message> (Construct Annotations)` then the construct path) is an annotation
      for (const info of infos) {
        const [, message] = /^INFO (.*) \(Construct Annotations\)$/.exec(info[0]) ?? [];
        expect(stack.messages).toContainEqual(expect.objectContaining({ level: 'info', id: `/${info[1].trim()}`, entry: expect.objectContaining({ data: message }) }));
      }
      // AND the template lines are those of `cdk synth`'s YAML
      const yaml = YAML.stringify(stack.template, { version: '1.1', lineWidth: 0 }).split('\n');
      expectExcerpt(['…', ...templateRuns.map((r) => r.join('\n')), '…'].join('\n…\n'), yaml);
    });

    test('GIVEN the SafeFunction example WHEN synthesized THEN its event source binds the live alias', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'MyAppStack');

      // WHEN
      runExample(userStartExample('new SafeFunction'), stack);
      const template = app.synth().getStackByName('MyAppStack').template;

      // THEN
      const mappings = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Lambda::EventSourceMapping');
      expect(mappings).toHaveLength(1);
      expect(JSON.stringify(mappings)).toContain(':live');
    });

    test('GIVEN the SafeFunction example with `worker.function.addEventSource` WHEN synthesized THEN the sample error\'s lines are the real ones', () => {
      // GIVEN the mistake the README describes
      const example = userStartExample('new SafeFunction');
      const mistaken = example.replace('worker.addEventSource(', 'worker.function.addEventSource(');
      expect(mistaken).not.toBe(example);
      const sample = userStartSample('Validation failed').split('\n');
      const app = new App();
      runExample(mistaken, new Stack(app, 'MyAppStack'));

      // WHEN
      let error: Error | undefined;
      try {
        app.synth();
      } catch (e) {
        error = e as Error;
      }

      // THEN the first line, as this aws-cdk-lib prints it, is the sample's (the newest) or the one the README names for older releases
      expect(error).toBeDefined();
      const first = error!.stack!.split('\n')[0];
      expect(section('user-start')).toContain(first);
      expect(sample[0]).toMatch(/^\[«ValidationFailedWithErrors» Validation failed with the following errors:$/);
      // AND the sample's next lines, up to its first `…`, are the message's (`cdk synth` prints it verbatim)
      const shown = runs(sample.join('\n'))[0].slice(1);
      expect(shown.length).toBeGreaterThanOrEqual(2);
      expect(error!.message.split('\n').slice(1, 1 + shown.length)).toEqual(shown);
    });
  });
});
