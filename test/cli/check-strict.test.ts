import * as fs from 'fs';
import * as path from 'path';
import { cli, cliJson, tempDir } from './cli-helpers';

// Issue #17 §2: the optional Web Function rule is off by default and on with `check --strict`, as it
// is under the guard's strict mode; its verdicts are the guard rule's own.
function samTemplate(mode: unknown, metadata?: object): string {
  const file = path.join(tempDir(), 'template.json');
  fs.writeFileSync(file, JSON.stringify({
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      Web: {
        Type: 'AWS::Serverless::WebFunction',
        ...(metadata ? { Metadata: metadata } : {}),
        Properties: { CodeUri: 's3://bucket/web.zip', Runtime: 'nodejs22.x', Handler: 'index.handler', AutoDeploymentMode: mode },
      },
    },
  }));
  return file;
}

describe('check --strict', () => {
  test.each([
    ['LatestRevision, strict', 'LatestRevision', true, ['SafeLambda-WebFunctionAllAtOnce warning Resources.Web.Properties.AutoDeploymentMode']],
    ['LatestRevision, default', 'LatestRevision', false, []],
    ['Disabled, strict', 'Disabled', true, []],
    ['a parameter, strict', { Ref: 'Mode' }, true, []],
  ])('GIVEN a SAM web function with %s WHEN checked THEN it reports %j', (_name, mode, strict, expected) => {
    const args = ['check', samTemplate(mode), ...(strict ? ['--strict'] : [])];
    const { findings } = cliJson(...args);
    expect(findings.map((f) => `${f.ruleId} ${f.level} ${f.templatePath}`)).toEqual(expected);
  });

  test('GIVEN the finding WHEN printed as text THEN its first line names the rule and the resource and fits a terminal', () => {
    const { out, code } = cli('check', samTemplate('LatestRevision'), '--strict');
    const first = out.split('\n').find((line) => line.includes('SafeLambda-WebFunctionAllAtOnce'))!;
    expect(first).toMatch(/Resources\.Web/);
    // The headline (what follows the level the text output prints before it) is the judge's: <= 120.
    expect(first.replace(/^warning: /, '').length).toBeLessThanOrEqual(120);
    expect(code).toBe(0); // a warning: exit 1 only with --fail-on warning
    expect(cli('check', samTemplate('LatestRevision'), '--strict', '--fail-on', 'warning').code).toBe(1);
  });

  test('GIVEN a suppression with a reason in the resource metadata WHEN checked THEN the finding is suppressed', () => {
    const file = samTemplate('LatestRevision', {
      'cdk-safe-lambda': { suppressions: [{ ruleId: 'SafeLambda-WebFunctionAllAtOnce', reason: 'preview endpoint, all at once is intended' }] },
    });
    const { findings, code } = cliJson('check', file, '--strict', '--fail-on', 'warning');
    expect(findings.map((f) => [f.ruleId, f.suppressed, f.suppressionReason])).toEqual([
      ['SafeLambda-WebFunctionAllAtOnce', true, 'preview endpoint, all at once is intended'],
    ]);
    expect(code).toBe(0);
  });
});
