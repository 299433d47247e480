import { execFileSync } from 'child_process';
import * as path from 'path';
import { cliJson, writeTemplate } from './cli-helpers';
import { GuardRules } from '../../src/guard/guard-rules';

/*
 * issue #18 §4: SAM as written = SAM as translated. Each shape is checked as written and as samtranslator
 * (the Python package `sam deploy` and cfn-lint use) translates it; the findings agree: rule IDs,
 * functions, counts.
 */

const FN = { Handler: 'index.handler', Runtime: 'nodejs22.x', InlineCode: 'x' };
const OTHER = { Other: { Type: 'AWS::Serverless::Function', Properties: FN } };
const SECRET = [{ Type: 'BASIC_AUTH', URI: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' }];

/** A SAM template whose function `Fn` has `properties` (and `extra` resources, `globals`). */
function sam(properties: Record<string, unknown>, extra: Record<string, unknown> = {}, globals?: unknown): any {
  return {
    Transform: 'AWS::Serverless-2016-10-31',
    ...(globals ? { Globals: { Function: globals } } : {}),
    Resources: { ...extra, Fn: { Type: 'AWS::Serverless::Function', Properties: { ...FN, ...properties } } },
  };
}

const event = (e: unknown, extra: Record<string, unknown> = {}) => (alias: boolean) => sam({ Events: { E: e }, ...(alias ? { AutoPublishAlias: 'live' } : {}) }, extra);

/**
 * The public permissions SAM writes for a function URL with `AuthType: NONE` (`Principal: '*'`): on the
 * translated template nothing ties them to the URL (no SourceArn, no service principal), so each stays a
 * finding of its own there; as written they are the URL's one finding.
 */
const URL_PERMISSIONS = ['error SafeLambda-LatestPermission Fn', 'error SafeLambda-LatestPermission Fn'];

/** Each shape, without and with AutoPublishAlias on what it invokes (and what only the translated form reports apart). */
const SHAPES: Array<[string, (alias: boolean) => any, string[]?]> = [
  ['an Api event', event({ Type: 'Api', Properties: { Path: '/', Method: 'get' } })],
  ['an HttpApi event', event({ Type: 'HttpApi' })],
  ['an S3 event', event({ Type: 'S3', Properties: { Bucket: { Ref: 'Bucket' }, Events: 's3:ObjectCreated:*' } }, { Bucket: { Type: 'AWS::S3::Bucket' } })],
  ['an SNS event on a topic of the template', event({ Type: 'SNS', Properties: { Topic: { Ref: 'Topic' } } }, { Topic: { Type: 'AWS::SNS::Topic' } })],
  ['an SQS event', event({ Type: 'SQS', Properties: { Queue: 'arn:aws:sqs:us-east-1:123456789012:q' } })],
  ['a Kinesis event', event({ Type: 'Kinesis', Properties: { Stream: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', StartingPosition: 'LATEST' } })],
  ['a DynamoDB event', event({ Type: 'DynamoDB', Properties: { Stream: 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x', StartingPosition: 'LATEST' } })],
  ['an MSK event', event({ Type: 'MSK', Properties: { Stream: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/x', Topics: ['t'], StartingPosition: 'LATEST' } })],
  ['an MQ event', event({ Type: 'MQ', Properties: { Broker: 'arn:aws:mq:us-east-1:123456789012:broker:b:x', Queues: ['q'], SourceAccessConfigurations: SECRET } })],
  ['a SelfManagedKafka event', event({ Type: 'SelfManagedKafka', Properties: { KafkaBootstrapServers: ['b:9092'], Topics: ['t'], SourceAccessConfigurations: SECRET } })],
  ['a DocumentDB event', event({ Type: 'DocumentDB', Properties: { Cluster: 'arn:aws:rds:us-east-1:123456789012:cluster:c', DatabaseName: 'd', CollectionName: 'c', SourceAccessConfigurations: SECRET } })],
  ['a Schedule event', event({ Type: 'Schedule', Properties: { Schedule: 'rate(1 hour)' } })],
  ['a ScheduleV2 event', event({ Type: 'ScheduleV2', Properties: { ScheduleExpression: 'rate(1 hour)' } })],
  ['a CloudWatchEvent event', event({ Type: 'CloudWatchEvent', Properties: { Pattern: { source: ['x'] } } })],
  ['an EventBridgeRule event', event({ Type: 'EventBridgeRule', Properties: { Pattern: { source: ['x'] } } })],
  ['a CloudWatchLogs event', event({ Type: 'CloudWatchLogs', Properties: { LogGroupName: 'g', FilterPattern: '' } })],
  ['an IoTRule event', event({ Type: 'IoTRule', Properties: { Sql: "SELECT * FROM 'x'" } })],
  ['an AlexaSkill event (a permission only)', event({ Type: 'AlexaSkill', Properties: { SkillId: 'amzn1.ask.skill.x' } })],
  ['a Cognito event', event({ Type: 'Cognito', Properties: { UserPool: { Ref: 'Pool' }, Trigger: 'PreSignUp' } }, { Pool: { Type: 'AWS::Cognito::UserPool' } })],
  ['a public FunctionUrlConfig', (alias) => sam({ FunctionUrlConfig: { AuthType: 'NONE' }, ...(alias ? { AutoPublishAlias: 'live' } : {}) }), URL_PERMISSIONS],
  ['an IAM-authorized FunctionUrlConfig', (alias) => sam({ FunctionUrlConfig: { AuthType: 'AWS_IAM' }, ...(alias ? { AutoPublishAlias: 'live' } : {}) })],
  ['a FunctionUrlConfig and AutoPublishAlias in Globals', (alias) => sam({}, {}, { FunctionUrlConfig: { AuthType: 'NONE' }, ...(alias ? { AutoPublishAlias: 'live' } : {}) }), URL_PERMISSIONS],
  ['an EventInvokeConfig Lambda destination', (alias) => sam({
    ...(alias ? { AutoPublishAlias: 'live' } : {}),
    EventInvokeConfig: { DestinationConfig: { OnSuccess: { Type: 'Lambda', Destination: alias ? { Ref: 'Other.Alias' } : { 'Fn::GetAtt': ['Other', 'Arn'] } } } },
  }, alias ? { Other: { Type: 'AWS::Serverless::Function', Properties: { ...FN, AutoPublishAlias: 'live' } } } : OTHER)],
  ['an EventInvokeConfig (with an SQS destination) in Globals', (alias) => sam({}, {}, {
    ...(alias ? { AutoPublishAlias: 'live' } : {}),
    EventInvokeConfig: { MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Type: 'SQS', Destination: 'arn:aws:sqs:us-east-1:123456789012:q' } } },
  })],
  ['a LambdaInvokePolicy policy template (it grants function:<name>*)', (alias) => sam({ Policies: alias ? ['AWSLambdaBasicExecutionRole'] : [{ LambdaInvokePolicy: { FunctionName: { Ref: 'Other' } } }] }, OTHER)],
  ['an inline policy statement', (alias) => sam({
    Policies: [{ Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: alias ? { Ref: 'Other.Alias' } : { 'Fn::GetAtt': ['Other', 'Arn'] } }] }],
  }, { Other: { Type: 'AWS::Serverless::Function', Properties: { ...FN, AutoPublishAlias: 'live' } } })],
  ['a state machine with a LambdaInvokePolicy', (alias) => ({
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      ...OTHER,
      Machine: { Type: 'AWS::Serverless::StateMachine', Properties: { Definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, Policies: alias ? [] : [{ LambdaInvokePolicy: { FunctionName: { Ref: 'Other' } } }] } },
    },
  })],
];

/** Every template translated by samtranslator, in one Python process. */
function translateAll(templates: unknown[]): any[] {
  const script = path.join(__dirname, 'fixtures', 'sam-translate-many.py');
  return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(templates), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

/** What the comparison reads: the active findings' levels, rule IDs and functions, sorted (their count with them). */
function findingsOf(template: unknown): string[] {
  return cliJson('check', writeTemplate('template.json', template)).findings
    .filter((f) => !f.suppressed)
    .map((f) => `${f.level} ${f.ruleId} ${f.functionId}`)
    .sort();
}

describe('SAM as written = SAM as translated', () => {
  const written = SHAPES.flatMap(([, make]) => [make(false), make(true)]);
  let translated: any[] = [];
  beforeAll(() => {
    translated = translateAll(written);
  });

  test.each(SHAPES.map(([label, , apart], i) => [label, i, apart ?? []] as const))('GIVEN %s WHEN checked as written and as translated THEN the same findings, and none once what it invokes is an alias', (_label, i, apart) => {
    // GIVEN
    const [unsafe, safe] = [written[2 * i], written[2 * i + 1]];
    const [unsafeTranslated, safeTranslated] = [translated[2 * i], translated[2 * i + 1]];
    expect(unsafeTranslated.error ?? safeTranslated.error).toBeUndefined();

    // WHEN
    const asWritten = findingsOf(unsafe);
    const asTranslated = findingsOf(unsafeTranslated);

    // THEN
    expect([...asWritten, ...apart].sort()).toEqual(asTranslated);
    expect(asWritten.length).toBeGreaterThan(0);
    expect(findingsOf(safe)).toEqual(findingsOf(safeTranslated));
    expect(findingsOf(safe)).toEqual([]);
  });

  test('GIVEN an EventInvokeConfig Lambda destination WHEN checked as written THEN it is reported where it is written', () => {
    const template = SHAPES.find(([label]) => label.startsWith('an EventInvokeConfig Lambda'))![1](false);

    const { findings } = cliJson('check', writeTemplate('template.json', template));

    expect(findings.map((f) => [f.ruleId, f.templatePath, f.functionId]).sort()).toEqual([
      [GuardRules.LATEST_BINDING, 'Resources.Fn.Properties.EventInvokeConfig', 'Fn'],
      [GuardRules.LATEST_BINDING, 'Resources.Fn.Properties.EventInvokeConfig.DestinationConfig.OnSuccess.Destination', 'Other'],
    ]);
  });

  test('GIVEN a LambdaInvokePolicy WHEN checked as written THEN the grant is reported at the policy template\'s FunctionName', () => {
    const template = SHAPES.find(([label]) => label.startsWith('a LambdaInvokePolicy'))![1](false);

    const { findings } = cliJson('check', writeTemplate('template.json', template));

    expect(findings.map((f) => [f.ruleId, f.templatePath, f.functionId])).toEqual([
      [GuardRules.LATEST_GRANT, 'Resources.Fn.Properties.Policies[0].LambdaInvokePolicy.FunctionName', 'Other'],
    ]);
  });
});
