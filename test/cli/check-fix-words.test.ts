import { cliJson, writeTemplate } from './cli-helpers';

// issue #18 §5: the fix is given for the tool that produced the template.
const BINDING_TEMPLATE = (extra: Record<string, unknown> = {}, functionType = 'AWS::Lambda::Function') => ({
  ...extra,
  Resources: {
    ...(extra.Resources as object ?? {}),
    Fn: { Type: functionType, Properties: functionType === 'AWS::Lambda::Function' ? { Role: 'r', Code: { ZipFile: 'x' }, Runtime: 'nodejs20.x', Handler: 'i.h' } : { InlineCode: 'x', Runtime: 'nodejs20.x', Handler: 'i.h' } },
    Binding: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Endpoint: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
  },
});

describe('the fix speaks the words of the tool that wrote the template', () => {
  test.each([
    ['plain CloudFormation', BINDING_TEMPLATE(), 't.json', /Fix: reference an AWS::Lambda::Alias/, /— fix: bind an alias or version$/],
    ['SAM as written', BINDING_TEMPLATE({ Transform: 'AWS::Serverless-2016-10-31' }, 'AWS::Serverless::Function'), 't.json', /Fix: set `AutoPublishAlias: live` on Fn/, /— fix: AutoPublishAlias, Fn\.Alias$/],
    ['SAM translated (lambda:createdBy tag)', BINDING_TEMPLATE({ Resources: { Other: { Type: 'AWS::Lambda::Function', Properties: { Tags: [{ Key: 'lambda:createdBy', Value: 'SAM' }] } } } }), 't.json', /Fix: set `AutoPublishAlias: live` on Fn/, /AutoPublishAlias/],
    ['a Serverless Framework package', BINDING_TEMPLATE({ Resources: { ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket' } } }), 'cloudformation-template-update-stack.json', /in serverless\.yml, never in the generated \.serverless\/\*\.json/, /— fix: an alias, in serverless\.yml$/],
  ])('%s: the fix and the headline name its setting', (_tool, template, name, fix, headline) => {
    const file = writeTemplate(name, template);

    const findings = cliJson('check', file).findings.filter((f: any) => f.logicalId === 'Binding');

    expect(findings).toHaveLength(1);
    const [first, details] = findings[0].message.split('\n');
    expect(first.length).toBeLessThanOrEqual(120);
    expect(first).toMatch(headline);
    expect(details).toMatch(fix);
    if ((template.Resources as Record<string, unknown>).ServerlessDeploymentBucket) {
      expect(details).toMatch(/suppress it with a reason in serverless\.yml, under resources\.Resources\.Binding\.Metadata/);
    } else {
      expect(details).not.toMatch(/\.serverless/);
    }
  });
});
