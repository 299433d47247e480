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

  /**
   * The function runs on a customer-managed runtime (`RuntimeConfig`) under automatic runtime
   * management: moving the runtime alias rolls the function forward without a deploy, and AWS does not
   * say that published versions are spared. Fix: `RuntimeManagementMode.manual(arn)` or `FUNCTION_UPDATE`.
   */
  public static readonly CUSTOM_RUNTIME_AUTO_UPDATE = 'cdk-safe-lambda:SafeFunction.customRuntimeAutoUpdate';

  private constructor() {}
}
