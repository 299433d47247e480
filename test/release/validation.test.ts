import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { newSafeFunction, newStack } from './release-helpers';
import { SafeFunction, SafeFunctionProps, TrafficHook, TrafficShift } from '../../src';
import { checkRemovalPoliciesAgree, checkVersionRemovalPolicy, fitDescription } from '../../src/release/private/validate';

/**
 * Every option of the release features, with a valid literal, an invalid literal and a deploy-time
 * value (a `CfnParameter`). Invalid literals fail at construction (or, for what can change after
 * it, at synthesis) with the construct path, the option, the value and a fix; deploy-time values
 * pass untouched and reach the template.
 */

/** Deploy-time values, each a `CfnParameter` named `P` in the stack. */
const num = (stack: Stack) => new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber;
const str = (stack: Stack) => new CfnParameter(stack, 'P', { type: 'String' }).valueAsString;

type Props = (stack: Stack) => Partial<SafeFunctionProps>;

/** `deployment` with only what the case sets. */
const deployment = (d: SafeFunctionProps['deployment']): Partial<SafeFunctionProps> => ({ deployment: d });
const alarms = (o: object): Props => () => deployment({ rollbackAlarms: o });
const scaling = (o: object): Props => () => ({ provisionedConcurrencyScaling: { maxCapacity: 10, utilizationTarget: 0.7, ...o } });
const schedule = (o: object): Props => () => ({
  provisionedConcurrencyScaling: { maxCapacity: 10, schedules: [{ name: 'morning', schedule: appscaling.Schedule.expression('cron(0 8 * * ? *)'), minCapacity: 2, ...o }] },
});
const smoke = (o: object): Props => () => deployment({ preTraffic: TrafficHook.smokeTest(o) });
const stage = (o: object): Props => () => ({ stageAliases: [{ aliasName: 'dev', ...o }] });
const LONG = 'x'.repeat(257);

