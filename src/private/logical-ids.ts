import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Read once: aws-cdk-lib's entry point runs require() on every access to an export, and this runs per node. */
const StackClass = Stack;

/**
 * The elements of `stack` itself (not of its nested stacks) that `pick` accepts, by resolved logical
 * ID: for reading a rendered `{ Ref }` or `{ Fn::GetAtt }` back to its construct. One walk of the
 * stack; callers keep the map for as long as the tree cannot change.
 */
export function elementsByLogicalId<T extends CfnElement>(stack: Stack, pick: (node: IConstruct) => node is T): Map<string, T> {
  const index = new Map<string, T>();
  for (const node of stack.node.findAll()) {
    if (pick(node) && StackClass.of(node) === stack) {
      index.set(stack.resolve(node.logicalId), node);
    }
  }
  return index;
}
