import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isCfnResource, isStack, stackOf, stageOf as cdkStageOf } from '../../private/bindings/core';

/** The Stage of each stack, once: `stageOf` runs for every resource a guard visits. */
const STAGE_OF_STACK = new WeakMap<Stack, IConstruct>();

/** The Stage (or App, or root) of a construct, cached per stack: this runs for every visited resource. */
export function stageOf(node: IConstruct): IConstruct {
  if (!isStack(node) && !isCfnResource(node)) {
    return cdkStageOf(node) ?? node.node.root;
  }
  const stack = stackOf(node);
  let stage = STAGE_OF_STACK.get(stack);
  if (!stage) {
    stage = cdkStageOf(stack) ?? stack.node.root;
    STAGE_OF_STACK.set(stack, stage);
  }
  return stage;
}
