import { ArtifactMetadataEntryType } from 'aws-cdk-lib/cloud-assembly-schema';
import { IConstruct } from 'constructs';

/**
 * Adds an info to `scope` as `Annotations.of(scope).addInfo` does (once per message), without the stack
 * trace aws-cdk-lib captures for each message: the migration adds one per binding it rewrites or leaves,
 * from inside its aspect, where the trace shows the migration's code and not the user's. Capturing it
 * took about a seventh of the migration at 1000 functions under ts-node (issue #16 §8). Where stack traces
 * are disabled (`aws:cdk:disable-stack-trace`), this is `Annotations.of(scope).addInfo`.
 */
export function addUntracedInfo(scope: IConstruct, message: string): void {
  if (scope.node.metadata.some((entry) => entry.data === message)) {
    return;
  }
  scope.node.addMetadata(ArtifactMetadataEntryType.INFO, message, { stackTrace: false });
}
