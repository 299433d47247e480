import { cfnTemplate } from './cfn-cases';
import { cli, cliJson, samTranslate, writeTemplate } from './cli-helpers';
import { GuardRules } from '../../src/guard/guard-rules';

const BINDING = GuardRules.LATEST_BINDING;
const PERMISSION = GuardRules.LATEST_PERMISSION;
const GRANT = GuardRules.LATEST_GRANT;
const FN_ARN = { 'Fn::GetAtt': ['Fn', 'Arn'] };

/** A finding as the tests compare it: its rule and template path, and those of the resources it lists. */
function shape(f: any): [string, string, Array<[string, string]>] {
  return [f.ruleId, f.templatePath, (f.relatedResources ?? []).map((r: any) => [r.ruleId, r.templatePath])];
}

/** Every `AWS::Lambda::Permission` of `template` on `Fn`, read from the template (not from check). */
function permissionsOnFn(template: any): string[] {
  return Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName).includes('"Fn"'))
    .map(([id]) => `Resources.${id}.Properties.FunctionName`);
}

/** A plain template (no construct paths): `Fn`, its alias, and `resources`. */
function plain(resources: Record<string, unknown>): any {
  const t: any = cfnTemplate({ Type: 'AWS::SNS::Topic' });
  delete t.Resources.Binding;
  Object.assign(t.Resources, resources);
  return t;
}

function permission(properties: Record<string, unknown> = {}): unknown {
  return { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: FN_ARN, ...properties } };
}

function subscription(topic: unknown, extra: Record<string, unknown> = {}): unknown {
  return { Type: 'AWS::SNS::Subscription', ...extra, Properties: { Protocol: 'lambda', TopicArn: topic, Endpoint: FN_ARN } };
}

