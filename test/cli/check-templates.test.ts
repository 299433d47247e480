import * as fs from 'fs';
import * as path from 'path';
import { CFN_CASES, cfnTemplate, cfnYaml } from './cfn-cases';
import { cli, cliJson, samTranslate, tempDir, writeTemplate } from './cli-helpers';
import { parseYamlTemplate } from '../../src/cli/private/yaml-reader';
import { GuardRules } from '../../src/guard/guard-rules';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'templates');
const SEED = path.join(FIXTURES, 'seed-sam-http-api.yaml');

describe('check on plain CloudFormation templates', () => {
  describe.each(CFN_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    test.each([
      ['JSON', () => writeTemplate('template.json', cfnTemplate(c.json('Fn')))],
      ['YAML with short-form intrinsics', () => writeTemplate('template.yaml', cfnYaml(c.yaml('Fn')))],
    ])('GIVEN the unqualified function in %s WHEN checked THEN the rule names the template path', (_form, write) => {
      // GIVEN
      const file = write();

      // WHEN
      const { code, findings } = cliJson('check', file);

      // THEN
      expect(findings.map((f) => [f.ruleId, f.templatePath])).toEqual([[c.ruleId, `Resources.Binding.${c.propertyPath}`]]);
      expect(code).toBe(c.ruleId === GuardRules.LATEST_GRANT ? 0 : 1);
    });

    test.each([
      ['JSON', () => writeTemplate('template.json', cfnTemplate(c.json('FnAlias')))],
      ['YAML with short-form intrinsics', () => writeTemplate('template.yaml', cfnYaml(c.yaml('FnAlias')))],
    ])('GIVEN its alias in %s WHEN checked THEN nothing is reported and the exit code is 0', (_form, write) => {
      const { code, findings } = cliJson('check', write());

      expect(findings).toEqual([]);
      expect(code).toBe(0);
    });
  });

  test.each([
    ['an alias ARN built with Fn::Sub', { 'Fn::Sub': '${Fn.Arn}:live' }, []],
    ['a `:$LATEST` qualifier', { 'Fn::Sub': '${Fn.Arn}:$LATEST' }, [GuardRules.LATEST_BINDING]],
    ['a version number', { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, '7']] }, []],
    ['both branches of Fn::If, one unqualified', { 'Fn::If': ['Prod', { Ref: 'FnAlias' }, { 'Fn::GetAtt': ['Fn', 'Arn'] }] }, [GuardRules.LATEST_BINDING]],
    ['the name cut out of an alias ARN', { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: 'FnAlias' }] }] }, [GuardRules.LATEST_BINDING]],
    ['an unknown intrinsic', { 'Fn::Transform': { Name: 'X' } }, []],
    ['an element of a literal list picked by Fn::Select', { 'Fn::Select': [0, [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, 'x']] }, [GuardRules.LATEST_BINDING]],
    ['the alias ARN picked out of a literal list', { 'Fn::Select': [1, [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, { Ref: 'FnAlias' }]] }, []],
    ['a list element picked at deploy time (each is scanned)', { 'Fn::Select': [{ Ref: 'Index' }, [{ Ref: 'FnAlias' }, { 'Fn::GetAtt': ['Fn', 'Arn'] }]] }, [GuardRules.LATEST_BINDING]],
    ['a part of its ARN other than the name (the region)', { 'Fn::Select': [3, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Fn', 'Arn'] }] }] }, []],
  ])('GIVEN a subscription endpoint that is %s WHEN checked THEN the guard\'s judge decides', (_label, endpoint, rules) => {
    // GIVEN
    const file = writeTemplate('t.json', cfnTemplate({ Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 't', Endpoint: endpoint } }));

    // WHEN
    const { findings } = cliJson('check', file);

    // THEN
    expect(findings.map((f) => f.ruleId)).toEqual(rules);
  });

  test('GIVEN a state machine invoking an alias WHEN checked with --require-versions-in-state-machines THEN StateMachineAlias is reported', () => {
    const c = CFN_CASES.find((x) => x.propertyPath === 'Properties.DefinitionString')!;
    const file = writeTemplate('t.json', cfnTemplate(c.json('FnAlias')));

    expect(cliJson('check', file).findings).toEqual([]);
    expect(cliJson('check', file, '--require-versions-in-state-machines').findings.map((f) => f.ruleId)).toEqual([GuardRules.STATE_MACHINE_ALIAS]);
  });
});

