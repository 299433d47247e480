import * as fs from 'fs';
import * as path from 'path';
import { cliJson, tempDir } from './cli-helpers';

// An alias whose FunctionVersion is $LATEST is qualified in name only: the guard reports what binds
// it, and check read the same template as clean (its alias check read construct properties only).
function template(functionVersion: unknown, via: 'Ref' | 'GetAtt' | 'Sub'): object {
  const arn = via === 'Ref' ? { Ref: 'Live' } : via === 'GetAtt' ? { 'Fn::GetAtt': ['Live', 'AliasArn'] } : { 'Fn::Sub': '${Live}' };
  return {
    Resources: {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: 'x' } },
      },
      Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: functionVersion, Name: 'live' } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 't', Arn: arn }] } },
    },
  };
}

function check(body: object): string[] {
  const file = path.join(tempDir(), 'template.json');
  fs.writeFileSync(file, JSON.stringify(body));
  return cliJson('check', file).findings.map((f) => `${f.ruleId} ${f.templatePath ?? f.propertyPath ?? ''}`.trim());
}

describe('check on an alias of $LATEST', () => {
  test.each(['Ref', 'GetAtt', 'Sub'] as const)('GIVEN a rule targeting an alias on $LATEST via %s WHEN checked THEN the binding is reported', (via) => {
    expect(check(template('$LATEST', via))).toEqual([expect.stringMatching(/^SafeLambda-LatestBinding\b/)]);
  });

  test.each([
    ['a numbered version', '3'],
    ['a version reference', { 'Fn::GetAtt': ['Version', 'Version'] }],
    ['a parameter', { Ref: 'VersionParam' }],
  ])('GIVEN a rule targeting an alias on %s WHEN checked THEN nothing is reported', (_name, functionVersion) => {
    const body: any = template(functionVersion, 'Ref');
    body.Parameters = { VersionParam: { Type: 'String' } };
    body.Resources.Version = { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } };
    expect(check(body)).toEqual([]);
  });
});
