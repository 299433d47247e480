import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { logicalIdOf, newBundlingFreeStack } from './kinds';
import { SafeDockerImageFunction } from '../../src';
import { subscribe, synthError } from '../guard/guard-test-app';

describe('SafeDockerImageFunction', () => {
  test('builds the image function at <id>/Function and is its live alias', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'orders');

    // WHEN
    const fn = new SafeDockerImageFunction(stack, 'Orders', {
      code: lambda.DockerImageCode.fromEcr(repository, { tagOrDigest: 'v1' }),
      provisionedConcurrentExecutions: 1,
    });

    // THEN
    expect(fn.function).toBeInstanceOf(lambda.DockerImageFunction);
    expect(fn.function.node.path).toBe('Default/Orders/Function');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { PackageType: 'Image' });
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live', FunctionName: { Ref: logicalIdOf(fn.function) }, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 },
    });
  });

  test('an image asset is staged without Docker at synth, and the guard covers the function', () => {
    // GIVEN
    const stack = newBundlingFreeStack();
    const fn = new SafeDockerImageFunction(stack, 'Orders', { code: lambda.DockerImageCode.fromImageAsset(`${__dirname}/image`) });

    // WHEN
    subscribe(stack, fn.function.functionArn);

    // THEN
    expect(synthError(stack.node.root as App)).toContain('Default/Sub binds Properties.Endpoint to the unqualified ARN of Default/Orders');
  });
});
