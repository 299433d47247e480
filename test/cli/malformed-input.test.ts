import * as fs from 'fs';
import * as path from 'path';
import { cfnTemplate } from './cfn-cases';
import { cli, tempDir, writeTemplate } from './cli-helpers';

describe('unusable input gets one line on stderr and exit code 2, never a stack trace', () => {
  test.each([
    ['invalid JSON', () => writeTemplate('t.json', '{ "Resources": { "Fn": '), /t\.json: invalid JSON: /],
    ['invalid YAML', () => writeTemplate('t.yaml', 'Resources:\n  Fn: [\n   Type'), /t\.yaml: invalid YAML at line \d+: /],
    ['a template with no Resources', () => writeTemplate('t.json', { AWSTemplateFormatVersion: '2010-09-09' }), /t\.json: the template has no Resources/],
    ['a template with empty Resources', () => writeTemplate('t.yaml', 'Resources: {}\n'), /the template has no Resources/],
    ['a JSON array', () => writeTemplate('t.json', '[1, 2]'), /not a CloudFormation template/],
    ['a missing file', () => path.join(tempDir(), 'nope.json'), /nope\.json: no such file or directory/],
    ['a directory with no template', () => tempDir(), /no manifest\.json \(cloud assembly\) and no template with Resources/],
    ['an unknown intrinsic function', () => writeTemplate('t.json', { Resources: { S: { Type: 'AWS::SNS::Topic', Properties: { Name: { 'Fn::Shout': 'x' } } } } }),
      /t\.json: unknown intrinsic function 'Fn::Shout' at Resources\.S\.Properties\.Name/],
    ['an unknown YAML tag', () => writeTemplate('t.yaml', 'Resources:\n  S:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: !Shout x\n'),
      /t\.yaml: unknown tag at line 5: Unresolved tag: !Shout/],
    ['a Fn::ForEach loop (AWS::LanguageExtensions), whose generated resources cannot be checked', () => writeTemplate('t.yaml', [
      'Transform: AWS::LanguageExtensions',
      'Resources:',
      '  Fn: {Type: AWS::Lambda::Function, Properties: {Code: {ZipFile: x}, Role: r, Handler: h, Runtime: nodejs22.x}}',
      '  Fn::ForEach::Rules:',
      '    - N',
      '    - [A, B]',
      '    - Rule${N}: {Type: AWS::Events::Rule, Properties: {Targets: [{Id: a, Arn: !GetAtt Fn.Arn}]}}',
      '',
    ].join('\n')), /t\.yaml: Resources\.Fn::ForEach::Rules is a Fn::ForEach loop \(AWS::LanguageExtensions\), which this command does not expand.*Check the processed template/],
    ['a malformed Fn::ForEach entry', () => writeTemplate('t.json', { Resources: { 'Fn': { Type: 'AWS::SNS::Topic' }, 'Fn::ForEach::X': 'x' } }),
      /t\.json: Resources\.Fn::ForEach::X is a Fn::ForEach loop/],
    ['values nested thousands of levels deep', () => writeTemplate('t.json', '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function"}, '
      + `"S": {"Type": "AWS::SNS::Subscription", "Properties": {"Endpoint": ${'['.repeat(20_000)}{"Fn::GetAtt": ["Fn", "Arn"]}${']'.repeat(20_000)}}}}}`),
    /t\.json: values nested too deeply to read/],
    ['a cloud assembly whose manifest is not JSON', () => writeTemplate('manifest.json', 'not json', tempDir()).replace(/manifest\.json$/, ''), /manifest\.json: invalid JSON/],
  ])('GIVEN %s WHEN checked THEN exit code 2 and a one-line error', (_label, make, error) => {
    // WHEN
    const result = cli('check', make());

    // THEN
    expect(result.code).toBe(2);
    expect(result.err).toMatch(error);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(result.out).toBe('');
  });

  test.each([
    [[], /usage: cdk-safe-lambda check/],
    [['lint', 'x'], /unknown command 'lint'/],
    [['check'], /check needs at least one path/],
    [['diff', 'a'], /diff needs exactly two paths/],
    [['check', 'x', '--format', 'xml'], /--format must be one of text, json, sarif/],
    [['check', 'x', '--fail-on', 'never'], /--fail-on must be error or warning/],
    [['check', 'x', '--bogus'], /unknown option '--bogus'/],
  ])('GIVEN the arguments %j WHEN run THEN exit code 2 with the usage problem', (args, error) => {
    const result = cli(...args);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(error);
  });

  test('GIVEN intrinsics this command does not follow and values of unexpected shapes WHEN checked THEN they are opaque, not errors', () => {
    const file = writeTemplate('t.json', {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
        Odd: {
          Type: 'AWS::SNS::Subscription',
          Properties: {
            Endpoint: { 'Fn::FindInMap': [{ 'Fn::GetAtt': 7 }] }, Other: { Ref: ['x'] }, Sub: { 'Fn::Sub': [42] }, Cidr: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
          },
        },
        Null: null,
        NoType: { Properties: { X: { Ref: 'Fn' } } },
      },
    });

    const result = cli('check', file);

    expect(result.err).toBe('');
    expect(result.code).toBe(0);
  });

  test('GIVEN a 5 MB template WHEN checked THEN it is read and checked in seconds', () => {
    // GIVEN 2500 functions, each with a subscription, the last one unqualified.
    const template: any = cfnTemplate({ Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 't', Endpoint: { 'Fn::GetAtt': ['Fn', 'Arn'] } } });
    const padding = 'x'.repeat(1700);
    for (let i = 0; i < 2500; i++) {
      template.Resources[`F${i}`] = { Type: 'AWS::Lambda::Function', Properties: { Description: padding, Code: { ZipFile: 'x' } } };
      template.Resources[`S${i}`] = { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 't', Endpoint: { Ref: `A${i}` } } };
      template.Resources[`A${i}`] = { Type: 'AWS::Lambda::Alias', Properties: { Name: 'live', FunctionName: { Ref: `F${i}` }, FunctionVersion: '1' } };
    }
    const file = writeTemplate('big.json', template);
    expect(fs.statSync(file).size).toBeGreaterThan(5 * 1024 * 1024);

    // WHEN
    const started = Date.now();
    const result = cli('check', file, '--format', 'json');

    // THEN
    expect(JSON.parse(result.out).findings.map((f: any) => f.templatePath)).toEqual(['Resources.Binding.Properties.Endpoint']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
