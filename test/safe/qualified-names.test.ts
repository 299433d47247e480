import * as path from 'path';
import { Annotations as CoreAnnotations, App, CfnOutput, CfnParameter, CfnResource, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { newBundlingFreeStack } from './kinds';
import { SafeAlias, SafeDockerImageFunction, SafeFunction, SafeFunctionBase, SafeFunctionWarnings, SafeNodejsFunction } from '../../src';
import { INTEGRATION_CASES } from '../fixtures/integrations';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

const ID = SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME;
const QUALIFIED = 'which is qualified';

/** A metric of Lambda's, built by hand as code written for a plain function does. */
function lambdaMetric(functionName: string, extra: Record<string, string> = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensionsMap: { FunctionName: functionName, ...extra } });
}

function alarm(stack: Stack, metric: cloudwatch.IMetric, props: Partial<cloudwatch.AlarmProps> = {}): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, 'Alarm', { metric, threshold: 1, evaluationPeriods: 1, ...props });
}

function dashboard(stack: Stack, ...widgets: cloudwatch.IWidget[]): cloudwatch.Dashboard {
  const dash = new cloudwatch.Dashboard(stack, 'Dash');
  dash.addWidgets(...widgets);
  return dash;
}

/** A log group of that name, as `fromLogGroupName` imports it. */
function logGroupNamed(stack: Stack, name: string): logs.ILogGroup {
  return logs.LogGroup.fromLogGroupName(stack, 'Imported', name);
}

interface WarningCase {
  readonly use: (stack: Stack, fn: SafeFunction) => void;
  /** The construct path the warning is on. */
  readonly on: string;
  /** What the message says of the place: `AWS::...::... property <path>, <place>`. */
  readonly where: string;
  /** How many warnings synthesis gives in all, when the name lands in more than one place. @default 1 */
  readonly warnings?: number;
}

const DIMENSION = 'a metric\'s FunctionName dimension';
const LOG_GROUP = 'a log group name or ARN';
const NAME = 'a name';

