import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { cfnTemplate, cfnYaml } from './cfn-cases';
import { cli, cliJson, synthAssembly, tempDir, writeTemplate } from './cli-helpers';
import { readYamlTemplate } from '../../src/cli/private/yaml-reader';
import { GuardRules } from '../../src/guard/guard-rules';

/*
 * issue #18 §3: read what real tools read, and never report clean what was not read.
 */

/** The template as cfn-lint reads it (its own YAML loader over PyYAML), as JSON. */
function cfnLintReads(text: string): unknown {
  const script = 'import sys, json\nfrom cfnlint.decode import cfn_yaml\nprint(json.dumps(cfn_yaml.loads(sys.stdin.read())))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' }));
}

/** A subscription whose endpoint is `endpoint`, with the function, version and alias of cfnTemplate. */
function subscription(endpoint: unknown): unknown {
  return cfnTemplate({ Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 't', Endpoint: endpoint } });
}

const UNQUALIFIED = { 'Fn::GetAtt': ['Fn', 'Arn'] };

/** `value` inside `levels` nested `Fn::Join`s. */
function nestedJoins(value: unknown, levels: number): unknown {
  let result = value;
  for (let i = 0; i < levels; i++) {
    result = { 'Fn::Join': ['', [result]] };
  }
  return result;
}

describe('values are followed to their end', () => {
  test.each([13, 50, 500])('GIVEN an unqualified ARN under %i nested Fn::Join WHEN checked THEN it is a LatestBinding (the walker once stopped at 12)', (levels) => {
    const { code, findings } = cliJson('check', writeTemplate('t.json', subscription(nestedJoins(UNQUALIFIED, levels))));

    expect(findings.map((f) => [f.ruleId, f.templatePath])).toEqual([[GuardRules.LATEST_BINDING, 'Resources.Binding.Properties.Endpoint']]);
    expect(code).toBe(1);
  });

  test('GIVEN the alias ARN under 13 nested Fn::Join WHEN checked THEN nothing is reported', () => {
    expect(cliJson('check', writeTemplate('t.json', subscription(nestedJoins({ Ref: 'FnAlias' }, 13)))).findings).toEqual([]);
  });

  test.each([
    ['Fn::ToJsonString of an object holding the ARN', { 'Fn::ToJsonString': { target: UNQUALIFIED } }],
    ['a part picked at deploy time out of a Fn::Split', { 'Fn::Select': [{ Ref: 'Index' }, { 'Fn::Split': [',', { 'Fn::Join': [',', [{ Ref: 'FnAlias' }, UNQUALIFIED]] }] }] }],
  ])('GIVEN %s WHEN checked THEN the unqualified ARN is found', (_label, endpoint) => {
    expect(cliJson('check', writeTemplate('t.json', subscription(endpoint))).findings.map((f) => f.ruleId)).toEqual([GuardRules.LATEST_BINDING]);
  });

  test('GIVEN an export whose value is an Fn::If with an unqualified branch WHEN another template imports it THEN the branch is found where it is imported', () => {
    // GIVEN
    const exporter = cfnTemplate({ Type: 'AWS::SNS::Topic' }) as any;
    exporter.Outputs = { Arn: { Value: { 'Fn::If': ['Prod', { Ref: 'FnAlias' }, UNQUALIFIED] }, Export: { Name: 'fn-arn' } } };
    const dir = tempDir();
    const importer = { Resources: { Sub: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 't', Endpoint: { 'Fn::ImportValue': 'fn-arn' } } } } };

    // WHEN
    const { findings } = cliJson('check', writeTemplate('exporter.json', exporter, dir), writeTemplate('importer.json', importer, dir));

    // THEN
    expect(findings.map((f) => [f.ruleId, f.templatePath, f.functionId])).toEqual([[GuardRules.LATEST_BINDING, 'Resources.Sub.Properties.Endpoint', 'Fn']]);
  });

  test('GIVEN two templates whose exports import each other WHEN checked THEN exit code 2 naming the place and the loop', () => {
    const dir = tempDir();
    const a = { Resources: { Sub: { Type: 'AWS::SNS::Subscription', Properties: { Endpoint: { 'Fn::ImportValue': 'a' } } } }, Outputs: { A: { Value: { 'Fn::ImportValue': 'b' }, Export: { Name: 'a' } } } };
    const b = { Resources: { T: { Type: 'AWS::SNS::Topic' } }, Outputs: { B: { Value: { 'Fn::ImportValue': 'a' }, Export: { Name: 'b' } } } };

    const result = cli('check', writeTemplate('a.json', a, dir), writeTemplate('b.json', b, dir));

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/a\.json: Resources\.Sub\.Properties\.Endpoint reads export a, which stands for itself \(export a → export b → export a\)/);
    expect(result.err.split('\n')).toHaveLength(1);
  });
});

