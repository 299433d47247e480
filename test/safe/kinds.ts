import * as path from 'path';
import * as python from '@aws-cdk/aws-lambda-python-alpha';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { plainFunctionProps, RECOGNIZE_LAYERS } from '../fixtures/stacks';

/** A stack at path /Default that skips asset bundling (no esbuild run, no Docker). */
export function newBundlingFreeStack(): Stack {
  return new Stack(new App({ context: { ...RECOGNIZE_LAYERS, 'aws:cdk:bundling-stacks': [] } }), 'Default');
}

/** A user's own subclass, as large apps build their functions. */
export class OrdersFunction extends lambda.Function {
  constructor(scope: Construct, id: string) {
    super(scope, id, { ...plainFunctionProps(), memorySize: 512, environment: { TABLE: 'orders' } });
  }
}

/** One way a CDK user builds a function. */
export interface FunctionKind {
  readonly name: string;
  readonly build: (scope: Construct, id: string) => lambda.Function;
}

export const FUNCTION_KINDS: FunctionKind[] = [
  { name: 'lambda.Function', build: (scope, id) => new lambda.Function(scope, id, plainFunctionProps()) },
  {
    name: 'NodejsFunction (explicit entry)',
    build: (scope, id) => new nodejs.NodejsFunction(scope, id, {
      entry: path.join(__dirname, 'handlers', 'orders.ts'),
      runtime: lambda.Runtime.NODEJS_22_X,
    }),
  },
  {
    // No entry: NodejsFunction finds kinds.Orders.ts next to this file, as it would in a user's app.
    name: 'NodejsFunction (default entry)',
    build: (scope, id) => new nodejs.NodejsFunction(scope, id, { runtime: lambda.Runtime.NODEJS_22_X }),
  },
  {
    name: 'DockerImageFunction (fromEcr)',
    build: (scope, id) => new lambda.DockerImageFunction(scope, id, {
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(scope, `${id}Repo`, 'orders'), { tagOrDigest: 'v1' }),
    }),
  },
  {
    // Bundling (pip in Docker) is skipped: these stacks list no bundling stacks.
    name: 'PythonFunction (alpha)',
    build: (scope, id) => new python.PythonFunction(scope, id, { entry: path.join(__dirname, 'python'), runtime: lambda.Runtime.PYTHON_3_12 }),
  },
  { name: 'a user subclass of lambda.Function', build: (scope, id) => new OrdersFunction(scope, id) },
];

export function logicalIdOf(construct: Construct): string {
  return Stack.of(construct).resolve((construct.node.defaultChild as CfnElement).logicalId);
}
