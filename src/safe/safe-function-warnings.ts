/**
 * IDs of the warnings safe functions emit when their qualified name (`name:live`) is used where a
 * bare function name is wanted.
 *
 * Each is acknowledgeable: `Annotations.of(scope).acknowledgeWarning(SafeFunctionWarnings.QUALIFIED_NAME_AS_NAME, 'reason')`.
 */
export class SafeFunctionWarnings {
  /**
   * A safe function's `functionName` (`name:live`) lands where a bare function name is wanted: a log
   * group name or ARN, a `FunctionName` metric dimension (in an alarm or a dashboard), a name-shaped
   * property (`QueueName`, `RoleName`...) or a stack output. A colon is not allowed in a log group
   * name, a dimension with it matches no metric, and an output that used to show the bare name
   * silently changes value. Fix: use `.function.functionName`, `.function.logGroup` or the metric helpers.
   */
  public static readonly QUALIFIED_NAME_AS_NAME = 'cdk-safe-lambda:SafeFunction.qualifiedNameAsName';

  private constructor() {}
}