describe('check groups each SAM event with the permission SAM wrote for it (templates translated by samtranslator)', () => {
  const EVENTS: Array<[string, unknown, string, boolean]> = [
    ['Api', { Type: 'Api', Properties: { Path: '/a', Method: 'get' } }, 'Resources.ServerlessRestApi.Properties.Body.paths./a.get.x-amazon-apigateway-integration.uri', true],
    ['HttpApi', { Type: 'HttpApi', Properties: { Path: '/a', Method: 'get' } }, 'Resources.ServerlessHttpApi.Properties.Body.paths./a.get.x-amazon-apigateway-integration.uri', true],
    ['SNS (a topic of the template)', { Type: 'SNS', Properties: { Topic: { Ref: 'Topic' } } }, 'Resources.FnE.Properties.Endpoint', true],
    ['SQS (an event source mapping: no permission)', { Type: 'SQS', Properties: { Queue: 'arn:aws:sqs:us-east-1:123456789012:q' } }, 'Resources.FnE.Properties.FunctionName', false],
    ['EventBridgeRule', { Type: 'EventBridgeRule', Properties: { Pattern: { source: ['x'] } } }, 'Resources.FnE.Properties.Targets[0].Arn', true],
    ['Schedule', { Type: 'Schedule', Properties: { Schedule: 'rate(1 hour)' } }, 'Resources.FnE.Properties.Targets[0].Arn', true],
  ];

  function samTemplate(events: Record<string, unknown>, alias: boolean): any {
    return {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic' },
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', InlineCode: 'x', ...(alias ? { AutoPublishAlias: 'live' } : {}), Events: events },
        },
      },
    };
  }

  test.each(EVENTS)('GIVEN a %s event without AutoPublishAlias WHEN the translated template is checked THEN it is one finding listing the permission of the event',
    (_name, event, bindingPath, hasPermission) => {
      // GIVEN
      const translated = samTranslate(samTemplate({ E: event }, false));
      const permissions = permissionsOnFn(translated);

      // WHEN
      const { code, findings } = cliJson('check', writeTemplate('translated.json', translated));

      // THEN
      expect(permissions).toHaveLength(hasPermission ? 1 : 0);
      expect(findings.map(shape)).toEqual([[BINDING, bindingPath, permissions.map((p) => [PERMISSION, p])]]);
      expect(code).toBe(1);
    });

  test.each(EVENTS)('GIVEN a %s event with AutoPublishAlias WHEN the translated template is checked THEN nothing is reported', (_name, event) => {
    const { code, findings } = cliJson('check', writeTemplate('translated.json', samTranslate(samTemplate({ E: event }, true))));

    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  test('GIVEN one function with an API, an SNS and a Schedule event WHEN the translated template is checked THEN each event is one finding with its own permission', () => {
    // GIVEN
    const translated = samTranslate(samTemplate({ A: EVENTS[0][1], S: EVENTS[2][1], R: EVENTS[5][1] }, false));

    // WHEN
    const { findings } = cliJson('check', writeTemplate('translated.json', translated));

    // THEN
    expect(findings.map(shape).sort()).toEqual([
      [BINDING, 'Resources.FnR.Properties.Targets[0].Arn', [[PERMISSION, 'Resources.FnRPermission.Properties.FunctionName']]],
      [BINDING, 'Resources.FnS.Properties.Endpoint', [[PERMISSION, 'Resources.FnSPermission.Properties.FunctionName']]],
      [BINDING, EVENTS[0][2], [[PERMISSION, 'Resources.FnAPermissionProd.Properties.FunctionName']]],
    ]);
  });

  test('GIVEN two API events on the implicit API WHEN the translated template is checked THEN the two permissions stay findings of their own (the API\'s body holds both bindings, which no tie tells apart)', () => {
    // GIVEN
    const translated = samTranslate(samTemplate({ A: EVENTS[0][1], B: { Type: 'Api', Properties: { Path: '/b', Method: 'post' } } }, false));

    // WHEN
    const { findings } = cliJson('check', writeTemplate('translated.json', translated));

    // THEN
    expect(findings.map(shape).sort()).toEqual([
      [BINDING, 'Resources.ServerlessRestApi.Properties.Body.paths./a.get.x-amazon-apigateway-integration.uri', []],
      [BINDING, 'Resources.ServerlessRestApi.Properties.Body.paths./b.post.x-amazon-apigateway-integration.uri', []],
      [PERMISSION, 'Resources.FnAPermissionProd.Properties.FunctionName', []],
      [PERMISSION, 'Resources.FnBPermissionProd.Properties.FunctionName', []],
    ]);
  });
});