describe('check on SAM templates', () => {
  test('GIVEN the seed: a SAM function with an HttpApi event and no AutoPublishAlias WHEN checked THEN LatestBinding names the event and the exit code is 1', () => {
    // WHEN
    const result = cli('check', SEED);

    // THEN
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/\[SafeLambda-LatestBinding\] .*Resources\.OrdersFunction\.Properties\.Events\.Orders: .*unqualified ARN of Resources\.OrdersFunction.*Fix: .*AutoPublishAlias/);
  });

  test('GIVEN the seed with AutoPublishAlias set WHEN checked THEN it passes', () => {
    const file = writeTemplate('template.yaml', fs.readFileSync(SEED, 'utf8').replace('      Handler: index.handler', '      AutoPublishAlias: live\n      Handler: index.handler'));

    expect(cli('check', file).code).toBe(0);
  });

  test('GIVEN AutoPublishAlias in Globals WHEN checked THEN it passes', () => {
    const file = writeTemplate('template.yaml', fs.readFileSync(SEED, 'utf8').replace('Resources:', 'Globals:\n  Function:\n    AutoPublishAlias: live\nResources:'));

    expect(cli('check', file).code).toBe(0);
  });

  const EVENTS: Array<[string, unknown]> = [
    ['HttpApi', { Type: 'HttpApi' }],
    ['Api', { Type: 'Api', Properties: { Path: '/', Method: 'get' } }],
    ['SNS', { Type: 'SNS', Properties: { Topic: 'arn:aws:sns:us-east-1:123456789012:t' } }],
    ['SQS', { Type: 'SQS', Properties: { Queue: 'arn:aws:sqs:us-east-1:123456789012:q' } }],
    ['EventBridgeRule', { Type: 'EventBridgeRule', Properties: { Pattern: { source: ['x'] } } }],
    ['Schedule', { Type: 'Schedule', Properties: { Schedule: 'rate(1 hour)' } }],
  ];

  function samTemplate(event: unknown, alias: boolean): any {
    return {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Handler: 'index.handler', Runtime: 'nodejs22.x', InlineCode: 'x', ...(alias ? { AutoPublishAlias: 'live' } : {}), Events: { E: event },
          },
        },
      },
    };
  }

  test.each(EVENTS)('GIVEN a %s event WHEN checked as written and as translated by samtranslator THEN both report it without AutoPublishAlias and pass with it', (_type, event) => {
    // GIVEN / WHEN
    const written = (alias: boolean) => cliJson('check', writeTemplate('sam.json', samTemplate(event, alias))).findings;
    const translated = (alias: boolean) => cliJson('check', writeTemplate('translated.json', samTranslate(samTemplate(event, alias)))).findings;

    // THEN
    expect(written(false).map((f) => [f.ruleId, f.templatePath])).toEqual([[GuardRules.LATEST_BINDING, 'Resources.Fn.Properties.Events.E']]);
    expect(translated(false).filter((f) => f.level === 'error').length).toBeGreaterThan(0);
    expect(written(true)).toEqual([]);
    expect(translated(true)).toEqual([]);
  });

  test('GIVEN another resource referencing `!Ref Fn.Alias` WHEN checked THEN it is qualified; `!GetAtt Fn.Arn` is not', () => {
    const yaml = (endpoint: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: index.handler, Runtime: nodejs22.x, InlineCode: x, AutoPublishAlias: live }
  Sub:
    Type: AWS::SNS::Subscription
    Properties: { Protocol: lambda, TopicArn: t, Endpoint: ${endpoint} }
`;
    expect(cliJson('check', writeTemplate('a.yaml', yaml('!Ref Fn.Alias'))).findings).toEqual([]);
    expect(cliJson('check', writeTemplate('b.yaml', yaml('!GetAtt Fn.Arn'))).findings.map((f) => f.templatePath)).toEqual(['Resources.Sub.Properties.Endpoint']);
  });
});

describe('check on Serverless Framework output', () => {
  test('GIVEN a project with .serverless/ WHEN checked THEN the API method is reported with its permission and serverless-state.json is skipped', () => {
    // GIVEN
    const project = tempDir();
    fs.mkdirSync(path.join(project, '.serverless'));
    fs.copyFileSync(path.join(FIXTURES, 'serverless-update-stack.json'), path.join(project, '.serverless', 'cloudformation-template-update-stack.json'));
    fs.copyFileSync(path.join(FIXTURES, 'serverless-state.json'), path.join(project, '.serverless', 'serverless-state.json'));

    // WHEN
    const { code, findings } = cliJson('check', project);

    // THEN
    expect(code).toBe(1);
    expect(findings.map((f) => [f.ruleId, f.templatePath])).toEqual([
      [GuardRules.LATEST_BINDING, 'Resources.ApiGatewayMethodHelloGet.Properties.Integration.Uri'],
    ]);
    expect(findings[0].relatedResources.map((r: any) => [r.ruleId, r.templatePath])).toEqual([
      [GuardRules.LATEST_PERMISSION, 'Resources.HelloLambdaPermissionApiGateway.Properties.FunctionName'],
    ]);
  });
});

describe('suppressions in template Metadata', () => {
  const binding = (metadata: unknown) => cfnTemplate({ Type: 'AWS::SNS::Subscription', Metadata: metadata, Properties: { Protocol: 'lambda', TopicArn: 't', Endpoint: { 'Fn::GetAtt': ['Fn', 'Arn'] } } });

  test.each([
    ['the rule ID and a reason', { suppressions: [{ ruleId: GuardRules.LATEST_BINDING, reason: 'nightly batch, deploys are paused' }] }, true],
    ['appliesTo naming the property path', { suppressions: [{ ruleId: GuardRules.LATEST_BINDING, reason: 'r', appliesTo: ['Properties.Endpoint'] }] }, true],
    ['appliesTo naming the function', { suppressions: [{ ruleId: GuardRules.LATEST_BINDING, reason: 'r', appliesTo: ['Fn'] }] }, true],
    ['another rule ID', { suppressions: [{ ruleId: GuardRules.LATEST_GRANT, reason: 'r' }] }, false],
    ['appliesTo naming another path', { suppressions: [{ ruleId: GuardRules.LATEST_BINDING, reason: 'r', appliesTo: ['Properties.TopicArn'] }] }, false],
  ])('GIVEN a suppression with %s WHEN checked THEN suppressed is %s', (_label, entry, suppressed) => {
    const { code, findings } = cliJson('check', writeTemplate('t.json', binding({ 'cdk-safe-lambda': entry })));

    expect(findings.map((f) => f.suppressed)).toEqual([suppressed]);
    expect(code).toBe(suppressed ? 0 : 1);
  });

  test('GIVEN a suppression without a reason WHEN checked THEN exit code 2 names where it is', () => {
    const result = cli('check', writeTemplate('t.json', binding({ 'cdk-safe-lambda': { suppressions: [{ ruleId: GuardRules.LATEST_BINDING }] } })));

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Resources\.Binding\.Metadata\.cdk-safe-lambda\.suppressions\[0\] has no reason/);
  });
});

/** The 1-based line of `file` where `text` first appears. */
function lineOf(file: string, text: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('output formats and exit codes', () => {
  const grantOnly = () => writeTemplate('t.json', cfnTemplate(CFN_CASES.find((c) => c.ruleId === GuardRules.LATEST_GRANT)!.json('Fn')));

  test('GIVEN only a warning WHEN checked THEN exit code 0, and 1 with --fail-on warning', () => {
    const file = grantOnly();

    expect(cli('check', file).code).toBe(0);
    expect(cli('check', file, '--fail-on', 'warning').code).toBe(1);
    expect(cli('check', file, '--fail-on=warning').code).toBe(1);
  });

  test('GIVEN findings WHEN rendered as SARIF THEN it is a SARIF 2.1.0 log with the rule catalogue, levels and locations', () => {
    // GIVEN
    const file = writeTemplate('t.json', cfnTemplate(CFN_CASES[0].json('Fn')));

    // WHEN
    const log = JSON.parse(cli('check', file, '--format', 'sarif').out);

    // THEN
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(GuardRules.ALL_IDS.filter((id) => id.startsWith('SafeLambda-Latest'))));
    expect(run.results).toEqual([expect.objectContaining({
      ruleId: GuardRules.LATEST_BINDING,
      level: 'error',
      locations: [expect.objectContaining({
        physicalLocation: { artifactLocation: { uri: file }, region: { startLine: lineOf(file, '"Uri"'), startColumn: 6 } },
        logicalLocations: [{ fullyQualifiedName: 't.json/Resources.Binding.Properties.Integration.Uri', kind: 'resource' }],
      })],
    })]);
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe(GuardRules.LATEST_BINDING);
  });

  test('GIVEN --output WHEN checked THEN the file gets the format and stdout the text summary', () => {
    const out = path.join(tempDir(), 'results.sarif');
    const result = cli('check', grantOnly(), '--format', 'sarif', '--output', out);

    expect(JSON.parse(fs.readFileSync(out, 'utf8')).runs[0].results).toHaveLength(1);
    expect(result.out).toMatch(/0 error\(s\), 1 warning\(s\)/);
  });

  test('GIVEN YAML short forms WHEN parsed THEN they become the long forms', () => {
    expect(parseYamlTemplate('A: !GetAtt F.Arn\nB: !Select [6, !Split [":", !Ref X]]\nC: !If [c, !Ref a, !Sub "${b}"]\n', 'x.yaml')).toEqual({
      A: { 'Fn::GetAtt': ['F', 'Arn'] },
      B: { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: 'X' }] }] },
      C: { 'Fn::If': ['c', { Ref: 'a' }, { 'Fn::Sub': '${b}' }] },
    });
  });
});