/** [option, valid literal, invalid literal + expected error, deploy-time value] */
const OPTIONS: Array<[string, Props, Props, RegExp, Props]> = [
  ['aliasDescription',
    () => ({ aliasDescription: 'orders' }), () => ({ aliasDescription: LONG }),
    /^Default\/Fn: aliasDescription is 257 characters long, over Lambda's 256.*Shorten it/, (s) => ({ aliasDescription: str(s) })],
  ['provisionedConcurrentExecutions',
    () => ({ provisionedConcurrentExecutions: 2 }), () => ({ provisionedConcurrentExecutions: 0 }),
    /^Default\/Fn: provisionedConcurrentExecutions must be a whole number of at least 1, got 0/, (s) => ({ provisionedConcurrentExecutions: num(s) })],
  ['pinnedVersion',
    () => ({ pinnedVersion: '3' }), () => ({ pinnedVersion: '$LATEST' }),
    /^Default\/Fn: pinnedVersion must be a published version number such as '7', got '\$LATEST'/, (s) => ({ pinnedVersion: str(s) })],
  ['weightedRouting.stableVersion',
    () => ({ weightedRouting: { stableVersion: '3', newVersionWeight: 0.1 } }), () => ({ weightedRouting: { stableVersion: 'live', newVersionWeight: 0.1 } }),
    /^Default\/Fn: weightedRouting.stableVersion must be a published version number such as '7', got 'live'/,
    (s) => ({ weightedRouting: { stableVersion: str(s), newVersionWeight: 0.1 } })],
  ['weightedRouting.newVersionWeight',
    () => ({ weightedRouting: { stableVersion: '3', newVersionWeight: 0.1 } }), () => ({ weightedRouting: { stableVersion: '3', newVersionWeight: 1 } }),
    /^Default\/Fn: weightedRouting.newVersionWeight must be strictly between 0 and 1, got 1/,
    (s) => ({ weightedRouting: { stableVersion: '3', newVersionWeight: num(s) } })],
  ['stageAliases[].description',
    stage({ description: 'dev' }), stage({ description: LONG }),
    /^Default\/Fn: stage alias 'dev': description is 257 characters long/, (s) => stage({ description: str(s) })(s)],
  ['stageAliases[].provisionedConcurrentExecutions',
    stage({ provisionedConcurrentExecutions: 1 }), stage({ provisionedConcurrentExecutions: 1.5 }),
    /^Default\/Fn: stage alias 'dev': provisionedConcurrentExecutions must be a whole number of at least 1, got 1.5/,
    (s) => stage({ provisionedConcurrentExecutions: num(s) })(s)],
  ['stageAliases[].pinnedVersion',
    stage({ pinnedVersion: '2' }), stage({ pinnedVersion: 'v2' }),
    /^Default\/Fn: stage alias 'dev': pinnedVersion must be a published version number such as '7', got 'v2'/, (s) => stage({ pinnedVersion: str(s) })(s)],
  ['stageAliases[].weightedRouting.newVersionWeight',
    stage({ weightedRouting: { stableVersion: '2', newVersionWeight: 0.5 } }), stage({ weightedRouting: { stableVersion: '2', newVersionWeight: -0.1 } }),
    /^Default\/Fn: stage alias 'dev': weightedRouting.newVersionWeight must be strictly between 0 and 1, got -0.1/,
    (s) => stage({ weightedRouting: { stableVersion: '2', newVersionWeight: num(s) } })(s)],
  ['provisionedConcurrencyScaling.minCapacity',
    scaling({ minCapacity: 1 }), scaling({ minCapacity: -1 }),
    /^Default\/Fn: provisionedConcurrencyScaling.minCapacity must be a whole number of at least 0, got -1/, (s) => scaling({ minCapacity: num(s) })(s)],
  ['provisionedConcurrencyScaling.maxCapacity',
    scaling({ maxCapacity: 4 }), scaling({ maxCapacity: 0, minCapacity: 0 }),
    /^Default\/Fn: provisionedConcurrencyScaling.maxCapacity must be a whole number of at least 1, got 0/, (s) => scaling({ maxCapacity: num(s) })(s)],
  ['provisionedConcurrencyScaling.utilizationTarget',
    scaling({ utilizationTarget: 0.5 }), scaling({ utilizationTarget: 0.95 }),
    /^Default\/Fn: provisionedConcurrencyScaling.utilizationTarget must be from 0.1 to 0.9, got 0.95/, (s) => scaling({ utilizationTarget: num(s) })(s)],
  ['provisionedConcurrencyScaling.schedules[].name',
    schedule({ name: 'morning-up' }), schedule({ name: 'up:8am' }),
    /^Default\/Fn: provisionedConcurrencyScaling.schedules\['up:8am'\].name 'up:8am' is not a name Application Auto Scaling accepts. Use 1 to 256 characters/,
    (s) => schedule({ name: str(s) })(s)],
  ['provisionedConcurrencyScaling.schedules[].minCapacity',
    schedule({ minCapacity: 0 }), schedule({ minCapacity: 2.5 }),
    /^Default\/Fn: provisionedConcurrencyScaling.schedules\['morning'\].minCapacity must be a whole number of at least 0, got 2.5/,
    (s) => schedule({ minCapacity: num(s) })(s)],
  ['provisionedConcurrencyScaling.schedules[].maxCapacity',
    schedule({ maxCapacity: 8 }), schedule({ maxCapacity: 1 }),
    /^Default\/Fn: provisionedConcurrencyScaling.schedules\['morning'\].minCapacity \(2\) is above its maxCapacity \(1\)/,
    (s) => schedule({ maxCapacity: num(s) })(s)],
  ['deployment.trafficShift canary percent',
    () => deployment({ trafficShift: TrafficShift.canary(20, Duration.minutes(5)) }),
    () => deployment({ trafficShift: TrafficShift.canary(100, Duration.minutes(5)) }),
    /^Default\/Fn\/Deployment: deployment.trafficShift \(TrafficShift.canary\): percent must be a whole number from 1 to 99, got 100. Use TrafficShift.allAtOnce\(\)/,
    (s) => deployment({ trafficShift: TrafficShift.canary(num(s), Duration.minutes(5)) })],
  ['deployment.trafficShift canary interval',
    () => deployment({ trafficShift: TrafficShift.canary(10, Duration.hours(1)) }),
    () => deployment({ trafficShift: TrafficShift.canary(10, Duration.seconds(90)) }),
    /^Default\/Fn\/Deployment: deployment.trafficShift \(TrafficShift.canary\): interval must be a whole number of minutes from 1 to 2880, got 1 minute 30 seconds. Use Duration.minutes\(n\)/,
    (s) => deployment({ trafficShift: TrafficShift.canary(10, Duration.minutes(num(s))) })],
  ['deployment.trafficShift linear percent',
    () => deployment({ trafficShift: TrafficShift.linear(25, Duration.minutes(2)) }),
    () => deployment({ trafficShift: TrafficShift.linear(0, Duration.minutes(2)) }),
    /^Default\/Fn\/Deployment: deployment.trafficShift \(TrafficShift.linear\): percent must be a whole number from 1 to 99, got 0/,
    (s) => deployment({ trafficShift: TrafficShift.linear(num(s), Duration.minutes(2)) })],
  ['deployment.trafficShift linear interval',
    () => deployment({ trafficShift: TrafficShift.linear(10, Duration.minutes(3)) }),
    () => deployment({ trafficShift: TrafficShift.linear(10, Duration.millis(1500)) }),
    /^Default\/Fn\/Deployment: deployment.trafficShift \(TrafficShift.linear\): interval must be a whole number of minutes from 1 to 2880, got 1 second 500 millis/,
    (s) => deployment({ trafficShift: TrafficShift.linear(10, Duration.minutes(num(s))) })],
  ['deployment.deploymentGroupName',
    () => deployment({ deploymentGroupName: 'orders-live' }), () => deployment({ deploymentGroupName: 'orders live' }),
    /Default\/Fn\/Deployment\/DeploymentGroup.*Deployment group name: "orders live" can only contain letters/,
    (s) => deployment({ deploymentGroupName: str(s) })],
  ['deployment.rollbackAlarms.errorsThreshold',
    alarms({ errorsThreshold: 3 }), alarms({ errorsThreshold: 0 }),
    /^Default\/Fn\/Deployment: rollbackAlarms.errorsThreshold must be a whole number of at least 1, got 0. Use 1/, (s) => alarms({ errorsThreshold: num(s) })(s)],
  ['deployment.rollbackAlarms.throttlesThreshold',
    alarms({ throttlesThreshold: 3 }), alarms({ throttlesThreshold: 1.5 }),
    /^Default\/Fn\/Deployment: rollbackAlarms.throttlesThreshold must be a whole number of at least 1, got 1.5/, (s) => alarms({ throttlesThreshold: num(s) })(s)],
  ['deployment.rollbackAlarms.evaluationPeriods',
    alarms({ evaluationPeriods: 3 }), alarms({ evaluationPeriods: 0 }),
    /^Default\/Fn\/Deployment: rollbackAlarms.evaluationPeriods must be a whole number of at least 1, got 0/, (s) => alarms({ evaluationPeriods: num(s) })(s)],
  ['deployment.rollbackAlarms.period',
    alarms({ period: Duration.minutes(5) }), alarms({ period: Duration.seconds(30) }),
    /^Default\/Fn\/Deployment: rollbackAlarms.period must be a whole number of minutes from 1 to 1440, got 30 seconds. Use Duration.minutes\(n\).*once a minute/,
    (s) => alarms({ period: Duration.seconds(num(s)) })(s)],
  ['deployment.preTraffic smokeTest payload',
    smoke({ payload: '{"ping":true}' }), smoke({ payload: JSON.stringify({ blob: 'x'.repeat(4000) }) }),
    /^Default\/Fn\/Deployment: the smoke test PreTrafficHook's payload is 4011 bytes, over the 3901 that fit in the hook's environment.*TrafficHook.fromFunction/,
    (s) => smoke({ payload: str(s) })(s)],
  ['deployment.preTraffic smokeTest timeout',
    smoke({ timeout: Duration.seconds(30) }), smoke({ timeout: Duration.minutes(16) }),
    /^Default\/Fn\/Deployment: the smoke test PreTrafficHook's timeout must be a whole number of seconds from 1 to 900, got 16 minutes. Use a Duration/,
    (s) => smoke({ timeout: Duration.seconds(num(s)) })(s)],
];

/**
 * The retention options (src/retention, validated there), in the same table shape.
 */
const RETENTION_OPTIONS: Array<[string, Props, Props, RegExp, Props]> = [
  ['retainVersions',
    () => ({ retainVersions: 3 }), () => ({ retainVersions: 0 }),
    /^Default\/Fn: retainVersions must be a whole number of at least 1, got 0/, (s) => ({ retainVersions: num(s) })],
  ['pruneMaxDeletions',
    () => ({ retainVersions: 3, pruneMaxDeletions: 10 }), () => ({ retainVersions: 3, pruneMaxDeletions: 2.5 }),
    /^Default\/Fn: pruneMaxDeletions must be a whole number of at least 1, got 2.5/, (s) => ({ retainVersions: 3, pruneMaxDeletions: num(s) })],
  ['pruneMinAge',
    () => ({ retainVersions: 3, pruneMinAge: Duration.hours(2) }), () => ({ retainVersions: 3, pruneMinAge: Duration.millis(1500) }),
    /^Default\/Fn: pruneMinAge Duration.millis\(1500\) cannot be expressed in whole seconds.*Fix: give it in whole seconds/, (s) => ({ retainVersions: 3, pruneMinAge: Duration.seconds(num(s)) })],
];

/** Builds `props` into a SafeFunction `Fn` and synthesizes the stack. */
function build(props: Props): Template {
  const stack = newStack();
  newSafeFunction(stack, props(stack));
  return Template.fromStack(stack);
}

describe('release options: validation table', () => {
  test.each(OPTIONS)('%s: a valid literal builds', (_option, valid) => {
    // GIVEN / WHEN
    const template = build(valid);

    // THEN
    expect(Object.keys(template.findResources('AWS::Lambda::Alias')).length).toBeGreaterThanOrEqual(1);
  });

  test.each(OPTIONS)('%s: an invalid literal fails with the path, the value and the fix', (_option, _valid, invalid, error) => {
    // GIVEN / WHEN / THEN
    expect(() => build(invalid)).toThrow(error);
  });

  test.each(OPTIONS)('%s: a deploy-time value passes untouched into the template', (_option, _valid, _invalid, _error, token) => {
    // GIVEN / WHEN
    const template = build(token);

    // THEN
    expect(JSON.stringify(template.toJSON().Resources)).toContain('{"Ref":"P"}');
  });
});

describe('retention options: validation table', () => {
  test.each(RETENTION_OPTIONS)('%s: a valid literal builds', (_option, valid) => {
    // GIVEN / WHEN
    const template = build(valid);

    // THEN
    expect(Object.keys(template.findResources('AWS::Lambda::Alias')).length).toBeGreaterThanOrEqual(1);
  });

  test.each(RETENTION_OPTIONS)('%s: an invalid literal fails with the path, the value and the fix', (_option, _valid, invalid, error) => {
    // GIVEN / WHEN / THEN
    expect(() => build(invalid)).toThrow(error);
  });

  test.each(RETENTION_OPTIONS)('%s: a deploy-time value passes untouched into the template', (_option, _valid, _invalid, _error, token) => {
    // GIVEN / WHEN
    const template = build(token);

    // THEN
    expect(JSON.stringify(template.toJSON().Resources)).toContain('{"Ref":"P"}');
  });

  test('pruneMinAge: a valid literal builds', () => {
    // GIVEN / WHEN
    const template = build(() => ({ retainVersions: 3, pruneMinAge: Duration.hours(2) }));

    // THEN
    expect(JSON.stringify(template.toJSON().Resources)).toContain('7200');
  });
});

describe('version removal policies', () => {
  test('GIVEN versionRemovalPolicy and currentVersionOptions.removalPolicy that disagree WHEN building THEN it fails naming both and the fix', () => {
    expect(() => build(() => ({ versionRemovalPolicy: RemovalPolicy.RETAIN, currentVersionOptions: { removalPolicy: RemovalPolicy.DESTROY } })))
      .toThrow(/^Default\/Fn: versionRemovalPolicy \(retain\) and currentVersionOptions.removalPolicy \(destroy\) disagree.*Set versionRemovalPolicy only/);
  });

  test('GIVEN a deploy-time pruneMinAge in minutes WHEN building THEN it fails with the path and asks for seconds', () => {
    expect(() => build((s) => ({ retainVersions: 3, pruneMinAge: Duration.minutes(num(s)) }))).toThrow(/^Default\/Fn: pruneMinAge .* Duration.seconds\(param.valueAsNumber\)/);
  });

});

describe('asynchronous-invocation settings', () => {
  test.each([
    ['retryAttempts 1.5', { retryAttempts: 1.5 }, /^Default\/Fn: retryAttempts must be a whole number from 0 to 2, got 1\.5\. /],
    ['retryAttempts 3', { retryAttempts: 3 }, /^Default\/Fn: retryAttempts must be a whole number from 0 to 2, got 3\. /],
    ['retryAttempts -1', { retryAttempts: -1 }, /^Default\/Fn: retryAttempts must be a whole number from 0 to 2, got -1\. /],
    ['maxEventAge of 30 seconds', { maxEventAge: Duration.seconds(30) }, /^Default\/Fn: maxEventAge must be a whole number of seconds from 1 minute to 6 hours, got 30 seconds\. Use/],
    ['maxEventAge of 7 hours', { maxEventAge: Duration.hours(7) }, /^Default\/Fn: maxEventAge must be a whole number of seconds from 1 minute to 6 hours, got 7 hours/],
    ['maxEventAge of 90.5 seconds', { maxEventAge: Duration.millis(90_500) }, /^Default\/Fn: maxEventAge must be a whole number of seconds/],
  ])('GIVEN %s WHEN the SafeFunction is created THEN it fails with the path, the value and the fix', (_name, props, error) => {
    expect(() => newSafeFunction(newStack(), props as Partial<SafeFunctionProps>)).toThrow(error);
  });

  test.each([
    ['retryAttempts 0 and maxEventAge 1 minute', { retryAttempts: 0, maxEventAge: Duration.minutes(1) }, 0, 60],
    ['retryAttempts 2 and maxEventAge 6 hours', { retryAttempts: 2, maxEventAge: Duration.hours(6) }, 2, 21600],
  ])('GIVEN %s WHEN synthesized THEN the alias gets them', (_name, props, retries, age) => {
    const stack = newStack();
    newSafeFunction(stack, props as Partial<SafeFunctionProps>);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: retries, MaximumEventAgeInSeconds: age });
  });
});

