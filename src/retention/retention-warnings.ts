/**
 * IDs of the warnings SafeFunction emits about version retention.
 *
 * Each is acknowledgeable: `Annotations.of(scope).acknowledgeWarning(RetentionWarnings.MANAGED_INSTANCES_RETAINED_VERSIONS, 'reason')`.
 */
export class RetentionWarnings {
  /**
   * The function runs on Lambda Managed Instances and retains versions: each retained version keeps
   * execution environments running, and the capacity provider cannot be deleted while they remain.
   */
  public static readonly MANAGED_INSTANCES_RETAINED_VERSIONS = 'cdk-safe-lambda:SafeFunction.managedInstancesRetainedVersions';

  private constructor() {}
}
