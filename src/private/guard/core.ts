import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * aws-cdk-lib's entry point exports each class through a getter that runs require() on every access
 * (about 1 µs). The guard runs for every construct and every token of the app, so it reads the few
 * classes it needs there once.
 */
const CfnResourceClass = cdk.CfnResource;
const StackClass = cdk.Stack;
const StageClass = cdk.Stage;

export function isCfnResource(x: unknown): x is cdk.CfnResource {
  return CfnResourceClass.isCfnResource(x as IConstruct);
}

export function isStack(x: unknown): x is cdk.Stack {
  return StackClass.isStack(x);
}

export function isStage(x: unknown): x is cdk.Stage {
  return StageClass.isStage(x);
}

export function stackOf(x: IConstruct): cdk.Stack {
  return StackClass.of(x);
}

export function stageOf(x: IConstruct): cdk.Stage | undefined {
  return StageClass.of(x);
}