describe('release options: what only fails at deploy time', () => {
  test.each([
    ['weighted routing and provisioned concurrency on the live alias (Lambda refuses both on one alias)',
      () => ({ weightedRouting: { stableVersion: '3', newVersionWeight: 0.1 }, provisionedConcurrentExecutions: 5 }),
      /^Default\/Fn: weightedRouting \(.*\) and provisionedConcurrentExecutions \(5\) are both set on 'live', but Lambda refuses provisioned concurrency on an alias that routes to two versions\. Finish the split first/],
    ['weighted routing and provisioned concurrency on a stage alias',
      () => ({ stageAliases: [{ aliasName: 'dev', weightedRouting: { stableVersion: '3', newVersionWeight: 0.1 }, provisionedConcurrentExecutions: 2 }] }),
      /^Default\/Fn: stage alias 'dev': weightedRouting .* and stage alias 'dev': provisionedConcurrentExecutions \(2\) are both set on 'dev'/],
    ['weighted routing with a deploy-time weight and provisioned concurrency (the split is still two versions)',
      (s: Stack) => ({ weightedRouting: { stableVersion: '3', newVersionWeight: num(s) }, provisionedConcurrentExecutions: 5 }),
      /are both set on 'live', but Lambda refuses provisioned concurrency on an alias that routes to two versions/],
    ['a period in minutes known only at deploy time (CloudFormation holds seconds)',
      (s: Stack) => deployment({ rollbackAlarms: { period: Duration.minutes(num(s)) } }),
      /^Default\/Fn\/Deployment: rollbackAlarms.period is a deploy-time value that is not given in seconds.*Duration.seconds\(value\)/],
    ['a canary interval in seconds known only at deploy time (CodeDeploy holds minutes)',
      (s: Stack) => deployment({ trafficShift: TrafficShift.canary(10, Duration.seconds(num(s))) }),
      /^Default\/Fn\/Deployment: deployment.trafficShift \(TrafficShift.canary\): interval is a deploy-time value that is not given in minutes/],
    ['a smoke-test timeout in minutes known only at deploy time',
      (s: Stack) => deployment({ preTraffic: TrafficHook.smokeTest({ timeout: Duration.minutes(num(s)) }) }),
      /^Default\/Fn\/Deployment: the smoke test PreTrafficHook's timeout is a deploy-time value that is not given in seconds/],
    ['a smoke-test timeout of 1.5 s (Lambda counts whole seconds)',
      () => deployment({ preTraffic: TrafficHook.smokeTest({ timeout: Duration.millis(1500) }) }),
      /^Default\/Fn\/Deployment: the smoke test PreTrafficHook's timeout must be a whole number of seconds from 1 to 900, got 1 second 500 millis/],
    ['a smoke-test timeout under a second',
      () => deployment({ postTraffic: TrafficHook.smokeTest({ timeout: Duration.millis(500) }) }),
      /^Default\/Fn\/Deployment: the smoke test PostTrafficHook's timeout must be a whole number of seconds from 1 to 900/],
    ['an alarm period of 1.5 minutes', () => deployment({ rollbackAlarms: { period: Duration.seconds(90) } }),
      /^Default\/Fn\/Deployment: rollbackAlarms.period must be a whole number of minutes from 1 to 1440, got 1 minute 30 seconds/],
    ['an alarm period of 1500 ms', () => deployment({ rollbackAlarms: { period: Duration.millis(1500) } }),
      /^Default\/Fn\/Deployment: rollbackAlarms.period must be a whole number of minutes/],
    ['alarms evaluating more than a day', () => deployment({ rollbackAlarms: { period: Duration.hours(6), evaluationPeriods: 5 } }),
      /^Default\/Fn\/Deployment: rollbackAlarms.period \(360 min\) x evaluationPeriods \(5\) is over CloudWatch's one day/],
    ['a bad threshold while the alarms are off', () => deployment({ rollbackAlarms: { enabled: false, errorsThreshold: -1 } }),
      /^Default\/Fn\/Deployment: rollbackAlarms.errorsThreshold must be a whole number of at least 1, got -1/],
    ['a linear shift that takes over two days', () => deployment({ trafficShift: TrafficShift.linear(1, Duration.minutes(60)) }),
      /^Default\/Fn\/Deployment: deployment.trafficShift \(TrafficShift.linear\): 1% every 60 minutes takes 5940 minutes to move all traffic, over CodeDeploy's 2880/],
    ['a smoke-test payload that is not JSON', () => deployment({ preTraffic: TrafficHook.smokeTest({ payload: '{ping' }) }),
      /^Default\/Fn\/Deployment: the smoke test PreTrafficHook's payload is not JSON/],
    ['a schedule that changes nothing',
      () => ({ provisionedConcurrencyScaling: { maxCapacity: 4, schedules: [{ name: 'noop', schedule: appscaling.Schedule.rate(Duration.days(1)) }] } }),
      /^Default\/Fn: provisionedConcurrencyScaling.schedules\['noop'\] sets neither minCapacity nor maxCapacity/],
    ['a schedule that ends before it starts',
      () => ({
        provisionedConcurrencyScaling: {
          maxCapacity: 4,
          schedules: [{
            name: 'sale',
            schedule: appscaling.Schedule.rate(Duration.days(1)),
            minCapacity: 2,
            startTime: new Date('2030-01-02T00:00:00Z'),
            endTime: new Date('2030-01-01T00:00:00Z'),
          }],
        },
      }),
      /^Default\/Fn: provisionedConcurrencyScaling.schedules\['sale'\].startTime \(2030-01-02T00:00:00.000Z\) is not before its endTime/],
    ['a version removal policy of SNAPSHOT', () => ({ versionRemovalPolicy: RemovalPolicy.SNAPSHOT }),
      /^Default\/Fn: the version removal policy .* is RemovalPolicy.SNAPSHOT, which CloudFormation refuses on AWS::Lambda::Version.*Use RemovalPolicy.RETAIN/],
    ['a currentVersionOptions removal policy of SNAPSHOT', () => ({ currentVersionOptions: { removalPolicy: RemovalPolicy.SNAPSHOT } }),
      /^Default\/Fn: the version removal policy .* is RemovalPolicy.SNAPSHOT/],
  ] as Array<[string, Props, RegExp]>)('fails at construction for %s', (_case, props, error) => {
    // GIVEN / WHEN / THEN
    expect(() => build(props)).toThrow(error);
  });

  test('more than ten alarms on the deployment group fail synthesis with the path', () => {
    // GIVEN
    const stack = newStack();
    const mine = (scope: Construct, i: number) => new cloudwatch.Alarm(scope, `Mine${i}`, {
      metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: `M${i}` }), threshold: 1, evaluationPeriods: 1,
    });

    // WHEN: two rollback alarms, eight of mine, and one more added later
    const fn = newSafeFunction(stack, { deployment: { alarms: [...Array(8).keys()].map((i) => mine(stack, i)) } });
    fn.deployment!.addAlarm(mine(stack, 8));

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/Default\/Fn\/Deployment: the deployment group has 11 alarms, over CodeDeploy's 10/);
  });

  test('a rollback on alarm without any alarm fails synthesis with the path', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    newSafeFunction(stack, { deployment: { rollbackAlarms: { enabled: false }, autoRollback: { deploymentInAlarm: true } } });

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/Default\/Fn\/Deployment: autoRollback.deploymentInAlarm is true but the deployment group has no alarm/);
  });

  test('a rollback on alarm with an alarm added after construction builds', () => {
    // GIVEN
    const stack = newStack();
    const fn = newSafeFunction(stack, { deployment: { rollbackAlarms: { enabled: false }, autoRollback: { deploymentInAlarm: true } } });

    // WHEN
    fn.deployment!.addAlarm(fn.metricErrors().createAlarm(stack, 'AliasErrors', { threshold: 1, evaluationPeriods: 1 }));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
    });
  });

  test('the smoke-test hook\'s description fits in 256 characters however deep the function sits', () => {
    // GIVEN
    const stack = newStack();
    let scope: Construct = stack;
    for (let i = 0; i < 12; i++) {
      scope = new Construct(scope, `AVeryLongConstructNameForNesting${i}`);
    }

    // WHEN
    new SafeFunction(scope, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      deployment: { preTraffic: TrafficHook.smokeTest() },
    });

    // THEN
    const descriptions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
      .map((r: any) => r.Properties.Description).filter((d) => typeof d === 'string' && d.startsWith('Smoke test of'));
    expect(descriptions).toHaveLength(1);
    expect(descriptions[0].length).toBeLessThanOrEqual(256);
    expect(descriptions[0]).toMatch(/AVeryLongConstructNameForNesting11\/Fn\/Function\/CurrentVersion: invokes the version under test before CodeDeploy moves traffic$/);
  });
});