const WARNING_CASES: Array<[string, WarningCase]> = [
  // Dashboards: the body is one JSON string (Fn::Join); widgets' metrics are rows [namespace, name, dim, value...].
  ['a dashboard graph of a hand-built Lambda metric', {
    use: (stack, fn) => dashboard(stack, new cloudwatch.GraphWidget({ left: [lambdaMetric(fn.functionName)] })),
    on: 'Dash/Resource',
    where: `AWS::CloudWatch::Dashboard property Properties.DashboardBody, ${DIMENSION}`,
  }],
  ['a dashboard single value widget in a row, next to a correct metric', {
    use: (stack, fn) => dashboard(stack, new cloudwatch.Row(new cloudwatch.SingleValueWidget({
      metrics: [fn.metricInvocations(), lambdaMetric(fn.functionName)],
    }))),
    on: 'Dash/Resource',
    where: `AWS::CloudWatch::Dashboard property Properties.DashboardBody, ${DIMENSION}`,
  }],
  ['a dashboard log query widget on /aws/lambda/${functionName}', {
    use: (stack, fn) => dashboard(stack, new cloudwatch.LogQueryWidget({ logGroupNames: [`/aws/lambda/${fn.functionName}`], queryString: 'fields @message' })),
    on: 'Dash/Resource',
    where: `AWS::CloudWatch::Dashboard property Properties.DashboardBody, ${LOG_GROUP}`,
  }],
  ['an L1 dashboard whose body is built with toJsonString', {
    use: (stack, fn) => new cloudwatch.CfnDashboard(stack, 'Dash', {
      dashboardBody: stack.toJsonString({ widgets: [{ type: 'metric', properties: { metrics: [['AWS/Lambda', 'Errors', 'FunctionName', fn.functionName]] } }] }),
    }),
    on: 'Dash',
    where: `AWS::CloudWatch::Dashboard property Properties.DashboardBody, ${DIMENSION}`,
  }],
  // Metric dimensions anywhere.
  ['an alarm on a hand-built Lambda metric', {
    use: (stack, fn) => alarm(stack, lambdaMetric(fn.functionName)),
    on: 'Alarm/Resource',
    where: `AWS::CloudWatch::Alarm property Properties.Dimensions[0].Value, ${DIMENSION}`,
  }],
  ['an alarm on metric math over a hand-built Lambda metric', {
    use: (stack, fn) => alarm(stack, new cloudwatch.MathExpression({
      expression: 'e / i', usingMetrics: { e: lambdaMetric(fn.functionName), i: fn.metricInvocations() },
    })),
    on: 'Alarm/Resource',
    where: `AWS::CloudWatch::Alarm property Properties.Metrics[1].MetricStat.Metric.Dimensions[0].Value, ${DIMENSION}`,
  }],
  ['an L1 anomaly detector', {
    use: (stack, fn) => new cloudwatch.CfnAnomalyDetector(stack, 'Detector', {
      namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'Average', dimensions: [{ name: 'FunctionName', value: fn.functionName }],
    }),
    on: 'Detector',
    where: `AWS::CloudWatch::AnomalyDetector property Properties.Dimensions[0].Value, ${DIMENSION}`,
  }],
  ['an L1 anomaly detector on a single metric, the name in Fn::Join', {
    use: (stack, fn) => new cloudwatch.CfnAnomalyDetector(stack, 'Detector', {
      singleMetricAnomalyDetector: {
        namespace: 'AWS/Lambda',
        metricName: 'Duration',
        stat: 'Average',
        dimensions: [{ name: 'Resource', value: fn.functionName }, { name: 'FunctionName', value: Fn.join('', [fn.functionName]) }],
      },
    }),
    on: 'Detector',
    where: `AWS::CloudWatch::AnomalyDetector property Properties.SingleMetricAnomalyDetector.Dimensions[1].Value, ${DIMENSION}`,
  }],
  // Log group names and ARNs anywhere.
  ['a log group named /aws/lambda/${functionName}', {
    use: (stack, fn) => new logs.LogGroup(stack, 'Logs', { logGroupName: `/aws/lambda/${fn.functionName}` }),
    on: 'Logs/Resource',
    where: `AWS::Logs::LogGroup property Properties.LogGroupName, ${LOG_GROUP}`,
  }],
  ['a subscription filter on the imported log group', {
    use: (stack, fn) => new logs.SubscriptionFilter(stack, 'Sub', {
      logGroup: logGroupNamed(stack, `/aws/lambda/${fn.functionName}`),
      destination: new logsDestinations.LambdaDestination(new lambda.Function(stack, 'Shipper', plainFunctionProps())),
      filterPattern: logs.FilterPattern.allEvents(),
    }),
    // And the permission it adds for CloudWatch Logs, whose SourceArn is that log group's ARN.
    on: 'Sub/Resource',
    where: `AWS::Logs::SubscriptionFilter property Properties.LogGroupName, ${LOG_GROUP}`,
    warnings: 2,
  }],
  ['an L1 metric filter, the name in Fn::Sub', {
    use: (stack, fn) => new logs.CfnMetricFilter(stack, 'Filter', {
      logGroupName: Fn.sub('/aws/lambda/${Name}', { Name: fn.functionName }),
      filterPattern: 'ERROR',
      metricTransformations: [{ metricNamespace: 'App', metricName: 'Errors', metricValue: '1' }],
    }),
    on: 'Filter',
    where: `AWS::Logs::MetricFilter property Properties.LogGroupName, ${LOG_GROUP}`,
  }],
  ['a Logs Insights query definition, the log group second in the list', {
    use: (stack, fn) => new logs.QueryDefinition(stack, 'Query', {
      queryDefinitionName: 'errors',
      queryString: new logs.QueryString({ filterStatements: ['@message like /ERROR/'] }),
      logGroups: [logs.LogGroup.fromLogGroupName(stack, 'Other', 'other'), logGroupNamed(stack, `/aws/lambda/${fn.functionName}`)],
    }),
    on: 'Query/Resource',
    where: `AWS::Logs::QueryDefinition property Properties.LogGroupNames[1], ${LOG_GROUP}`,
  }],
  ['a Firehose stream logging to a log group named after the function', {
    use: (stack, fn) => new firehose.CfnDeliveryStream(stack, 'Stream', {
      extendedS3DestinationConfiguration: {
        bucketArn: 'arn:aws:s3:::logs',
        roleArn: 'arn:aws:iam::123456789012:role/firehose',
        cloudWatchLoggingOptions: { enabled: true, logGroupName: `/aws/kinesisfirehose/${fn.functionName}`, logStreamName: 'S3Delivery' },
      },
    }),
    on: 'Stream',
    where: `AWS::KinesisFirehose::DeliveryStream property Properties.ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions.LogGroupName, ${LOG_GROUP}`,
  }],
  ['a data protection policy auditing to the function\'s log group', {
    use: (stack, fn) => new logs.LogGroup(stack, 'Logs', {
      dataProtectionPolicy: new logs.DataProtectionPolicy({
        identifiers: [logs.DataIdentifier.EMAILADDRESS], logGroupAuditDestination: logGroupNamed(stack, `/aws/lambda/${fn.functionName}`),
      }),
    }),
    on: 'Logs/Resource',
    where: `AWS::Logs::LogGroup property Properties.DataProtectionPolicy.Statement[0].Operation.Audit.FindingsDestination.CloudWatchLogs.LogGroup, ${LOG_GROUP}`,
  }],
  ['an IAM statement on the log group ARN, in a list of resources', {
    use: (stack, fn) => new iam.Policy(stack, 'Read', {
      roles: [new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() })],
      statements: [new iam.PolicyStatement({
        actions: ['logs:GetLogEvents'],
        resources: ['arn:aws:logs:*:*:log-group:/other:*', `arn:aws:logs:*:*:log-group:/aws/lambda/${fn.functionName}:*`],
      })],
    }),
    on: 'Read/Resource',
    where: `AWS::IAM::Policy property Properties.PolicyDocument.Statement[0].Resource[1], ${LOG_GROUP}`,
  }],
  // Name-shaped properties of resources that do not invoke the function.
  ['a queue named after the function', {
    use: (stack, fn) => new sqs.Queue(stack, 'Dlq', { queueName: `${fn.functionName}-dlq` }),
    on: 'Dlq/Resource',
    where: `AWS::SQS::Queue property Properties.QueueName, ${NAME}`,
  }],
  ['a topic named after the function', {
    use: (stack, fn) => new sns.Topic(stack, 'Topic', { topicName: fn.functionName }),
    on: 'Topic/Resource',
    where: `AWS::SNS::Topic property Properties.TopicName, ${NAME}`,
  }],
  ['a rule named after the function', {
    use: (stack, fn) => new events.Rule(stack, 'Rule', { ruleName: `${fn.functionName}-nightly`, schedule: events.Schedule.cron({ hour: '3' }) }),
    on: 'Rule/Resource',
    where: `AWS::Events::Rule property Properties.Name, ${NAME}`,
  }],
  ['a role named after the function', {
    use: (stack, fn) => new iam.Role(stack, 'Role', { roleName: `${fn.functionName}-ops`, assumedBy: new iam.AccountRootPrincipal() }),
    on: 'Role/Resource',
    where: `AWS::IAM::Role property Properties.RoleName, ${NAME}`,
  }],
  ['an alarm named after the function', {
    use: (stack, fn) => alarm(stack, fn.metricErrors(), { alarmName: `${fn.functionName}-errors` }),
    on: 'Alarm/Resource',
    where: `AWS::CloudWatch::Alarm property Properties.AlarmName, ${NAME}`,
  }],
  ['an SSM parameter named after the function', {
    use: (stack, fn) => new ssm.CfnParameter(stack, 'Param', { name: `/functions/${fn.functionName}`, type: 'String', value: 'x' }),
    on: 'Param',
    where: `AWS::SSM::Parameter property Properties.Name, ${NAME}`,
  }],
  ['a name in a list of a raw CfnResource', {
    use: (stack, fn) => new CfnResource(stack, 'Raw', { type: 'AWS::IoT::ThingGroup', properties: { Things: [{ Id: 'a' }, { ThingName: fn.functionName }] } }),
    on: 'Raw',
    where: `AWS::IoT::ThingGroup property Properties.Things[1].ThingName, ${NAME}`,
  }],
  // Outputs.
  ['a stack output of functionName', {
    use: (stack, fn) => new CfnOutput(stack, 'Name', { value: fn.functionName }),
    on: 'Name',
    where: 'the output value',
  }],
  ['a stack output that joins functionName', {
    use: (stack, fn) => new CfnOutput(stack, 'Name', { value: Fn.join(',', ['orders', fn.functionName]) }),
    on: 'Name',
    where: 'the output value',
  }],
  ['an export named after the function', {
    use: (stack, fn) => new CfnOutput(stack, 'Arn', { value: fn.functionArn, exportName: `${fn.functionName}-arn` }),
    on: 'Arn',
    where: 'the export name',
  }],
  // Tokens that resolve to the qualified name.
  ['a log group name behind a Lazy', {
    use: (stack, fn) => new logs.CfnLogGroup(stack, 'Logs', { logGroupName: Lazy.string({ produce: () => `/aws/lambda/${fn.functionName}` }) }),
    on: 'Logs',
    where: `AWS::Logs::LogGroup property Properties.LogGroupName, ${LOG_GROUP}`,
  }],
  ['a log group name set with a property override', {
    use: (stack, fn) => (new logs.LogGroup(stack, 'Logs').node.defaultChild as CfnResource).addPropertyOverride('LogGroupName', `/aws/lambda/${fn.functionName}`),
    on: 'Logs/Resource',
    where: `AWS::Logs::LogGroup property Properties.LogGroupName, ${LOG_GROUP}`,
  }],
];

