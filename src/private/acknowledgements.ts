import { App } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Where `Annotations.acknowledgeWarning` keeps acknowledgements (aws-cdk-lib core/lib/annotations.ts). */
const ACKNOWLEDGEMENTS = Symbol.for('@aws-cdk/core.Acknowledgements');

/**
 * Whether `Annotations.of(x).acknowledgeWarning(id)` was called on `scope` or one of its ancestors.
 *
 * Why not just add the warning and let CDK drop it: aws-cdk-lib (2.189) looks up the acknowledgements of
 * the *ancestors* of the construct a warning is added to, not of the construct itself, and the warnings
 * of this library are added at synth time, after the user's acknowledgement. If the store cannot be
 * read (a future aws-cdk-lib), this answers false and CDK's own filtering still applies to ancestors.
 */
export function isWarningAcknowledged(scope: IConstruct, id: string): boolean {
  const acks: Map<string, Set<string>> | undefined = (App.of(scope) as any)?.[ACKNOWLEDGEMENTS]?.acks;
  if (!(acks instanceof Map)) {
    return false;
  }
  for (let node: IConstruct | undefined = scope; node; node = node.node.scope) {
    if (acks.get(node.node.path.replace(/^\//, ''))?.has(id)) {
      return true;
    }
  }
  return false;
}