describe('validation helpers for the safe options check', () => {
  test.each([
    [RemovalPolicy.SNAPSHOT, /^Default: versionRemovalPolicy is RemovalPolicy.SNAPSHOT, which CloudFormation refuses/],
    [RemovalPolicy.RETAIN, undefined],
    [RemovalPolicy.DESTROY, undefined],
    [undefined, undefined],
  ])('a version removal policy of %p is %p', (policy, error) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const check = () => checkVersionRemovalPolicy(stack, 'versionRemovalPolicy', policy);

    // THEN
    if (error) {expect(check).toThrow(error);} else {expect(check).not.toThrow();}
  });

  test.each([
    [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, /^Default: versionRemovalPolicy \(retain\) and currentVersionOptions.removalPolicy \(destroy\) disagree. Set versionRemovalPolicy only/],
    [RemovalPolicy.RETAIN, RemovalPolicy.RETAIN, undefined],
    [undefined, RemovalPolicy.DESTROY, undefined],
    [RemovalPolicy.DESTROY, undefined, undefined],
  ])('versionRemovalPolicy %p with currentVersionOptions.removalPolicy %p', (a, b, error) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const check = () => checkRemovalPoliciesAgree(stack, a, b);

    // THEN
    if (error) {expect(check).toThrow(error);} else {expect(check).not.toThrow();}
  });

  test.each([[10, 10], [256, 256], [300, 256], [1000, 256]])('a generated text of %p characters is cut to %p, keeping both ends', (length, expected) => {
    // GIVEN
    const text = `head-${'m'.repeat(length - 10)}-tail`;

    // WHEN
    const fitted = fitDescription(text);

    // THEN
    expect(fitted).toHaveLength(expected);
    expect(fitted.startsWith('head-')).toBe(true);
    expect(fitted.endsWith('-tail')).toBe(true);
  });
});
