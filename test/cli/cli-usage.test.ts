import * as fs from 'fs';
import * as path from 'path';
import { CFN_CASES, cfnTemplate } from './cfn-cases';
import { cli, cliJson, tempDir, writeTemplate } from './cli-helpers';
import { CliFinding } from '../../src/cli/private/cli-finding';
import { render } from '../../src/cli/private/output-formats';
import { GuardRules } from '../../src/guard/guard-rules';

const PACKAGE_VERSION = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

/** A template with one unqualified binding (an error) and one unqualified grant (a warning). */
function twoFindings(): string {
  const binding = cfnTemplate(CFN_CASES.find((c) => c.ruleId === GuardRules.LATEST_BINDING)!.json('Fn')) as any;
  const grant = cfnTemplate(CFN_CASES.find((c) => c.ruleId === GuardRules.LATEST_GRANT)!.json('Fn')) as any;
  return writeTemplate('t.json', { ...binding, Resources: { ...binding.Resources, Grant: grant.Resources.Binding } });
}

describe('a CLI that behaves like one (issue #18)', () => {
  test.each([
    [['--help']],
    [['-h']],
    [['help']],
    [['check', '--help']],
    [['diff', 'a', '-h']],
  ])('GIVEN %j WHEN run THEN the usage is printed on stdout and the exit code is 0', (args) => {
    const result = cli(...args);

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^usage: cdk-safe-lambda check /);
    expect(result.out).toMatch(/--output <file>/);
    expect(result.out).toMatch(/exit codes: 0 /);
    expect(result.err).toBe('');
  });

  test.each([[['--version']], [['-v']], [['version']]])('GIVEN %j WHEN run THEN the package version alone is printed and the exit code is 0', (args) => {
    const result = cli(...args);

    expect(result).toEqual({ code: 0, out: PACKAGE_VERSION, err: '' });
  });

  test.each(['json', 'sarif', 'text'])('GIVEN --output with --format %s WHEN checked THEN the file gets the report and stdout one summary line', (format) => {
    // GIVEN
    const out = path.join(tempDir(), `report.${format}`);

    // WHEN
    const result = cli('check', twoFindings(), '--format', format, '--output', out);

    // THEN
    expect(result.out.split('\n')).toEqual([`cdk-safe-lambda check: 1 error(s), 1 warning(s); report written to ${out}`]);
    expect(result.code).toBe(1);
    const report = fs.readFileSync(out, 'utf8');
    if (format === 'text') {
      expect(report).toMatch(/^error: .*\nwarning: .*\n(\nDetails:\n[^]*\n)?cdk-safe-lambda check: 1 error\(s\), 1 warning\(s\)\n$/);
    } else {
      expect(JSON.parse(report)).toBeDefined();
    }
  });

  test('GIVEN --output into a folder that does not exist WHEN checked THEN exit code 2 and one line naming the path', () => {
    const out = path.join(tempDir(), 'missing', 'report.sarif');

    const result = cli('check', twoFindings(), '--format', 'sarif', '--output', out);

    expect(result.code).toBe(2);
    expect(result.err).toBe(`cdk-safe-lambda: --output ${out}: the folder ${path.dirname(out)} does not exist (create it first)`);
    expect(result.out).toBe('');
  });
});

describe('text output: one short line per finding first, then the details (issue #19)', () => {
  const finding = (ruleId: string, level: 'error' | 'warning', message: string, suppressed = false): CliFinding => ({
    ruleId, level, message, suppressed, file: 't.json', stackName: 't.json', logicalId: 'B', templatePath: 'Resources.B.Properties.X', propertyPath: 'Properties.X',
  });

  test('GIVEN findings whose messages have a headline and details WHEN rendered as text THEN the headlines come first, then each finding\'s details, then the summary', () => {
    // GIVEN
    const findings = [
      finding('SafeLambda-LatestBinding', 'error', 'SafeLambda-LatestBinding Resources.B: Properties.X binds $LATEST of Fn — fix: alias\nwhy it matters\nhow to suppress'),
      finding('SafeLambda-LatestGrant', 'warning', 'SafeLambda-LatestGrant Resources.R: grants $LATEST of Fn — fix: alias ARN\nthe statement'),
      finding('SafeLambda-LatestBinding', 'error', 'suppressed one\nnot shown', true),
    ];

    // WHEN
    const lines = render(findings, 'text', 'check').split('\n');

    // THEN
    expect(lines).toEqual([
      'error: SafeLambda-LatestBinding Resources.B: Properties.X binds $LATEST of Fn — fix: alias',
      'warning: SafeLambda-LatestGrant Resources.R: grants $LATEST of Fn — fix: alias ARN',
      '',
      'Details:',
      '',
      'error: SafeLambda-LatestBinding Resources.B: Properties.X binds $LATEST of Fn — fix: alias',
      '  why it matters',
      '  how to suppress',
      '',
      'warning: SafeLambda-LatestGrant Resources.R: grants $LATEST of Fn — fix: alias ARN',
      '  the statement',
      '',
      'cdk-safe-lambda check: 1 error(s), 1 warning(s), 1 suppressed',
    ]);
  });

  test('GIVEN a real template with two findings WHEN checked as text THEN its first lines are the first line of each finding\'s message', () => {
    const file = twoFindings();
    const { findings } = cliJson('check', file);

    const lines = cli('check', file).out.split('\n');

    expect(lines.slice(0, 2)).toEqual(findings.map((f) => `${f.level}: ${f.message.split('\n')[0]}`));
    expect(lines[lines.length - 1]).toBe('cdk-safe-lambda check: 1 error(s), 1 warning(s)');
  });

  test('GIVEN no finding WHEN rendered as text THEN only the summary', () => {
    expect(render([], 'text', 'diff')).toBe('cdk-safe-lambda diff: 0 error(s), 0 warning(s)');
  });
});
