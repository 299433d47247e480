/**
 * Which Lambda functions the `$LATEST` guard protects.
 */
export enum GuardedFunctions {
  /**
   * The inner function of every SafeFunction (`safeFn.function`).
   */
  SAFE_FUNCTIONS = 'SAFE_FUNCTIONS',

  /**
   * Every Lambda function the app defines (`lambda.Function` and its subclasses, and `lambda.CfnFunction`),
   * except aws-cdk-lib's own internal handlers, which are unqualified by design: the functions of a
   * `custom_resources.Provider` (framework-onEvent, framework-isComplete, framework-onTimeout), the function
   * behind a `lambda.SingletonFunction` (AwsCustomResource, BucketDeployment...), and the handlers that
   * aws-cdk-lib renders as plain `CfnResource`s (core `CustomResourceProvider` handlers, S3 bucket
   * notifications, log retention).
   */
  ALL = 'ALL',
}
