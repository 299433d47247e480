import { cliJson, writeTemplate } from './cli-helpers';
import {
  ALIAS_ARN, aliasName, FN_ARN, GAP, HAZARD_CASES, mapping, permission, restApi, sdkCall, STALE, subscription, UNJUDGED, url, withFunction,
} from './diff-templates';

// issue #16 §7: each hazard of `diff`, positive and negative, on small templates written from the
// principle (what CloudFormation and Lambda do with the pair of templates).

function diff(before: unknown, after: unknown): { code: number; findings: any[] } {
  return cliJson('diff', writeTemplate('deployed.json', before), writeTemplate('next.json', after));
}

function rules(before: unknown, after: unknown): string[] {
  return diff(before, after).findings.map((f) => f.ruleId);
}


describe('diff reports each hazard where it exists, and only there', () => {
  test.each(HAZARD_CASES)('GIVEN %s WHEN diffed THEN exactly the hazards that exist are reported', (_label, before, after, expected) => {
    expect(rules(before, after)).toEqual(expected);
  });
});

describe('SAM as written', () => {
  const sam = (codeUri: string) => ({
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', CodeUri: codeUri } } },
  });

  test('GIVEN a local CodeUri WHEN diffed THEN diff says the code changes are invisible to it, instead of a silent 0', () => {
    const { findings, code } = diff(sam('./src'), sam('./src'));

    expect(findings.map((f) => [f.ruleId, f.level, f.templatePath])).toEqual([[UNJUDGED, 'warning', 'Resources.Fn.Properties.CodeUri']]);
    expect(findings[0].message).toMatch(/local path.*invisible/);
    expect(findings[0].message).toMatch(/Fix: diff the packaged templates/);
    expect(code).toBe(0);
  });

  test('GIVEN a packaged CodeUri (s3://) WHEN diffed THEN nothing is unjudged', () => {
    expect(rules(sam('s3://bucket/a.zip'), sam('s3://bucket/b.zip'))).toEqual([]);
  });
});

describe('macros', () => {
  test.each([
    ['a Transform other than SAM', { ...withFunction(), Transform: 'AWS::Include' }, 'Transform'],
    ['an inline Fn::Transform', withFunction({ Q: { Type: 'AWS::SQS::Queue', Properties: { 'Fn::Transform': { Name: 'Tagger' } } } }), 'Resources'],
  ])('GIVEN %s WHEN diffed THEN diff says what the macro generates is not judged', (_label, template, path) => {
    const { findings } = diff(template, template);

    expect(findings.map((f) => [f.ruleId, f.templatePath])).toEqual([[UNJUDGED, path]]);
    expect(findings[0].message).toMatch(/Fix: diff the processed templates/);
  });

  test('GIVEN SAM\'s transform WHEN diffed THEN it is read as written, and nothing is unjudged for it', () => {
    const template = { ...withFunction(), Transform: ['AWS::Serverless-2016-10-31'] };
    expect(rules(template, template)).toEqual([]);
  });
});

describe('suppressions of the new hazards', () => {
  const REASON = 'the handler deduplicates by message ID';
  const suppressedSub = (suppression: Record<string, unknown>) => withFunction({
    Sub: { ...subscription(ALIAS_ARN), Metadata: { 'cdk-safe-lambda': { suppressions: [{ ruleId: 'SafeLambda-OverlapReplacement', reason: REASON, ...suppression }] } } },
  });

  test.each([
    ['by rule ID on the subscription', {}, true],
    ['appliesTo naming the property path', { appliesTo: ['Properties.Endpoint'] }, true],
    ['appliesTo naming another path', { appliesTo: ['Properties.TopicArn'] }, false],
  ])('GIVEN the overlap suppressed %s WHEN diffed THEN it is reported, suppressed or not, as check does', (_how, suppression, isSuppressed) => {
    const { findings, code } = diff(withFunction({ Sub: subscription(FN_ARN) }), suppressedSub(suppression));

    expect(findings.map((f) => [f.ruleId, f.suppressed])).toEqual([['SafeLambda-OverlapReplacement', isSuppressed]]);
    expect(code).toBe(0);
  });
});

describe('the findings', () => {
  test('GIVEN any hazard WHEN reported as text THEN its first line fits a terminal and names the stack, the template path and the problem; the fix follows', () => {
    const cases: Array<[unknown, unknown]> = [
      [withFunction({ Url: url(FN_ARN) }), withFunction({ Url: url(FN_ARN, { Qualifier: 'live' }) })],
      [withFunction(restApi(FN_ARN)), withFunction(restApi(ALIAS_ARN))],
      [withFunction(sdkCall({ Ref: 'Fn' }, [FN_ARN])), withFunction(sdkCall({ Ref: 'Fn' }, [ALIAS_ARN]))],
      [withFunction(), withFunction({ Async: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: aliasName, Qualifier: '$LATEST' } } })],
      [withFunction({ Map: mapping({ Ref: 'Fn' }) }), withFunction({ LiveMap: mapping(ALIAS_ARN) })],
    ];
    for (const [before, after] of cases) {
      for (const f of diff(before, after).findings) {
        const [first, second, ...rest] = `${f.level}: ${f.message}`.split('\n');
        expect(first.length > 120 ? first : 120).toBe(120); // the line itself when too long
        expect(first).toMatch(new RegExp(`^${f.level}: \\[${f.ruleId}\\] next\\.json/${f.logicalId}: `));
        expect(second).toContain(`at ${f.templatePath} (`);
        expect(rest.join('\n')).toMatch(/\n {2}Fix: /);
      }
    }
  });

  test('GIVEN a stale REST deployment and a permission gap WHEN diffed THEN both are errors and the run fails', () => {
    const { code, findings } = diff(withFunction(restApi(FN_ARN)), withFunction({ ...restApi(ALIAS_ARN), ApiPermission: permission(FN_ARN, 'apigateway.amazonaws.com') }));

    expect(findings.map((f) => [f.ruleId, f.level, f.logicalId])).toEqual([[GAP, 'error', 'ApiGet'], [STALE, 'error', 'ApiDeploymentA']]);
    expect(code).toBe(1);
  });
});