describe('check groups plain CloudFormation templates (no construct paths) by what the resources reference', () => {
  const STATE_MACHINE_ROLE = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
  const CASES: Array<[string, Record<string, unknown>, string, Array<[string, string]>]> = [
    ['a method and a permission whose SourceArn references the method\'s API (a shared reference)', {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
      Binding: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: 'r',
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' } },
        },
      },
      Perm: permission({ Principal: 'apigateway.amazonaws.com', SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/' } }),
    }, 'Resources.Binding.Properties.Integration.Uri', [[PERMISSION, 'Resources.Perm.Properties.FunctionName']]],
    ['a rule and a permission whose SourceArn is the rule\'s ARN', {
      Binding: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 't', Arn: FN_ARN }] } },
      Perm: permission({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['Binding', 'Arn'] } }),
    }, 'Resources.Binding.Properties.Targets[0].Arn', [[PERMISSION, 'Resources.Perm.Properties.FunctionName']]],
    ['a subscription and a permission for its topic', {
      Topic: { Type: 'AWS::SNS::Topic' },
      Binding: subscription({ Ref: 'Topic' }),
      Perm: permission({ Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'Topic' } }),
    }, 'Resources.Binding.Properties.Endpoint', [[PERMISSION, 'Resources.Perm.Properties.FunctionName']]],
    ['a binding that DependsOn the permission', {
      Binding: subscription('arn:aws:sns:us-east-1:123456789012:t', { DependsOn: ['Perm'] }),
      Perm: permission({ Principal: 'sns.amazonaws.com', SourceArn: 'arn:aws:sns:us-east-1:123456789012:other' }),
    }, 'Resources.Binding.Properties.Endpoint', [[PERMISSION, 'Resources.Perm.Properties.FunctionName']]],
    ['a state machine and the policy of its role (a grant)', {
      Role: STATE_MACHINE_ROLE,
      Binding: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
          DefinitionString: { 'Fn::Join': ['', ['{"StartAt":"I","States":{"I":{"Type":"Task","Resource":"', FN_ARN, '","End":true}}}']] },
        },
      },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: FN_ARN }] } },
      },
    }, 'Resources.Binding.Properties.DefinitionString', [[GRANT, 'Resources.Policy.Properties.PolicyDocument.Statement[0].Resource']]],
  ];

  test.each(CASES)('GIVEN %s WHEN checked THEN it is one finding listing the permission or grant', (_name, resources, bindingPath, related) => {
    // GIVEN
    const file = writeTemplate('t.json', plain(resources));

    // WHEN
    const { code, findings } = cliJson('check', file);

    // THEN
    expect(findings.map(shape)).toEqual([[BINDING, bindingPath, related]]);
    expect(code).toBe(1);
  });

  const APART: Array<[string, Record<string, unknown>]> = [
    ['a permission for another topic than the subscription\'s', {
      Topic: { Type: 'AWS::SNS::Topic' },
      Other: { Type: 'AWS::SNS::Topic' },
      Binding: subscription({ Ref: 'Topic' }),
      Perm: permission({ Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'Other' } }),
    }],
    ['a subscription and a permission naming the same topic by a literal ARN (nothing is referenced)', {
      Binding: subscription('arn:aws:sns:us-east-1:123456789012:t'),
      Perm: permission({ Principal: 'sns.amazonaws.com', SourceArn: 'arn:aws:sns:us-east-1:123456789012:t' }),
    }],
    ['two subscriptions to the topic the permission is for (either could have brought it)', {
      Topic: { Type: 'AWS::SNS::Topic' },
      Binding: subscription({ Ref: 'Topic' }),
      Binding2: subscription({ Ref: 'Topic' }),
      Perm: permission({ Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'Topic' } }),
    }],
    ['a permission without a SourceArn for another service than the binding\'s', {
      Binding: subscription('arn:aws:sns:us-east-1:123456789012:t'),
      Perm: permission({ Principal: 's3.amazonaws.com' }),
    }],
  ];

  test.each(APART)('GIVEN %s WHEN checked THEN the permission stays a finding of its own', (_name, resources) => {
    // GIVEN
    const file = writeTemplate('t.json', plain(resources));

    // WHEN
    const { findings } = cliJson('check', file);

    // THEN
    expect(findings.filter((f) => f.ruleId === PERMISSION).map(shape)).toEqual([[PERMISSION, 'Resources.Perm.Properties.FunctionName', []]]);
    expect(findings.flatMap((f) => f.relatedResources ?? [])).toEqual([]);
  });

  test('GIVEN two templates alike, each a subscription and a permission without SourceArn for SNS WHEN checked together THEN each permission joins the binding of its own template, not the other\'s', () => {
    // GIVEN: without SourceArn, only the service ties the permission; functions of different templates are told apart
    const t = () => plain({ Binding: subscription('arn:aws:sns:us-east-1:123456789012:t'), Perm: permission({ Principal: 'sns.amazonaws.com' }) });
    const a = writeTemplate('a.json', t());
    const b = writeTemplate('b.json', t());

    // WHEN
    const { findings } = cliJson('check', a, b);

    // THEN
    expect(findings.map((f) => [f.file, f.templatePath, f.relatedResources.map((r: any) => [r.file, r.templatePath])])).toEqual([
      [a, 'Resources.Binding.Properties.Endpoint', [[a, 'Resources.Perm.Properties.FunctionName']]],
      [b, 'Resources.Binding.Properties.Endpoint', [[b, 'Resources.Perm.Properties.FunctionName']]],
    ]);
  });
});

