import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { checkSafeOptions } from './private/validate-options';
import { SafeFunctionBase } from './safe-function-base';
import { SafeFunctionOptions } from './safe-function-options';

/**
 * Properties of a SafeDockerImageFunction: everything `DockerImageFunction` takes, plus SafeFunction's options.
 */
export interface SafeDockerImageFunctionProps extends lambda.DockerImageFunctionProps, SafeFunctionOptions {}

/**
 * A `DockerImageFunction` (a container image) that is safe like a SafeFunction: it publishes a
 * version on every change and *is* its `live` alias. The function itself is at `<id>/Function`.
 */
export class SafeDockerImageFunction extends SafeFunctionBase {
  constructor(scope: Construct, id: string, props: SafeDockerImageFunctionProps) {
    super(scope, id);
    const removalPolicy = checkSafeOptions(this, props, props.currentVersionOptions);
    const { onSuccess, onFailure, maxEventAge, retryAttempts, events, ...functionProps } = props;
    const fn = new lambda.DockerImageFunction(this, 'Function', {
      ...functionProps,
      currentVersionOptions: { ...props.currentVersionOptions, removalPolicy },
    });
    // An image has no S3 object to version: the code-integrity check has nothing to add.
    this._makeSafe(fn, props, undefined, events);
  }
}
