import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENV, FUNCTION_PROPS, safeFunction } from './guard-test-app';
import { GuardedFunctions, NoLatestInvocations } from '../../src';
import { INTEGRATION_CASES } from '../fixtures/integrations';

/*
 * findings() is read-only (issue #16 §4): asking leaves the template as it was, byte for byte. On
 * aws-cdk-lib 2.278 an app with two Firehose delivery streams sharing a destination lost DependsOn
 * entries after findings(): resolving a policy document before synthesis merged its statements in place
 * (`@aws-cdk/aws-iam:minimizePolicies`), so the role's policy split at synthesis no longer found the
 * statements the grants were made with, and the dependencies on those grants vanished.
 */

/** Policies minimized, as in new projects: what exposed the mutation. */
const CONTEXT = { 'aws:cdk:bundling-stacks': [], '@aws-cdk/aws-iam:minimizePolicies': true };

type Bind = (stack: Stack, fn: lambda.IFunction) => void;
type Target = (stack: Stack) => lambda.IFunction;

const TARGETS: Array<[string, Target]> = [
  ['a plain function', (stack) => new lambda.Function(stack, 'Fn', FUNCTION_PROPS)],
  ['a SafeFunction\'s inner function', (stack) => safeFunction(stack).function],
  ['a SafeFunction', (stack) => safeFunction(stack)],
];

/** The cloud assembly's templates of an app built by `bind`, after `ask` ran on the finished tree. */
function templates(bind: Bind, target: Target, ask: (app: App) => void, after?: (stack: Stack) => void): string {
  const app = new App({ context: CONTEXT });
  const stack = new Stack(app, 'Stack', { env: ENV });
  bind(stack, target(stack));
  ask(app);
  after?.(stack);
  let assembly;
  try {
    assembly = app.synth();
  } catch (e) {
    // An unqualified binding of a SafeFunction fails synthesis: the message is the output to compare.
    return String((e as Error).message);
  }
  return JSON.stringify(assembly.stacks.map((s) => s.template));
}

const nothing = () => {};
const askTwice = (app: App) => {
  NoLatestInvocations.findings(app);
  NoLatestInvocations.findings(app, { functions: GuardedFunctions.ALL });
};

/** Two delivery streams sharing one destination (the shape that lost DependsOn entries on 2.278). */
const SHARED_DESTINATION: Bind = (stack, fn) => {
  const destination = new firehose.S3Bucket(new s3.Bucket(stack, 'Bucket'), { processor: new firehose.LambdaFunctionProcessor(fn) });
  new firehose.DeliveryStream(stack, 'A', { destination });
  new firehose.DeliveryStream(stack, 'B', { destination });
};

/** Two grants that minimizing merges, a queue ordered after the first. */
const MERGED_GRANTS: Bind = (stack, fn) => {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  const grant = fn.grantInvoke(role);
  new lambda.Function(stack, 'Other', FUNCTION_PROPS).grantInvoke(role);
  grant.applyBefore(new sqs.Queue(stack, 'Queue'));
};

const CASES: Array<[string, Bind]> = [
  ...INTEGRATION_CASES.map((c): [string, Bind] => [c.name, c.bind]),
  ['two Firehose delivery streams sharing a destination', SHARED_DESTINATION],
  ['two merged grants, a resource ordered after the first', MERGED_GRANTS],
];

describe('findings() leaves the template as it was', () => {
  describe.each(TARGETS)('bound to %s', (_target, target) => {
    test.each(CASES)('%s: byte-identical templates with and without asking for the findings first', (_name, bind) => {
      expect(templates(bind, target, askTwice)).toEqual(templates(bind, target, nothing));
    });
  });
});

describe('what is added after findings() still reaches the template', () => {
  test.each([
    ['a second grant on the role of a first', (stack: Stack) => {
      const role = stack.node.findChild('Role') as iam.Role;
      new lambda.Function(stack, 'Late', FUNCTION_PROPS).grantInvoke(role);
    }],
    ['a second target on an events rule (a cached Lazy)', (stack: Stack) => {
      (stack.node.findChild('Rule') as events.Rule).addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Late')));
    }],
    ['an environment variable of the function', (stack: Stack) => {
      (stack.node.findChild('Fn') as lambda.Function).addEnvironment('LATE', '1');
    }],
    ['a layer of the function', (stack: Stack) => {
      (stack.node.findChild('Fn') as lambda.Function).addLayers(lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:123456789012:layer:l:1'));
    }],
  ])('%s', (_name, after) => {
    // GIVEN a role with a grant and a rule with a target, whose findings are asked for before more is added
    const bind: Bind = (stack, fn) => {
      fn.grantInvoke(new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }));
      new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
    };
    // THEN the template is the one synthesis writes when nobody asked
    expect(templates(bind, TARGETS[0][1], askTwice, after)).toEqual(templates(bind, TARGETS[0][1], nothing, after));
  });
});
