import { ReleaseWarnings } from './release/release-warnings';
import { RetentionWarnings } from './retention/retention-warnings';
import { SafeFunctionWarnings } from './safe/safe-function-warnings';
import { VersionIntegrityWarnings } from './version-integrity-warnings';

/**
 * Every warning ID this library adds with `Annotations.addWarningV2`, in one place (issue #18): what
 * `Annotations.of(scope).acknowledgeWarning(id, reason)` takes. The `$LATEST` guard's findings are the
 * rule IDs of `GuardRules` instead.
 *
 * The per-feature classes (`SafeFunctionWarnings`, `ReleaseWarnings`, `RetentionWarnings`,
 * `VersionIntegrityWarnings`) hold the same values.
 */
export class SafeLambdaWarnings {
  /** A qualified function name lands where a bare name is wanted (a log group name, a metric dimension, an output). */
  public static readonly QUALIFIED_NAME_AS_NAME = SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME;

  /** A safe function runs a customer-managed runtime under AUTO runtime management. */
  public static readonly CUSTOM_RUNTIME_AUTO_UPDATE = SafeFunctionWarnings.CUSTOM_RUNTIME_AUTO_UPDATE;

  /** Layer changes do not publish a new version (`@aws-cdk/aws-lambda:recognizeLayerVersion` is off). */
  public static readonly LAYER_VERSION_NOT_RECOGNIZED = VersionIntegrityWarnings.LAYER_VERSION_NOT_RECOGNIZED;

  /** Code, environment or layers hold a value known only at deploy time, which the version hash cannot see. */
  public static readonly DEPLOY_TIME_VALUE = VersionIntegrityWarnings.DEPLOY_TIME_VALUE;

  /** The code is an S3 object without an object version: a new upload publishes nothing. */
  public static readonly UNVERSIONED_CODE = VersionIntegrityWarnings.UNVERSIONED_CODE;

  /** The live alias is pinned to a version (the emergency rollback is in force). */
  public static readonly PINNED_VERSION = ReleaseWarnings.PINNED_VERSION;

  /** A Managed Instances function retains versions that count against its capacity provider's cap. */
  public static readonly MANAGED_INSTANCES_RETAINED_VERSIONS = RetentionWarnings.MANAGED_INSTANCES_RETAINED_VERSIONS;

  /** The functions on one capacity provider may keep more versions than its shared cap of 100 allows. */
  public static readonly CAPACITY_PROVIDER_VERSION_BUDGET = RetentionWarnings.CAPACITY_PROVIDER_VERSION_BUDGET;

  /** The code bucket expires the noncurrent object versions that retained versions need (S3ObjectStorageMode REFERENCE). */
  public static readonly CODE_BUCKET_EXPIRES_RETAINED_VERSIONS = RetentionWarnings.CODE_BUCKET_EXPIRES_RETAINED_VERSIONS;

  /** `MakeFunctionsSafe` left a binding whose move would replace something a client holds, for you to choose. */
  public static readonly MIGRATION_CLIENT_HELD = 'cdk-safe-lambda:migration-client-held';

  /** `MakeFunctionsSafe` rewrote what a snapshot (an API deployment, a stage, a state machine version) freezes and cannot refresh it. */
  public static readonly MIGRATION_SNAPSHOT = 'cdk-safe-lambda:migration-snapshot';

  /** A Stage synthesized before `MakeFunctionsSafe` could reach it. */
  public static readonly MIGRATION_STAGE = 'cdk-safe-lambda:migration-stage';

  /** Every ID above. */
  public static readonly ALL_IDS: string[] = [
    SafeLambdaWarnings.QUALIFIED_NAME_AS_NAME, SafeLambdaWarnings.CUSTOM_RUNTIME_AUTO_UPDATE,
    SafeLambdaWarnings.LAYER_VERSION_NOT_RECOGNIZED, SafeLambdaWarnings.DEPLOY_TIME_VALUE, SafeLambdaWarnings.UNVERSIONED_CODE,
    SafeLambdaWarnings.PINNED_VERSION, SafeLambdaWarnings.MANAGED_INSTANCES_RETAINED_VERSIONS,
    SafeLambdaWarnings.CAPACITY_PROVIDER_VERSION_BUDGET, SafeLambdaWarnings.CODE_BUCKET_EXPIRES_RETAINED_VERSIONS,
    SafeLambdaWarnings.MIGRATION_CLIENT_HELD, SafeLambdaWarnings.MIGRATION_SNAPSHOT, SafeLambdaWarnings.MIGRATION_STAGE,
  ];

  private constructor() {}
}
