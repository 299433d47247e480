import * as fs from 'fs';
import { REPLACEMENT_SPEC_VERSION, replacementOf, replacingChanges } from '../../src/private/replacement';

// The replacement table is generated from @aws-cdk/aws-service-spec, a devDependency (issue #16 §7):
// regenerating it here from the installed spec must give the committed file byte for byte.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator = require('../../scripts/resource-spec-replacement.js');

describe('the committed replacement table', () => {
  test('equals the table generated from the installed @aws-cdk/aws-service-spec (run scripts/resource-spec-replacement.js to refresh it)', () => {
    const table = generator.replacementTable();
    const committed = fs.readFileSync(generator.OUTPUT, 'utf8');
    expect(committed).toEqual(generator.renderTable(table));
  });

  test('states the spec version it was generated from, the installed one', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(REPLACEMENT_SPEC_VERSION).toEqual(require('@aws-cdk/aws-service-spec/package.json').version);
  });

  test('stays small: only the paths that replace (under 160 kB)', () => {
    expect(fs.statSync(generator.OUTPUT).size).toBeLessThan(160_000);
  });
});

describe('replacementOf', () => {
  test.each([
    ['AWS::Lambda::Url', 'TargetFunctionArn', 'yes'],
    ['AWS::Lambda::Url', 'Qualifier', 'yes'],
    ['AWS::Lambda::Url', 'AuthType', 'no'],
    ['AWS::Lambda::Function', 'Code.S3Key', 'no'],
    ['AWS::Lambda::Function', 'FunctionName', 'yes'],
    ['AWS::Lambda::Permission', 'FunctionName', 'yes'],
    ['AWS::Lambda::EventSourceMapping', 'FunctionName', 'no'],
    ['AWS::Lambda::EventSourceMapping', 'EventSourceArn', 'yes'],
    ['AWS::Lambda::EventInvokeConfig', 'Qualifier', 'yes'],
    ['AWS::SNS::Subscription', 'Endpoint', 'yes'],
    ['AWS::Connect::IntegrationAssociation', 'IntegrationArn', 'yes'],
    ['AWS::ApiGateway::Method', 'Integration.Uri', 'no'],
    ['AWS::Events::Rule', 'Targets[0].Arn', 'no'],
    // nested: reached through the type tree
    ['AWS::Pipes::Pipe', 'SourceParameters.KinesisStreamParameters.StartingPosition', 'yes'],
    ['AWS::Pipes::Pipe', 'SourceParameters.KinesisStreamParameters.BatchSize', 'no'],
    ['AWS::Pipes::Pipe', 'Target', 'no'],
    // additionalReplacementProperties: replacing paths the type tree cannot express
    ['AWS::EFS::AccessPoint', 'CreationInfo.OwnerUid', 'yes'],
    ['AWS::EventsV2::Subscriber', 'InvokeConfiguration.TargetArn', 'yes'],
    // a path above a replacing one answers for what lies below it
    ['AWS::Pipes::Pipe', 'SourceParameters', 'yes'],
    // CloudFormation refuses a new service token rather than replacing the resource
    ['AWS::CloudFormation::CustomResource', 'ServiceToken', 'refused'],
    ['Custom::S3BucketNotifications', 'ServiceToken', 'refused'],
    ['Custom::S3BucketNotifications', 'NotificationConfiguration', 'no'],
  ])('%s %s → %s', (type, path, verdict) => {
    expect(replacementOf(type, path)).toEqual(verdict);
  });

  test("a 'maybe' of the spec is a possible replacement", () => {
    // EC2 instances' conditional updates are the spec's 'maybe' (legacy UpdateType: Conditional)
    expect(replacementOf('AWS::EC2::Instance', 'InstanceType')).toEqual('maybe');
  });

  test('a type the spec does not know is undefined, not an in-place update', () => {
    expect(replacementOf('AWS::Nothing::Here', 'Name')).toBeUndefined();
    expect(replacementOf('NotAType', 'Name')).toBeUndefined();
  });
});

describe('replacingChanges', () => {
  test('names the concrete path of a nested replacing change, and nothing for an in-place one', () => {
    const before = { Source: 's', SourceParameters: { KinesisStreamParameters: { StartingPosition: 'LATEST', BatchSize: 1 } } };
    const moved = { Source: 's', SourceParameters: { KinesisStreamParameters: { StartingPosition: 'TRIM_HORIZON', BatchSize: 1 } } };
    const resized = { Source: 's', SourceParameters: { KinesisStreamParameters: { StartingPosition: 'LATEST', BatchSize: 5 } } };
    expect(replacingChanges('AWS::Pipes::Pipe', before, moved)).toEqual([
      { path: 'SourceParameters.KinesisStreamParameters.StartingPosition', verdict: 'yes' },
    ]);
    expect(replacingChanges('AWS::Pipes::Pipe', before, resized)).toEqual([]);
  });

  test('a replacing property added or removed is a change', () => {
    expect(replacingChanges('AWS::Lambda::Url', { TargetFunctionArn: 'a' }, { TargetFunctionArn: 'a', Qualifier: 'live' }))
      .toEqual([{ path: 'Qualifier', verdict: 'yes' }]);
  });

  test('a number and its string are the same value, as CloudFormation compares', () => {
    expect(replacingChanges('AWS::Lambda::Version', { FunctionName: 'f', Description: 1 }, { FunctionName: 'f', Description: '1' })).toEqual([]);
  });

  test('is undefined for a type the spec does not know', () => {
    expect(replacingChanges('AWS::Nothing::Here', {}, { A: 1 })).toBeUndefined();
  });
});
