import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { logicalIdOf, newBundlingFreeStack } from './kinds';
import { SafeDockerImageFunction, SafeFunction, SafeFunctionBase, SafeNodejsFunction } from '../../src';
import { plainFunctionProps } from '../fixtures/stacks';
import { referencesLogicalId } from '../fixtures/template-paths';

const CONSTRUCTORS: Array<[string, (stack: Stack, events: lambda.IEventSource[]) => SafeFunctionBase]> = [
  ['SafeFunction', (stack, events) => new SafeFunction(stack, 'Fn', { ...plainFunctionProps(), events })],
  ['SafeNodejsFunction', (stack, events) => new SafeNodejsFunction(stack, 'Fn', { entry: path.join(__dirname, 'handlers', 'orders.ts'), events })],
  ['SafeDockerImageFunction', (stack, events) => new SafeDockerImageFunction(stack, 'Fn', {
    code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'orders')), events,
  })],
];

test.each(CONSTRUCTORS)('the events prop of %s binds the event sources to the live alias', (_name, create) => {
  // GIVEN
  const stack = newBundlingFreeStack();
  const queue = new sqs.Queue(stack, 'Queue');

  // WHEN
  const fn = create(stack, [new eventSources.SqsEventSource(queue)]);

  // THEN
  const mappings = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping'));
  expect(mappings).toHaveLength(1);
  expect(referencesLogicalId(mappings[0].Properties.FunctionName, logicalIdOf(fn.live))).toBe(true);
  expect(referencesLogicalId(mappings[0].Properties.FunctionName, logicalIdOf(fn.function))).toBe(false);
});