describe('a key written twice is an input error naming the file, the line and the key (as cfn-lint)', () => {
  test('GIVEN a JSON template with a resource written twice, the first copy unqualified WHEN checked THEN exit code 2', () => {
    // GIVEN: JSON.parse would keep only the second (qualified) copy.
    const resources = (subscription(UNQUALIFIED) as any).Resources;
    const entries = Object.entries<unknown>(resources).map(([id, r]) => `    ${JSON.stringify(id)}: ${JSON.stringify(r)}`);
    entries.push(`    "Binding": ${JSON.stringify((subscription({ Ref: 'FnAlias' }) as any).Resources.Binding)}`);
    const file = writeTemplate('t.json', `{\n  "Resources": {\n${entries.join(',\n')}\n  }\n}\n`);
    const line = 3 + entries.length - 1;

    // WHEN
    const result = cli('check', file);

    // THEN
    expect(result.code).toBe(2);
    expect(result.err).toBe(`cdk-safe-lambda: ${file}: line ${line}: duplicate key 'Binding' in Resources (CloudFormation and cfn-lint refuse it; keep one copy)`);
  });

  test.each([
    ['a resource', cfnYaml('    Type: AWS::SNS::Topic') + '\n  Binding:\n    Type: AWS::SNS::Topic\n', 'Binding', 'Resources'],
    ['a property', cfnYaml('    Type: AWS::SNS::Subscription\n    Properties:\n      Endpoint: !GetAtt Fn.Arn\n      Endpoint: !Ref FnAlias'), 'Endpoint', 'Resources.Binding.Properties'],
  ])('GIVEN a YAML template with %s written twice WHEN checked THEN exit code 2', (_label, text, key, where) => {
    const file = writeTemplate('t.yaml', text);
    const line = text.split('\n').map((l, i) => [l, i + 1] as const).filter(([l]) => l.trim().startsWith(`${key}:`)).pop()![1];

    const result = cli('check', file);

    expect(result.code).toBe(2);
    expect(result.err).toBe(`cdk-safe-lambda: ${file}: line ${line}: duplicate key '${key}' in ${where} (CloudFormation and cfn-lint refuse it; keep one copy)`);
  });
});

