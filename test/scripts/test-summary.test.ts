import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// scripts/test-summary.js prints the closing line CI reads; a report the run did not produce, or a
// step that failed, must never leave it reading as a pass (issue #19).

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'test-summary.js');

interface Case { readonly name: string; readonly outcome?: 'failure' | 'skipped' }

/** A report as jest-junit writes it. */
function junit(cases: Case[], options: { errors?: number } = {}): string {
  const failures = cases.filter((c) => c.outcome === 'failure').length;
  const body = cases.map((c) => [
    `    <testcase classname="${c.name}" name="${c.name}" time="0.01">`,
    ...(c.outcome === 'failure' ? ['      <failure>Error: expect(received).toBe(expected)</failure>'] : []),
    ...(c.outcome === 'skipped' ? ['      <skipped/>'] : []),
    '    </testcase>',
  ].join('\n'));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="jest tests" tests="${cases.length}" failures="${failures}" errors="${options.errors ?? 0}" time="1.5">`,
    `  <testsuite name="a suite" errors="0" failures="${failures}" skipped="0" timestamp="2026-12-08T01:49:26" time="1.4" tests="${cases.length}">`,
    ...body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function passing(n: number): Case[] {
  return Array.from({ length: n }, (_, i) => ({ name: `test ${i}` }));
}

/** Runs the script in a fresh directory holding `files`; returns its output lines and exit code. */
function summary(files: Record<string, string>, args: string[]): { lines: string[]; last: string; code: number | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-summary-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: dir, encoding: 'utf8' });
  const lines = result.stdout.trimEnd().split('\n');
  return { lines, last: lines[lines.length - 1], code: result.status };
}

const REPORTS = ['r/junit.xml', 'r/junit-latest-1.xml', 'r/junit-latest-2.xml'];

describe('the closing line of a test run', () => {
  test('GIVEN every expected report, all passing WHEN summarized THEN it sums them and exits 0', () => {
    const result = summary({ 'r/junit.xml': junit(passing(3)), 'r/junit-latest-1.xml': junit(passing(2)), 'r/junit-latest-2.xml': junit(passing(1)) }, REPORTS);

    expect(result.last).toBe('6 passed, 0 failed');
    expect(result.lines).toContain('r/junit-latest-1.xml: 2 passed, 0 failed');
    expect(result.lines.filter((l) => l.startsWith('FAILED'))).toEqual([]);
    expect(result.code).toBe(0);
  });

  test('GIVEN failing and skipped tests inside a report WHEN summarized THEN the failures are counted and skipped tests are not passes', () => {
    const result = summary({ 'r/junit.xml': junit([...passing(2), { name: 'x', outcome: 'failure' }, { name: 'y', outcome: 'skipped' }]) }, ['r/junit.xml']);

    expect(result.lines).toContain('r/junit.xml: 2 passed, 1 failed, 1 skipped');
    expect(result.last).toBe('2 passed, 1 failed');
    expect(result.code).toBe(1);
  });

  // Each row: what happened to r/junit-latest-2.xml, and the reason the summary must give.
  test.each([
    ['missing (a lane killed before jest wrote it)', undefined, 'r/junit-latest-2.xml: missing (its jest run never started or did not finish)'],
    ['truncated', junit(passing(4)).slice(0, 300), 'r/junit-latest-2.xml: malformed (truncated: it does not end with </testsuites>)'],
    ['not junit at all', 'Segmentation fault\n', 'r/junit-latest-2.xml: malformed (no <testsuites tests="N"> element)'],
    ['empty', '', 'r/junit-latest-2.xml: malformed (no <testsuites tests="N"> element)'],
    ['declaring more tests than it holds', junit(passing(3)).replace('tests="3"', 'tests="30"'), 'r/junit-latest-2.xml: malformed (declares 30 tests, holds 3)'],
    ['a run with no test', junit([]), 'r/junit-latest-2.xml: holds no test'],
  ])('GIVEN the report of one lane %s WHEN summarized THEN it counts as one failure with the reason, and the run fails', (_label, text, reason) => {
    const files: Record<string, string> = { 'r/junit.xml': junit(passing(3)), 'r/junit-latest-1.xml': junit(passing(2)) };
    if (text !== undefined) files['r/junit-latest-2.xml'] = text;

    const result = summary(files, REPORTS);

    expect(result.lines).toContain(`FAILED: ${reason}`);
    expect(result.last).toBe('5 passed, 1 failed');
    expect(result.code).toBe(1);
  });

  test('GIVEN a directory where a report should be WHEN summarized THEN it is unreadable and failed', () => {
    const result = summary({ 'r/junit.xml/placeholder': '' }, ['r/junit.xml']);

    expect(result.lines).toContain('FAILED: r/junit.xml: unreadable (EISDIR)');
    expect(result.last).toBe('0 passed, 1 failed');
  });

  test('GIVEN no report at all WHEN summarized THEN it reads 0 passed and one failure per report', () => {
    const result = summary({}, REPORTS);

    expect(result.last).toBe('0 passed, 3 failed');
    expect(result.code).toBe(1);
  });

  test('GIVEN a report left over from an earlier run WHEN summarized with the run\'s start THEN it is stale and failed', () => {
    const dirFiles = { 'r/junit.xml': junit(passing(3)) };
    const future = Math.ceil(Date.now() / 1000) + 60;

    const result = summary(dirFiles, ['--since', String(future), 'r/junit.xml']);

    expect(result.lines).toContain('FAILED: r/junit.xml: stale (written before this run started) (its jest run never started or did not finish)');
    expect(result.last).toBe('0 passed, 1 failed');
  });

  test('GIVEN a suite that failed to run (jest-junit counts it in errors) WHEN summarized THEN it is a failure', () => {
    const xml = junit(passing(2), { errors: 1 });

    const result = summary({ 'r/junit.xml': xml }, ['r/junit.xml']);

    expect(result.last).toBe('2 passed, 1 failed');
  });

  describe('with the step log', () => {
    const steps = (...rows: string[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';

    test('GIVEN a failed step that writes no report WHEN summarized THEN the step is a failure, marked in the timings', () => {
      const result = summary({
        'r/junit.xml': junit(passing(3)),
        'r/times.tsv': steps(['jsii compile', '36302', '0', '', '30100'], ['eslint', '61000', '1', '', '58000'], ['jest (floor)', '90000', '0', 'r/junit.xml', '170000']),
      }, ['--steps', 'r/times.tsv', 'r/junit.xml']);

      expect(result.lines).toContain('   61.0     58.0  eslint  FAILED (exit 1)');
      expect(result.lines).toContain('   36.3     30.1  jsii compile');
      expect(result.lines).toContain('           258.1  total');
      expect(result.lines).toContain('FAILED: step "eslint" failed (exit 1)');
      expect(result.last).toBe('3 passed, 1 failed');
    });

    test('GIVEN a jest step that failed because a test failed WHEN summarized THEN the failure is counted once, from its report', () => {
      const result = summary({
        'r/junit.xml': junit([...passing(3), { name: 'x', outcome: 'failure' }]),
        'r/times.tsv': steps(['jest (floor)', '90000', '1', 'r/junit.xml']),
      }, ['--steps', 'r/times.tsv', 'r/junit.xml']);

      expect(result.last).toBe('3 passed, 1 failed');
    });

    test('GIVEN a jest step that failed with every test passing (e.g. a worker crashed) WHEN summarized THEN the step is the failure', () => {
      const result = summary({
        'r/junit.xml': junit(passing(3)),
        'r/times.tsv': steps(['jest (floor)', '90000', '1', 'r/junit.xml']),
      }, ['--steps', 'r/times.tsv', 'r/junit.xml']);

      expect(result.lines).toContain('FAILED: step "jest (floor)" failed (exit 1)');
      expect(result.last).toBe('3 passed, 1 failed');
    });

    test('GIVEN a jest step that exited non-zero without writing its report WHEN summarized THEN the reason names the step', () => {
      const result = summary({ 'r/times.tsv': steps(['jest (newest aws-cdk-lib, shard 2/2)', '1000', '137', 'r/junit.xml']) },
        ['--steps', 'r/times.tsv', 'r/junit.xml']);

      expect(result.lines).toContain('FAILED: r/junit.xml: missing (its step "jest (newest aws-cdk-lib, shard 2/2)" exited 137)');
      expect(result.last).toBe('0 passed, 1 failed');
    });
  });

  test('GIVEN every report passing but the run exiting non-zero WHEN summarized THEN the closing line is not a pass', () => {
    const result = summary({ 'r/junit.xml': junit(passing(3)) }, ['--exit-code', '130', 'r/junit.xml']);

    expect(result.lines).toContain('FAILED: the run exited 130 (see the log above)');
    expect(result.last).toBe('3 passed, 1 failed');
    expect(result.code).toBe(1);
  });
});