describe('qualified names where a bare name is wanted', () => {
  test.each(WARNING_CASES)('GIVEN a SafeFunction WHEN %s THEN synthesis warns where, why and with the fix', (_name, c) => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new SafeFunction(stack, 'Fn', plainFunctionProps());

    // WHEN
    c.use(stack, fn);

    // THEN
    const where = c.where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    Annotations.fromStack(stack).hasWarning(`/Default/${c.on}`, Match.stringLikeRegexp(
      `^Default/${c.on}: ${where},? holds the functionName of Default/Fn, ${QUALIFIED} \\(\`name:live\`\\): .+\\. `
      + `Fix: use \`\\.function\\.functionName\` of Default/Fn.*${ID}`));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(QUALIFIED))).toHaveLength(c.warnings ?? 1);
  });

  test('GIVEN a hand-built metric on a dashboard and an alarm WHEN synthesized THEN the fix names the metric helpers', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new SafeFunction(stack, 'Fn', plainFunctionProps());

    // WHEN
    alarm(stack, lambdaMetric(fn.functionName));

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Alarm/Resource', Match.stringLikeRegexp(
      'Lambda publishes its metrics under FunctionName=<bare name>.*matches no data.*metric helpers \\(`metricErrors\\(\\)`'));
  });

  test('GIVEN a log group named after the function WHEN synthesized THEN the fix names its log group', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new SafeFunction(stack, 'Fn', plainFunctionProps());

    // WHEN
    new logs.LogGroup(stack, 'Logs', { logGroupName: `/aws/lambda/${fn.functionName}` });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Logs/Resource', Match.stringLikeRegexp(
      'a colon is not allowed in a log group name.*or `\\.function\\.logGroup` for its log group'));
  });

  const FINE_CASES: Array<[string, (stack: Stack, fn: SafeFunction) => void]> = [
    ['aws-cdk-lib\'s own alias metrics on a dashboard and in alarms', (stack, fn) => {
      dashboard(stack, new cloudwatch.GraphWidget({ left: [fn.metricErrors(), fn.metricInvocations(), fn.metric('Throttles')] }),
        new cloudwatch.AlarmWidget({ alarm: fn.metricDuration().createAlarm(stack, 'Slow', { threshold: 1000, evaluationPeriods: 1 }) }));
      fn.metricErrors().createAlarm(stack, 'Errors', { threshold: 1, evaluationPeriods: 1 });
    }],
    ['a hand-built per-alias metric: FunctionName bare, Resource qualified', (stack, fn) => {
      alarm(stack, lambdaMetric(fn.function.functionName, { Resource: fn.functionName }));
      new cloudwatch.CfnAnomalyDetector(stack, 'Detector', {
        namespace: 'AWS/Lambda', metricName: 'Duration', stat: 'Average', dimensions: [{ name: 'Resource', value: fn.functionName }],
      });
    }],
    ['the qualified name in free text: a dashboard title, markdown and label, descriptions, tags', (stack, fn) => {
      dashboard(stack, new cloudwatch.TextWidget({ markdown: `# ${fn.functionName}` }),
        new cloudwatch.GraphWidget({ title: `Errors of ${fn.functionName}`, left: [fn.metricErrors({ label: fn.functionName })] }));
      alarm(stack, fn.metricErrors(), { alarmDescription: `errors of /aws/lambda/${fn.functionName}` });
      const queue = new sqs.Queue(stack, 'Queue');
      queue.node.addMetadata('fn', fn.functionName);
      new ssm.StringParameter(stack, 'Param', { description: `name of ${fn.functionName}`, stringValue: 'x' });
      new sns.Topic(stack, 'Topic', { displayName: 'orders' }).node.defaultChild;
      (queue.node.defaultChild as sqs.CfnQueue).tags.setTag('function', fn.functionName);
    }],
    ['invocation properties: a permission, an event source mapping, an L1 permission, a Step Functions task, alias auto scaling', (stack, fn) => {
      fn.addPermission('Invoke', { principal: new iam.ServicePrincipal('events.amazonaws.com') });
      fn.addEventSource(new eventSources.SqsEventSource(new sqs.Queue(stack, 'Queue')));
      new lambda.CfnPermission(stack, 'Permission', { action: 'lambda:InvokeFunction', functionName: fn.functionName, principal: 's3.amazonaws.com' });
      new lambda.EventSourceMapping(stack, 'Mapping', { target: fn, eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' });
      new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Call', { lambdaFunction: fn })) });
      fn.live.addAutoScaling({ maxCapacity: 5 }).scaleOnUtilization({ utilizationTarget: 0.5 }); // ResourceId function:<name>:live
    }],
    ['values that are not names: an environment variable, an SSM parameter value, the alias ARN in an output', (stack, fn) => {
      new lambda.Function(stack, 'Caller', { ...plainFunctionProps(), environment: { TARGET_NAME: fn.functionName, targetName: fn.functionName } });
      new ssm.StringParameter(stack, 'Param', { stringValue: fn.functionName });
      new CfnOutput(stack, 'Arn', { value: fn.functionArn, description: `the ARN of ${fn.functionName}` });
    }],
    ['.function.functionName and .function.logGroup everywhere', (stack, fn) => {
      const bare = fn.function.functionName;
      new logs.LogGroup(stack, 'Logs', { logGroupName: `/aws/lambda-insights/${bare}` });
      new logs.QueryDefinition(stack, 'Query', {
        queryDefinitionName: 'errors', queryString: new logs.QueryString({ filterStatements: ['@message like /ERROR/'] }), logGroups: [fn.function.logGroup],
      });
      dashboard(stack, new cloudwatch.GraphWidget({ left: [lambdaMetric(bare)] }), new cloudwatch.LogQueryWidget({ logGroupNames: [`/aws/lambda/${bare}`], queryString: 'fields @message' }));
      alarm(stack, lambdaMetric(bare), { alarmName: `${bare}-errors` });
      new sqs.Queue(stack, 'Dlq', { queueName: `${bare}-dlq` });
      new CfnOutput(stack, 'Name', { value: bare, exportName: `${bare}-name` });
    }],
    ['the bare name cut out of the alias ARN, and the qualifier', (stack, fn) => {
      new logs.LogGroup(stack, 'Logs', { logGroupName: `/aws/lambda/${Fn.select(6, Fn.split(':', fn.functionArn))}` });
      new sqs.Queue(stack, 'Queue', { queueName: `orders-${Fn.select(7, Fn.split(':', fn.functionArn))}` });
    }],
    ['a log group name from a CfnParameter, and a queue name from another token', (stack) => {
      new logs.LogGroup(stack, 'Logs', { logGroupName: new CfnParameter(stack, 'LogGroup').valueAsString });
      new sqs.Queue(stack, 'Queue', { queueName: `${Fn.importValue('OrdersName')}:live` });
    }],
  ];
  test.each(FINE_CASES)('GIVEN a SafeFunction WHEN %s THEN synthesis does not warn', (_name, use) => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new SafeFunction(stack, 'Fn', plainFunctionProps());

    // WHEN
    use(stack, fn);

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(QUALIFIED));
  });

  test.each(INTEGRATION_CASES.map((c) => [c.name, c] as const))('GIVEN a SafeFunction WHEN %s binds it by its qualified name or ARN THEN synthesis does not warn', (_name, integration) => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new SafeFunction(stack, 'Fn', { ...plainFunctionProps(), retainVersions: 2, deployment: {} });

    // WHEN
    integration.bind(stack, fn);

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(QUALIFIED));
  });

  test.each([
    ['on the output', (output: CfnOutput) => output, 'Output'],
    ['on the log group\'s L2 (the warning is on its Resource)', (_output: CfnOutput, logGroup: logs.LogGroup) => logGroup, 'Logs'],
    ['on the SafeFunction', (_output: CfnOutput, _logGroup: logs.LogGroup, fn: SafeFunction) => fn, 'Fn'],
  ])('GIVEN qualified names in an output and a log group WHEN acknowledged %s THEN only the other warning is reported', (_name, scope, acknowledged) => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new SafeFunction(stack, 'Fn', plainFunctionProps());
    const output = new CfnOutput(stack, 'Output', { value: fn.functionName });
    const logGroup = new logs.LogGroup(stack, 'Logs', { logGroupName: `/aws/lambda/${fn.functionName}` });

    // WHEN
    CoreAnnotations.of(scope(output, logGroup, fn)).acknowledgeWarning(ID, 'the qualified name is what we want here');

    // THEN
    const warned = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(QUALIFIED)).map((w) => w.id);
    expect(warned).toEqual(acknowledged === 'Fn' ? [] : acknowledged === 'Output' ? ['/Default/Logs/Resource'] : ['/Default/Output']);
  });

  test('GIVEN a SafeFunction in one stack WHEN a dashboard in another stack graphs a hand-built metric of it THEN that stack warns', () => {
    // GIVEN
    const app = new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } });
    const fn = new SafeFunction(new Stack(app, 'Orders'), 'Fn', plainFunctionProps());
    const monitoring = new Stack(app, 'Monitoring');

    // WHEN
    dashboard(monitoring, new cloudwatch.GraphWidget({ left: [lambdaMetric(fn.functionName)] }));

    // THEN
    Annotations.fromStack(monitoring).hasWarning('/Monitoring/Dash/Resource', Match.stringLikeRegexp(`${DIMENSION}, holds the functionName of Orders/Fn`));
  });

  test('GIVEN two SafeFunctions, one with another alias name WHEN both names land in log groups THEN each warning names its function', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const orders = new SafeFunction(stack, 'Orders', plainFunctionProps());
    const billing = new SafeFunction(stack, 'Billing', { ...plainFunctionProps(), aliasName: 'prod' });

    // WHEN
    new logs.LogGroup(stack, 'OrdersLogs', { logGroupName: `/aws/lambda/${orders.functionName}` });
    new logs.LogGroup(stack, 'BillingLogs', { logGroupName: `/aws/lambda/${billing.functionName}` });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/OrdersLogs/Resource', Match.stringLikeRegexp('holds the functionName of Default/Orders,'));
    Annotations.fromStack(stack).hasWarning('/Default/BillingLogs/Resource', Match.stringLikeRegexp(
      'holds the functionName of Default/Billing, which is qualified \\(`name:prod`\\): Lambda writes to /aws/lambda/<bare name>'));
  });
});