describe('suppressions and output formats of a group', () => {
  const REASON = 'the topic only carries the nightly job';
  const suppress = (ruleId: string) => ({ 'cdk-safe-lambda': { suppressions: [{ ruleId, reason: REASON }] } });
  const grouped = (bindingMetadata?: unknown, permissionMetadata?: unknown) => writeTemplate('t.json', plain({
    Topic: { Type: 'AWS::SNS::Topic' },
    Binding: subscription({ Ref: 'Topic' }, bindingMetadata ? { Metadata: bindingMetadata } : {}),
    Perm: { ...(permission({ Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'Topic' } }) as any), ...(permissionMetadata ? { Metadata: permissionMetadata } : {}) },
  }));

  test('GIVEN the binding suppressed WHEN checked THEN the group is one suppressed finding and the exit code is 0', () => {
    const { code, findings } = cliJson('check', grouped(suppress(BINDING)));

    expect(findings.map((f) => [...shape(f), f.suppressed, f.suppressionReason])).toEqual([
      [BINDING, 'Resources.Binding.Properties.Endpoint', [[PERMISSION, 'Resources.Perm.Properties.FunctionName']], true, REASON],
    ]);
    expect(code).toBe(0);
  });

  test('GIVEN only the permission suppressed WHEN checked THEN it stays a suppressed finding of its own and the binding fails alone', () => {
    const { code, findings } = cliJson('check', grouped(undefined, suppress(PERMISSION)));

    expect(findings.map((f) => [...shape(f), f.suppressed])).toEqual([
      [BINDING, 'Resources.Binding.Properties.Endpoint', [], false],
      [PERMISSION, 'Resources.Perm.Properties.FunctionName', [], true],
    ]);
    expect(code).toBe(1);
  });

  test('GIVEN a group WHEN checked as text THEN one line names the permission in the guard\'s words and the summary counts one error', () => {
    const { code, out } = cli('check', grouped());

    // One headline (issue #19), then the details, then the summary.
    const lines = out.split('\n');
    expect(lines.filter((l) => /^(error|warning): /.test(l))).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^error: \\[?${BINDING}\\]? `));
    expect(out).toContain(`; and the permissions its integration brought on the same function: Resources.Perm (Properties.FunctionName, ${PERMISSION}); the fix covers them too. Fix: `);
    expect(lines[lines.length - 1]).toBe('cdk-safe-lambda check: 1 error(s), 0 warning(s)');
    expect(code).toBe(1);
  });

  test('GIVEN a group WHEN checked as JSON THEN relatedResources says where the permission is', () => {
    const { findings } = cliJson('check', grouped());

    expect(findings).toHaveLength(1);
    expect(findings[0].relatedResources).toEqual([expect.objectContaining({
      ruleId: PERMISSION,
      level: 'error',
      logicalId: 'Perm',
      templatePath: 'Resources.Perm.Properties.FunctionName',
      propertyPath: 'Properties.FunctionName',
      resourcePath: 'Resources.Perm',
      suppressed: false,
    })]);
  });

  test('GIVEN a group WHEN checked as SARIF THEN the result has the permission as a related location', () => {
    const file = grouped();
    const results = JSON.parse(cli('check', file, '--format', 'sarif').out).runs[0].results;

    expect(results).toHaveLength(1);
    expect(results[0].relatedLocations).toEqual([{
      id: 0,
      message: { text: `Resources.Perm (Properties.FunctionName, ${PERMISSION}): the fix covers it too` },
      // issue #18: with the line and column of the permission's FunctionName (test/cli/sarif-regions.test.ts).
      physicalLocation: { artifactLocation: { uri: file.replace(/\\/g, '/') }, region: { startLine: expect.any(Number), startColumn: expect.any(Number) } },
      logicalLocations: [{ fullyQualifiedName: 't.json/Resources.Perm.Properties.FunctionName', kind: 'resource' }],
    }]);
  });
});
