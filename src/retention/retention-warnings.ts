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

  /**
   * The SafeFunctions on one capacity provider (Lambda Managed Instances) may hold 80 or more of the
   * 100 versions Lambda allows per provider, a cap shared by every function on it that cannot be
   * raised; or one of them retains versions with no pruner. Past 100, synthesis fails instead.
   */
  public static readonly CAPACITY_PROVIDER_VERSION_BUDGET = 'cdk-safe-lambda:SafeFunction.capacityProviderVersionBudget';

  /**
   * The SafeFunction retains versions and reads its code from its S3 bucket
   * (`S3ObjectStorageMode: REFERENCE`), and a lifecycle rule of that bucket expires (or archives)
   * noncurrent object versions under the code's key: a retained version whose object version is gone
   * can no longer start, so a rollback to it fails.
   */
  public static readonly CODE_BUCKET_EXPIRES_RETAINED_VERSIONS = 'cdk-safe-lambda:SafeFunction.codeBucketExpiresRetainedVersions';

  private constructor() {}
}