describe('every kind of safe function is checked', () => {
  const KINDS: Array<[string, (stack: Stack) => SafeFunctionBase]> = [
    ['SafeFunction', (stack) => new SafeFunction(stack, 'Orders', plainFunctionProps())],
    ['SafeAlias', (stack) => new SafeAlias(stack, 'Orders', { function: new lambda.Function(stack, 'OrdersFn', plainFunctionProps()) })],
    ['SafeNodejsFunction (explicit entry)', (stack) => new SafeNodejsFunction(stack, 'Orders', {
      entry: path.join(__dirname, 'handlers', 'orders.ts'), runtime: lambda.Runtime.NODEJS_22_X,
    })],
    ['SafeDockerImageFunction', (stack) => new SafeDockerImageFunction(stack, 'Orders', {
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'orders'), { tagOrDigest: 'v1' }),
    })],
  ];
  test.each(KINDS)('GIVEN a %s WHEN an alarm uses its functionName as the FunctionName dimension THEN synthesis warns', (_name, build) => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = build(stack);

    // WHEN
    alarm(stack, lambdaMetric(fn.functionName));

    // THEN
    Annotations.fromStack(stack).hasWarning('/Default/Alarm/Resource', Match.stringLikeRegexp(
      `Properties\\.Dimensions\\[0\\]\\.Value, ${DIMENSION}, holds the functionName of Default/Orders,.*Fix: use \`\\.function\\.functionName\` of Default/Orders`));
  });
});