describe('YAML as PyYAML and cfn-lint read it', () => {
  const FLOW = cfnYaml(`    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [r]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: [
              !Ref FnAlias,
            !GetAtt Fn.Arn
            ]
          - Effect: Allow
            Action: [
            "lambda:InvokeFunction" ]
            Resource: {
          "Fn::GetAtt": [Fn, Arn]
        }`);

  test('GIVEN flow collections continued at or below their key\'s indentation WHEN read THEN the values are those cfn-lint reads', () => {
    expect(readYamlTemplate(FLOW, 't.yaml').template).toEqual(cfnLintReads(FLOW));
  });

  test('GIVEN such a flow list granting the unqualified ARN WHEN checked THEN the grant is reported', () => {
    const { findings } = cliJson('check', writeTemplate('t.yaml', FLOW));

    expect(findings.map((f) => [f.ruleId, f.templatePath])).toEqual([
      [GuardRules.LATEST_GRANT, 'Resources.Binding.Properties.PolicyDocument.Statement[0].Resource[1]'],
      [GuardRules.LATEST_GRANT, 'Resources.Binding.Properties.PolicyDocument.Statement[1].Resource'],
    ]);
  });

  test('GIVEN every CloudFormation short form, the Rules functions included, and a merge key WHEN read THEN the values are those cfn-lint reads', () => {
    const text = `Rules:
  R:
    RuleCondition: !And [!Equals [!Ref Env, prod], !Not [!Condition IsDev], !Or [!Condition A, !Condition B]]
    Assertions:
      - Assert: !Contains [[a, b], !Ref Env]
      - Assert: !EachMemberEquals [!ValueOfAll [AWS::EC2::Subnet::Id, VpcId], !Ref Vpc]
      - Assert: !EachMemberIn [!ValueOfAll [AWS::EC2::Subnet::Id, VpcId], !RefAll AWS::EC2::VPC::Id]
      - Assert: !Equals [!ValueOf [Subnet, VpcId], !Ref Vpc]
Metadata:
  Shared: &shared {LOG_LEVEL: info, AZ: overridden}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: !Base64 x}
      Handler: !Join ['', [index, .handler]]
      Runtime: !FindInMap [M, !Ref AWS::Region, runtime]
      Role: !ImportValue role-arn
      Description: !Select [0, !Split [",", !Sub "a,\${AWS::Region}"]]
      Environment:
        Variables:
          <<: *shared
          AZ: !Select [0, !GetAZs ""]
          CIDR: !Select [0, !Cidr [10.0.0.0/16, 2, 8]]
          IF: !If [IsDev, !GetAtt Fn.Arn, !GetAtt [Fn, Arn]]
          OUT: !GetAtt Nested.Outputs.Arn
          SUB: !Sub ["\${x}", {x: !Ref AWS::StackName}]
      Tags: !Transform {Name: M, Parameters: {a: b}}
`;
    const read = readYamlTemplate(text, 't.yaml').template as any;

    expect(read).toEqual(cfnLintReads(text));
    expect(read.Resources.Fn.Properties.Environment.Variables).toMatchObject({ LOG_LEVEL: 'info', AZ: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } });
    expect(read.Rules.R.Assertions[2].Assert).toEqual({ 'Fn::EachMemberIn': [{ 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'VpcId'] }, { 'Fn::RefAll': 'AWS::EC2::VPC::Id' }] });
  });

  test('GIVEN an anchor reused 3000 times WHEN checked THEN it is read like any template (cfn-lint and PyYAML have no limit)', () => {
    const lines = ['Resources:', '  Fn: {Type: AWS::Lambda::Function, Properties: {Code: {ZipFile: x}, Role: r, Handler: h, Runtime: nodejs22.x}}',
      '  T0: &topic {Type: AWS::SNS::Topic, Properties: {Tags: [{Key: a, Value: b}]}}'];
    for (let i = 1; i < 3000; i++) {
      lines.push(`  T${i}: *topic`);
    }
    lines.push('  Sub: {Type: AWS::SNS::Subscription, Properties: {Protocol: lambda, TopicArn: t, Endpoint: !GetAtt Fn.Arn}}', '');

    const { code, findings } = cliJson('check', writeTemplate('t.yaml', lines.join('\n')));

    expect(findings.map((f) => f.templatePath)).toEqual(['Resources.Sub.Properties.Endpoint']);
    expect(code).toBe(1);
  });

  test('GIVEN aliases nested to expand to billions of values WHEN checked THEN exit code 2 naming the file', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      const [name, previous] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const file = writeTemplate('bomb.yaml', `${lines.join('\n')}\nResources: {T: {Type: AWS::SNS::Topic}}\n`);

    const result = cli('check', file);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(new RegExp(`^cdk-safe-lambda: ${file.replace(/[.\\]/g, '\\$&')}: its aliases expand to more than \\d+ values`));
  });
});

describe('a byte-order mark is read as other tools read it', () => {
  test.each([
    ['JSON', 't.json', JSON.stringify(subscription(UNQUALIFIED))],
    ['YAML', 't.yaml', cfnYaml('    Type: AWS::SNS::Subscription\n    Properties:\n      Protocol: lambda\n      TopicArn: t\n      Endpoint: !GetAtt Fn.Arn')],
  ])('GIVEN a %s template starting with a BOM WHEN checked THEN its binding is reported', (_format, name, text) => {
    const { findings } = cliJson('check', writeTemplate(name, `\uFEFF${text}`));

    expect(findings.map((f) => f.templatePath)).toEqual(['Resources.Binding.Properties.Endpoint']);
  });
});

