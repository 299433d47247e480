/**
 * One binding, permission or grant that reaches a guarded function's `$LATEST`, as the guard reports it.
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
}
