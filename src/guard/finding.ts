/**
 * A resource that belongs to a finding besides the binding: a permission or grant the integration
 * brought on the same function (see `Finding.relatedResources`).
 */
export interface FindingResource {
  /**
   * The rule that found it on its own, one of `GuardRules` (for example `SafeLambda-LatestPermission`).
   */
  readonly ruleId: string;

  /**
   * Construct path of the resource (L1), for example `Stack/Api/Default/GET/ApiPermission.StackApi.GET..`.
   */
  readonly resourcePath: string;

  /**
   * Where the reference sits in the resource's template entry, for example `Properties.FunctionName`.
   */
  readonly propertyPath: string;
}

/**
 * One binding, permission or grant that reaches a guarded function's `$LATEST`, as the guard reports it.
 *
 * A binding and the permissions and grants its integration brought on the same function are one
 * finding: the binding's, with the others in `relatedResources` (the fix of the binding fixes them).
 */
export interface Finding {
  /**
   * The rule that found it, one of `GuardRules` (for example `SafeLambda-LatestBinding`).
   */
  readonly ruleId: string;

  /**
   * Construct path of the resource (L1) that holds the binding, for example `Stack/Api/Default/GET/Resource`.
   *
   * For `SafeLambda-UnusedSuppression`, the path of the construct that carries the suppression.
   */
  readonly resourcePath: string;

  /**
   * Where the binding sits in the resource's template entry, for example `Properties.Integration.Uri`,
   * `Properties.Targets[0].Arn` or `UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook`.
   *
   * Empty for `SafeLambda-UnusedSuppression`.
   */
  readonly propertyPath: string;

  /**
   * Construct path of the guarded function: the SafeFunction's path when it is a SafeFunction's inner
   * function, otherwise the function's own path.
   *
   * Empty for `SafeLambda-UnusedSuppression`.
   */
  readonly functionPath: string;

  /**
   * The full message: what binds what, why it is a problem, the fix and the suppression call.
   */
  readonly message: string;

  /**
   * Whether a suppression (or a CDK acknowledgement) covers the finding.
   */
  readonly suppressed: boolean;

  /**
   * The reason given by the suppression that covers the finding.
   *
   * @default - not suppressed
   */
  readonly suppressionReason?: string;

  /**
   * The permissions and grants the binding's integration brought on the same function (for example
   * the `AWS::Lambda::Permission`s of an API Gateway method, or the policy of a state machine's role),
   * reported with it rather than on their own. A suppression of the finding covers them too.
   *
   * A permission or grant that matches no binding, or that is suppressed while the binding is not,
   * is a finding of its own.
   *
   * @default - none: the finding is the binding alone
   */
  readonly relatedResources?: FindingResource[];
}
