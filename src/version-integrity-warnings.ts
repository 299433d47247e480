/**
 * IDs of the warnings SafeFunction emits when a change could reach `$LATEST` without publishing a
 * new version, so the alias would keep serving the old settings.
 *
 * Each is acknowledgeable: `Annotations.of(scope).acknowledgeWarning(VersionIntegrityWarnings.DEPLOY_TIME_VALUE, 'reason')`.
 */
export class VersionIntegrityWarnings {
  /**
   * The app does not set the feature flag `@aws-cdk/aws-lambda:recognizeLayerVersion`, so changing a
   * layer does not publish a new version.
   */
  public static readonly LAYER_VERSION_NOT_RECOGNIZED = 'cdk-safe-lambda:SafeFunction.layerVersionNotRecognized';

  /**
   * Code, environment or layers hold a value known only at deploy time (a CfnParameter, a dynamic
   * reference, `Fn::ImportValue`): when it changes, the version hash does not.
   */
  public static readonly DEPLOY_TIME_VALUE = 'cdk-safe-lambda:SafeFunction.deployTimeValue';

  /**
   * The code comes from an S3 object without an object version: uploading a new object under the same
   * key changes nothing in the template, so no version is published.
   */
  public static readonly UNVERSIONED_CODE = 'cdk-safe-lambda:SafeFunction.unversionedCode';

  private constructor() {}
}