describe('file-system failures are input errors naming the path (exit code 2, one line)', () => {
  /** A cloud assembly of one stack with a subscription to an unqualified function. */
  const assembly = () => synthAssembly((app) => {
    const stack = new Stack(app, 'Orders');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn));
  });

  test.each([
    ['a cloud assembly missing a stack\'s template', () => {
      const dir = assembly();
      fs.rmSync(path.join(dir, 'Orders.template.json'));
      return { arg: dir, error: `${path.join(dir, 'Orders.template.json')}: no such file, though ${path.join(dir, 'manifest.json')} names it as the template of stack Orders` };
    }],
    ['a symbolic link loop', () => {
      const dir = tempDir();
      fs.symlinkSync(path.join(dir, 'b.json'), path.join(dir, 'a.json'));
      fs.symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'b.json'));
      return { arg: path.join(dir, 'a.json'), error: `${path.join(dir, 'a.json')}: a symbolic link loop (too many levels of symbolic links)` };
    }],
    ['a symbolic link loop inside a Serverless project', () => {
      const dir = tempDir();
      writeTemplate('.serverless/cloudformation-template-update-stack.json', subscription(UNQUALIFIED), dir);
      fs.symlinkSync(path.join(dir, '.serverless', 'loop.json'), path.join(dir, '.serverless', 'loop.json'));
      return { arg: dir, error: `${path.join(dir, '.serverless', 'loop.json')}: a symbolic link loop (too many levels of symbolic links)` };
    }],
    ['a symbolic link to nothing', () => {
      const dir = tempDir();
      fs.symlinkSync(path.join(dir, 'gone.json'), path.join(dir, 't.json'));
      return { arg: path.join(dir, 't.json'), error: `${path.join(dir, 't.json')}: a symbolic link to nothing` };
    }],
    ['a stack template that is a directory', () => {
      const dir = assembly();
      fs.rmSync(path.join(dir, 'Orders.template.json'));
      fs.mkdirSync(path.join(dir, 'Orders.template.json'));
      return { arg: dir, error: `${path.join(dir, 'Orders.template.json')}: is a directory, not a file` };
    }],
  ])('GIVEN %s WHEN checked THEN exit code 2 and one line naming the path', (_label, make) => {
    const { arg, error } = make();

    const result = cli('check', arg);

    expect(result.err).toBe(`cdk-safe-lambda: ${error}`);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
  });
});

describe('SARIF results carry the line and column of the property in the source (issue #18 §5)', () => {
  test.each([
    ['YAML', 't.yaml', cfnYaml('    Type: AWS::SNS::Subscription\n    Properties:\n      Protocol: lambda\n      TopicArn: t\n      Endpoint: !GetAtt Fn.Arn'), '      Endpoint:', 7],
    ['JSON', 't.json', JSON.stringify(subscription(UNQUALIFIED), undefined, 2), '"Endpoint"', 9],
  ])('GIVEN a %s template WHEN checked as SARIF THEN the region is where the property is written', (_format, name, text, written, column) => {
    const file = writeTemplate(name, text);
    const line = text.split('\n').findIndex((l) => l.includes(written)) + 1;

    const results = JSON.parse(cli('check', file, '--format', 'sarif').out).runs[0].results;

    expect(results.map((r: any) => r.locations[0].physicalLocation.region)).toEqual([{ startLine: line, startColumn: column }]);
  });

  test('GIVEN a cloud assembly WHEN checked as SARIF THEN the region is in the stack\'s template file', () => {
    const dir = synthAssembly((app) => {
      const stack = new Stack(app, 'Orders');
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
      new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn));
    });
    const text = fs.readFileSync(path.join(dir, 'Orders.template.json'), 'utf8');

    const result = JSON.parse(cli('check', dir, '--format', 'sarif').out).runs[0].results[0];

    const { startLine, startColumn } = result.locations[0].physicalLocation.region;
    expect(text.split('\n')[startLine - 1].slice(startColumn - 1)).toMatch(/^"Endpoint"/);
  });
});
